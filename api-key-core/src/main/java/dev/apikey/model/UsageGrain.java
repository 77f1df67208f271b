package dev.apikey.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The size of a usage bucket: counts are kept per minute, hour and day, each with its own retention.
 *
 * <p>Immutable.
 */
public enum UsageGrain {
    /** One minute. */
    MINUTE(60),
    /** One hour. */
    HOUR(3_600),
    /** One day, UTC. */
    DAY(86_400);

    private final long seconds;

    UsageGrain(long seconds) {
        this.seconds = seconds;
    }

    /** {@return the bucket's length} */
    public Duration length() {
        return Duration.ofSeconds(seconds);
    }

    /** {@return the bucket's length in seconds} */
    public long seconds() {
        return seconds;
    }

    /**
     * The start of the bucket that holds an instant.
     *
     * @param instant the instant
     * @return the bucket's start, a whole number of buckets after the epoch (UTC)
     */
    public Instant floor(Instant instant) {
        return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), seconds) * seconds);
    }

    /** {@return the lower-case name: {@code minute}, {@code hour} or {@code day}} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a grain by its {@linkplain #label() label}.
     *
     * @param text {@code minute}, {@code hour} or {@code day}
     * @return the grain
     * @throws IllegalArgumentException naming the rule if the text is none of them
     */
    public static UsageGrain parse(String text) {
        for (UsageGrain g : values()) {
            if (g.label().equals(text)) {
                return g;
            }
        }
        throw new IllegalArgumentException("bucket must be minute, hour or day");
    }
}
