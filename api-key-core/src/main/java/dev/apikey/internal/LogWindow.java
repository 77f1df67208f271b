package dev.apikey.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per window, so that a failure met on every request (a store down, a limiter down, a
 * corrupt row) is logged once a window with a count instead of once a request, which a caller could use to flood the
 * logs.
 *
 * <p>Not API. Thread-safe: lock-free.
 */
public final class LogWindow {

    private final long windowMillis;
    /** When a line was last let through, epoch millis; {@link Long#MIN_VALUE} before the first. */
    private final AtomicLong loggedAt = new AtomicLong(Long.MIN_VALUE);

    /** @param windowMillis the time between two lines, 1 ms or more */
    public LogWindow(long windowMillis) {
        if (windowMillis < 1) {
            throw new IllegalArgumentException("windowMillis must be 1 or more, was " + windowMillis);
        }
        this.windowMillis = windowMillis;
    }

    /** {@return whether a line may be logged now}: the first call does, then one call a window. */
    public boolean tryLog(long nowMillis) {
        long last = loggedAt.get();
        boolean due = last == Long.MIN_VALUE || nowMillis - last >= windowMillis || nowMillis < last;
        return due && loggedAt.compareAndSet(last, nowMillis);
    }
}
