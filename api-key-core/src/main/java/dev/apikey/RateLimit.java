package dev.apikey;

import java.time.Duration;
import java.util.Objects;

/**
 * How many requests a key may make per period, e.g. {@code RateLimit.perMinute(600)}. The allowance
 * refills smoothly over the period and allows a burst of the full amount.
 *
 * @param requests requests allowed per period, 1 to 1,000,000,000
 * @param period   the period, 1 second to 1 day
 */
public record RateLimit(long requests, Duration period) {

    /**
     * @param period the period, 1 second to 1 day
     * @param requests requests allowed per period, 1 to 1,000,000,000
     * @throws NullPointerException     if period is null
     * @throws IllegalArgumentException if a value is out of range
     */
    public RateLimit {
        Objects.requireNonNull(period, "period");
        if (requests < 1 || requests > 1_000_000_000L) {
            throw new IllegalArgumentException("requests must be 1 to 1000000000, was " + requests);
        }
        if (period.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("period must be 1 second to 1 day, was " + period);
        }
    }

    /**
     * {@return {@code requests} per second}
     *
     * @param requests requests allowed per period, 1 to 1,000,000,000
     */
    public static RateLimit perSecond(long requests) {
        return new RateLimit(requests, Duration.ofSeconds(1));
    }

    /**
     * {@return {@code requests} per minute}
     *
     * @param requests requests allowed per period, 1 to 1,000,000,000
     */
    public static RateLimit perMinute(long requests) {
        return new RateLimit(requests, Duration.ofMinutes(1));
    }

    /**
     * {@return {@code requests} per hour}
     *
     * @param requests requests allowed per period, 1 to 1,000,000,000
     */
    public static RateLimit perHour(long requests) {
        return new RateLimit(requests, Duration.ofHours(1));
    }

    @Override
    public String toString() {
        return requests + "/" + period;
    }
}
