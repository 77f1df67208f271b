package dev.apikey.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts consecutive wrong secrets per key id and locks an id out of stored-hash checks after too many,
 * for a cool-down. Only ids of existing keys are counted, so the map is bounded by the number of keys.
 *
 * <p>Not API. Thread-safe.
 */
public final class FailedAttempts {

    private final int limit;
    private final long cooldownMillis;
    private final ConcurrentHashMap<Long, Counter> counters = new ConcurrentHashMap<>();

    private static final class Counter {
        int consecutive;
        long lockedUntilMillis;
    }

    /**
     * @param limit          consecutive wrong secrets that start a lock-out
     * @param cooldownMillis how long a lock-out lasts
     */
    public FailedAttempts(int limit, long cooldownMillis) {
        this.limit = limit;
        this.cooldownMillis = cooldownMillis;
    }

    /** Whether hash checks for this id are suspended at {@code nowMillis}; an ended lock-out starts afresh. */
    public boolean isLockedOut(long id, long nowMillis) {
        Counter c = counters.get(id);
        if (c == null) {
            return false;
        }
        synchronized (c) {
            if (c.lockedUntilMillis > nowMillis) {
                return true;
            }
            if (c.lockedUntilMillis != 0) {
                counters.remove(id, c);
            }
            return false;
        }
    }

    /** Records a wrong secret for an existing key's id. */
    public void failed(long id, long nowMillis) {
        Counter c = counters.computeIfAbsent(id, k -> new Counter());
        synchronized (c) {
            c.consecutive++;
            if (c.consecutive >= limit && c.lockedUntilMillis <= nowMillis) {
                c.lockedUntilMillis = nowMillis + cooldownMillis;
            }
        }
    }

    /** Records a right secret: the count starts over. Costs one read when nothing is counted. */
    public void succeeded(long id) {
        if (!counters.isEmpty()) {
            counters.remove(id);
        }
    }
}
