package dev.apikey.spi;

import java.util.List;

/**
 * Spends from metered allowances: token buckets ({@link dev.apikey.model.RateLimit}) and calendar windows
 * ({@link dev.apikey.model.Quota}, per UTC day or month), each counted under a subject ({@link Metered}). The verifier calls
 * it once per granted call with every allowance that applies (the key's own and its tenant's), and the call's cost.
 * Backends: {@code dev.apikey.LocalMeter} (in process), {@code dev.apikey.jdbc.JdbcMeter} (PostgreSQL) and
 * {@code dev.apikey.redis.RedisMeter}; {@code dev.apikey.testkit.MeterContract} is the contract a meter of your own
 * must pass.
 *
 * <p>A rate limit of {@code n} per period is a bucket of {@code n} tokens that refills {@code n} per period, smoothly;
 * a cost above {@code n} is never granted. A quota of {@code n} counts the cost of every granted call of its UTC day or
 * month, and starts again at the next one. Time is the verifier's clock, passed in: every backend counts on the same
 * time. {@link MeterMath} holds the arithmetic, in exact integers, for backends of your own.
 *
 * <p>Implementations are thread-safe and bounded in time: a failing or slow backend throws (any
 * {@link RuntimeException}) within its timeout, never hangs; the verifier then lets the call pass or refuses it as the
 * host configured.
 */
public interface Meter {

    /**
     * Spends {@code cost} from every allowance of the batch, all or none: a refusal spends from none. Each backend says
     * whether that holds exactly (the counts are locked while checked) or by giving back.
     *
     * @param batch     the allowances, at most {@link MeterMath#MAX_BATCH}, no two counting under the same subject,
     *                  kind and name; an empty batch is granted
     * @param cost      units to spend from each, 1 to {@link MeterMath#MAX_COST}
     * @param nowMillis the verifier's time, in milliseconds since 1970 (UTC), 0 to {@link MeterMath#MAX_MILLIS}
     * @return {@link Spend#GRANTED}, or a refusal naming the most constrained allowance and when the cost will fit
     * @throws IllegalArgumentException if an argument breaks its rule, naming it; nothing is spent
     * @throws NullPointerException     if the batch or an element is null
     * @throws RuntimeException         if the backend fails or does not answer within its timeout
     */
    Spend spend(List<Metered> batch, long cost, long nowMillis);

    /**
     * A batch that will be spent from again and again, prepared once: the verifier prepares each cached key's
     * allowances when it loads the key and spends through the result on every call. A backend may resolve what it can
     * once (the in-process meter finds its counts here, so that a spend looks nothing up); the default spends through
     * {@link #spend(List, long, long)} each time. A prepared batch answers exactly as {@code spend} does with the same
     * batch, and counts on the same counts: spends through either add up.
     *
     * @param batch the allowances, as for {@link #spend(List, long, long)}; copied
     * @return the prepared batch, thread-safe
     * @throws IllegalArgumentException if the batch breaks its rule, naming it
     * @throws NullPointerException     if the batch or an element is null
     */
    default Prepared prepare(List<Metered> batch) {
        List<Metered> copy = MeterMath.checkBatch(batch);
        return (cost, nowMillis) -> spend(copy, cost, nowMillis);
    }

    /** A batch of allowances prepared by {@link #prepare(List)}, spent from as a whole. Thread-safe. */
    @FunctionalInterface
    interface Prepared {

        /**
         * Spends {@code cost} from every allowance of the prepared batch, all or none, as
         * {@link Meter#spend(List, long, long)} does.
         *
         * @param cost      units to spend from each, 1 to {@link MeterMath#MAX_COST}
         * @param nowMillis the verifier's time, in milliseconds since 1970 (UTC), 0 to {@link MeterMath#MAX_MILLIS}
         * @return {@link Spend#GRANTED}, or a refusal naming the most constrained allowance by its index in the batch
         * @throws IllegalArgumentException if an argument breaks its rule, naming it; nothing is spent
         * @throws RuntimeException         if the backend fails or does not answer within its timeout
         */
        Spend spend(long cost, long nowMillis);
    }

    /**
     * Units spent in the current window: for a quota, the cost counted in the day or month of {@code nowMillis}; for a
     * rate limit, its limit less the tokens left at {@code nowMillis}.
     *
     * @param metered   the allowance
     * @param nowMillis the verifier's time, in milliseconds since 1970 (UTC)
     * @return 0 to the allowance's limit
     * @throws IllegalArgumentException if the time is out of range, naming it
     * @throws RuntimeException         if the backend fails or does not answer within its timeout
     */
    long used(Metered metered, long nowMillis);
}
