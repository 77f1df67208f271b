package dev.apikey.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The range of dates a key may carry, and time arithmetic that saturates instead of throwing. A date from outside
 * (an expiry, a rotate-by date, a list filter) is checked against {@link #EARLIEST} and {@link #LATEST} before any
 * arithmetic, so {@code +999999999-12-31T23:59:59Z} is a clear refusal and never an {@link ArithmeticException}
 * on every later verify; dates read back from a store are used through {@link #toMillis}, which clamps, so a row
 * written before this rule still verifies.
 *
 * <p>Not API. Thread-safe: stateless.
 */
public final class Instants {

    /** The earliest date a key accepts: the start of year 1. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest date a key accepts: the last second of year 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private Instants() {
    }

    /**
     * Checks that a date lies between {@link #EARLIEST} and {@link #LATEST}.
     *
     * @param field the name of the field, for the message
     * @param value the date
     * @return the date
     * @throws NullPointerException     if value is null
     * @throws IllegalArgumentException if it lies outside that range
     */
    public static Instant requireInRange(String field, Instant value) {
        Objects.requireNonNull(value, field);
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw new IllegalArgumentException(field + " must be between " + EARLIEST + " and " + LATEST
                    + " (year 9999 at most), was " + value);
        }
        return value;
    }

    /** {@return the date in epoch milliseconds, clamped to the range of a {@code long}} */
    public static long toMillis(Instant value) {
        long seconds = value.getEpochSecond();
        if (seconds > Long.MAX_VALUE / 1000 - 1) {
            return Long.MAX_VALUE;
        }
        if (seconds < Long.MIN_VALUE / 1000 + 1) {
            return Long.MIN_VALUE;
        }
        return value.toEpochMilli();
    }

    /**
     * {@return {@code value + amount}, clamped to {@link #EARLIEST} and {@link #LATEST}}: what a stored date derived
     * from others (a successor's rotate-by, an overlap's end) may be.
     *
     * @param value  a date
     * @param amount the time to add, negative to subtract
     */
    public static Instant plusClamped(Instant value, Duration amount) {
        Instant from = value.isAfter(LATEST) ? LATEST : value.isBefore(EARLIEST) ? EARLIEST : value;
        // Past the width of the range the answer is an end of it; within it, the sum stays inside Instant's range.
        long width = LATEST.getEpochSecond() - EARLIEST.getEpochSecond();
        if (amount.getSeconds() > width) {
            return LATEST;
        }
        if (amount.getSeconds() < -width) {
            return EARLIEST;
        }
        Instant sum = from.plus(amount);
        return sum.isAfter(LATEST) ? LATEST : sum.isBefore(EARLIEST) ? EARLIEST : sum;
    }
}
