package dev.apikey.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How many requests a key may make per period, e.g. {@code RateLimit.perMinute(600)}. The allowance
 * refills smoothly over the period and allows a burst of the full amount. Unnamed, it is named after its period
 * ({@code per-second}, {@code per-minute}, {@code per-hour}, {@code per-day}, else {@code per-<seconds>s}).
 *
 * @param name     the allowance's name (see {@link Allowance#name()})
 * @param requests requests allowed per period, 1 to 1,000,000,000
 * @param period   the period, 1 second to 1 day, whole seconds
 */
public record RateLimit(String name, long requests, Duration period) implements Allowance {

    /**
     * @param name the allowance's name, 1 to 32 of {@code [a-z0-9-]} starting with a letter
     * @param period the period, 1 second to 1 day
     * @param requests requests allowed per period, 1 to 1,000,000,000
     * @throws NullPointerException     if name or period is null
     * @throws IllegalArgumentException if a value is out of range
     */
    public RateLimit {
        Allowance.requireName(name);
        Objects.requireNonNull(period, "period");
        if (requests < 1 || requests > 1_000_000_000L) {
            throw new IllegalArgumentException("requests must be 1 to 1000000000, was " + requests);
        }
        if (period.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("period must be 1 second to 1 day, was " + period);
        }
        if (period.getNano() != 0) {
            // Stores and the JSON shape keep whole seconds: a fraction would come back as another, looser limit.
            throw new IllegalArgumentException("period must be whole seconds, was " + period);
        }
    }

    /**
     * A rate limit named after its period.
     *
     * @param requests requests allowed per period, 1 to 1,000,000,000
     * @param period   the period, 1 second to 1 day
     * @throws NullPointerException     if period is null
     * @throws IllegalArgumentException if a value is out of range
     */
    public RateLimit(long requests, Duration period) {
        this(defaultName(Objects.requireNonNull(period, "period")), requests, period);
    }

    private static String defaultName(Duration period) {
        if (period.equals(Duration.ofSeconds(1))) {
            return "per-second";
        }
        if (period.equals(Duration.ofMinutes(1))) {
            return "per-minute";
        }
        if (period.equals(Duration.ofHours(1))) {
            return "per-hour";
        }
        if (period.equals(Duration.ofDays(1))) {
            return "per-day";
        }
        return "per-" + Math.max(0, period.toSeconds()) + "s";
    }

    /** {@return the requests allowed per period} */
    @Override
    public long limit() {
        return requests;
    }

    @Override
    public RateLimit named(String name) {
        return new RateLimit(name, requests, period);
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

    /**
     * {@return the limit as {@link Allowance#parse} reads it, e.g. {@code 100/minute}, or {@code burst=10/second} when
     * its name is not the default; a period of no unit is written as an ISO duration, e.g. {@code 100/PT5M}}
     */
    @Override
    public String toString() {
        String def = defaultName(period);
        String text = requests + "/" + (def.endsWith("s") && !def.equals("per-second") ? period.toString()
                : def.substring("per-".length()));
        return name.equals(def) ? text : name + "=" + text;
    }
}
