package dev.apikey.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One bucket of a usage series: the verifies in it by outcome ({@code granted} or a failure code), and an estimate of
 * the distinct source networks they came from (IPv4 /24, IPv6 /48).
 *
 * <p>Immutable.
 *
 * @param start    the bucket's start
 * @param outcomes verifies by outcome, only outcomes seen; unmodifiable
 * @param networks the estimated number of distinct source networks (0 when no verify named an address)
 */
public record UsagePoint(Instant start, Map<String, Long> outcomes, int networks) {

    /** The outcome of a granted verify, as in {@link #outcomes()}. */
    public static final String GRANTED = "granted";

    /**
     * Copies the map.
     *
     * @param start see the record
     * @param outcomes see the record
     * @param networks see the record
     */
    public UsagePoint {
        Objects.requireNonNull(start, "start");
        outcomes = Map.copyOf(outcomes);
    }

    /** {@return every verify in the bucket} */
    public long total() {
        long sum = 0;
        for (long n : outcomes.values()) {
            sum += n;
        }
        return sum;
    }

    /** {@return the granted verifies} */
    public long granted() {
        return outcomes.getOrDefault(GRANTED, 0L);
    }

    /** {@return the refused verifies, of every kind} */
    public long refused() {
        return total() - granted();
    }
}
