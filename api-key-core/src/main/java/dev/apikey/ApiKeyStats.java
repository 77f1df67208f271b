package dev.apikey;

import dev.apikey.model.Failure;
import java.util.Map;
import java.util.Objects;

/**
 * One snapshot of an {@link ApiKeys} instance's counters since it was built, for metrics (the Spring Boot
 * starter binds it to Micrometer). Counters only grow; take differences between snapshots for rates.
 *
 * @param verifies         verifies by outcome: {@value #GRANTED}, every built-in failure code (0 included), and
 *                         the codes of host failures seen; unmodifiable, in that order
 * @param cacheSize        keys held in the verify cache now
 * @param cacheHits        verifies of well-formed keys answered from the cache (unknown ids remembered
 *                         included)
 * @param cacheMisses      verifies of well-formed keys that had to ask the store (concurrent askers of one id
 *                         each count)
 * @param loads            store reads made on misses (concurrent askers of one id share one)
 * @param loadFailures     store reads that failed ({@code store_unavailable})
 * @param hashChecks       stored-hash checks run (the cost Argon2 makes expensive)
 * @param bulkheadWaits    hash checks that found every slot busy and waited
 * @param bulkheadRefusals hash checks that got no slot in time ({@code overloaded})
 * @param rateLimited      verifies refused by a rate limit
 * @param rateLimiterFailures rate-limit checks whose limiter threw (allowed, or refused if the host fails closed)
 * @param changeFeedLagMillis how long ago the store's change feed was last read (milliseconds), which bounds how
 *                         late another instance's revoke is seen; {@code -1} if the store has no change feed
 */
public record ApiKeyStats(
        Map<String, Long> verifies,
        long cacheSize,
        long cacheHits,
        long cacheMisses,
        long loads,
        long loadFailures,
        long hashChecks,
        long bulkheadWaits,
        long bulkheadRefusals,
        long rateLimited,
        long rateLimiterFailures,
        long changeFeedLagMillis) {

    /** The outcome key of granted verifies in {@link #verifies()}. */
    public static final String GRANTED = "granted";

    /**
     * Copies the map.
     *
     * @param bulkheadRefusals hash checks that got no slot in time ({@code overloaded})
     * @param bulkheadWaits hash checks that found every slot busy and waited
     * @param cacheHits verifies of well-formed keys answered from the cache (unknown ids remembered included)
     * @param cacheMisses verifies of well-formed keys that had to ask the store (concurrent askers of one id each count)
     * @param cacheSize keys held in the verify cache now
     * @param hashChecks stored-hash checks run (the cost Argon2 makes expensive)
     * @param loadFailures store reads that failed ({@code store_unavailable})
     * @param loads store reads made on misses (concurrent askers of one id share one)
     * @param rateLimited verifies refused by a rate limit
     * @param rateLimiterFailures rate-limit checks whose limiter threw
     * @param changeFeedLagMillis how long ago the change feed was last read, or -1 without one
     * @param verifies verifies by outcome: {@value #GRANTED}, every built-in failure code (0 included), and the codes of host failures seen; unmodifiable, in that order
     */
    public ApiKeyStats {
        verifies = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                Objects.requireNonNull(verifies, "verifies")));
    }

    /**
     * Verifies with this outcome ({@value #GRANTED} or a failure code); 0 for one never seen.
     *
     * @param outcome {@value #GRANTED} or a failure code
     * @return how many verifies had this outcome
     */
    public long verifies(String outcome) {
        return verifies.getOrDefault(outcome, 0L);
    }

    /**
     * {@return refusals of this failure}
     *
     * @param failure a built-in or host failure
     */
    public long refusals(Failure failure) {
        return verifies(failure.code());
    }

    /** {@return every verify, whatever its outcome} */
    public long totalVerifies() {
        return verifies.values().stream().mapToLong(Long::longValue).sum();
    }
}
