package dev.apikey.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts consecutive wrong secrets per key id and source (the caller's address; IPv6 by its /64) and, after
 * too many, throttles that source's stored-hash checks for that id for a cool-down. A throttle never makes a
 * right secret wrong: the verifier answers throttled attempts with {@code too_many_failed_attempts} (429 and
 * the time left), and a caller at another address is not throttled at all, so no one can lock a key out
 * from its public id.
 *
 * <p>Only ids of existing keys are counted. At most {@value #MAX_SOURCES} sources are tracked: when full, ended
 * and stale counts are dropped first, and if that is not enough new failures are counted per id alone
 * (source {@code *}), so a flood from many addresses is still throttled, if less precisely.
 *
 * <p>Not API. Thread-safe. Used only on the stored-hash path, never on a cache hit.
 */
public final class FailedAttempts {

    /** The most sources counted at once. */
    public static final int MAX_SOURCES = 65_536;
    private static final String ANY = "*";

    private final int limit;
    private final long cooldownMillis;
    private final ConcurrentHashMap<Source, Counter> counters = new ConcurrentHashMap<>();

    /** One key id as attacked from one place. */
    private record Source(long id, String from) {
    }

    private static final class Counter {
        int consecutive;
        long lastFailureMillis;
        long throttledUntilMillis;
    }

    /**
     * @param limit          consecutive wrong secrets that start a throttle
     * @param cooldownMillis how long a throttle lasts
     */
    public FailedAttempts(int limit, long cooldownMillis) {
        this.limit = limit;
        this.cooldownMillis = cooldownMillis;
    }

    /**
     * Until when hash checks of this id from this address are throttled, or 0 if they are not. An ended
     * throttle starts afresh.
     *
     * @param address the caller's address as the host gave it, or {@code null}
     */
    public long throttledUntil(long id, String address, long nowMillis) {
        if (counters.isEmpty()) {
            return 0;
        }
        long until = check(new Source(id, sourceOf(address)), nowMillis);
        return until != 0 ? until : check(new Source(id, ANY), nowMillis);
    }

    private long check(Source source, long nowMillis) {
        Counter c = counters.get(source);
        if (c == null) {
            return 0;
        }
        synchronized (c) {
            if (c.throttledUntilMillis > nowMillis) {
                return c.throttledUntilMillis;
            }
            if (c.throttledUntilMillis != 0) {
                counters.remove(source, c);
            }
            return 0;
        }
    }

    /**
     * Records a wrong secret for an existing key's id from an address.
     *
     * @return when this failure started a throttle, its end; otherwise 0 (so a caller reports each throttle once)
     */
    public long failed(long id, String address, long nowMillis) {
        Source source = new Source(id, sourceOf(address));
        Counter c = counters.get(source);
        if (c == null) {
            if (counters.size() >= MAX_SOURCES) {
                sweep(nowMillis);
                if (counters.size() >= MAX_SOURCES) {
                    source = new Source(id, ANY);
                }
            }
            c = counters.computeIfAbsent(source, k -> new Counter());
        }
        synchronized (c) {
            c.consecutive++;
            c.lastFailureMillis = nowMillis;
            if (c.consecutive >= limit && c.throttledUntilMillis <= nowMillis) {
                c.throttledUntilMillis = nowMillis + cooldownMillis;
                c.consecutive = 0;
                return c.throttledUntilMillis;
            }
            return 0;
        }
    }

    /** Records a right secret from an address: its count starts over. Costs one read when nothing is counted. */
    public void succeeded(long id, String address) {
        if (!counters.isEmpty()) {
            counters.remove(new Source(id, sourceOf(address)));
        }
    }

    /** Drops counts whose throttle ended and counts not added to for a cool-down. */
    private void sweep(long nowMillis) {
        counters.entrySet().removeIf(e -> {
            Counter c = e.getValue();
            synchronized (c) {
                return c.throttledUntilMillis <= nowMillis && nowMillis - c.lastFailureMillis >= cooldownMillis;
            }
        });
    }

    /** The address, IPv6 cut to its /64 (one host has them all); {@code *} for none or not a literal. */
    static String sourceOf(String address) {
        String network = CidrSet.network(address, 4);
        return network == null ? ANY : network;
    }
}
