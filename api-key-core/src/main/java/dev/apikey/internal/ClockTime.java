package dev.apikey.internal;

import java.time.Clock;

/**
 * How time-driven parts (cache expiry, rate-limit refill) read time from the injected {@link Clock}: the
 * system clock is read through the monotonic {@link System#nanoTime()}, which wall-clock jumps cannot
 * stretch; any other clock (tests move it) through its own milliseconds.
 *
 * <p>Not API. Thread-safe: stateless.
 */
public final class ClockTime {

    private ClockTime() {
    }

    /** Whether this is the system clock, in UTC or the default zone. */
    public static boolean isSystem(Clock clock) {
        return clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone());
    }

    /** The clock's time in nanoseconds, at its millisecond resolution. */
    public static long nanos(Clock clock) {
        return clock.millis() * 1_000_000L;
    }
}
