package dev.apikey.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters store look-ups of key ids that turn out unknown, per source network (IPv4 /24, IPv6 /64) and in total, so
 * that a client sending made-up ids (the checksum is public, so they pass the parser) cannot make one store query a
 * request, nor take the connections that the first loads of real keys need.
 *
 * <p>Each source has a bucket of {@code perSource} look-ups that refills over a minute; a look-up takes one token
 * before the store is asked and gets it back when the key exists, so only unknown ids spend them. The total has a
 * bucket of {@code total} look-ups a minute that every look-up takes one token of (and also gets back when the key
 * exists, so a cold cache full of real keys spends nothing): whatever the number of sources, unknown ids cost at
 * most the total a minute, after a burst of one total. The last tenth of the total is kept for sources with a clean
 * record (their bucket full: no unknown id lately), so that a flood from networks that sent unknown ids leaves room
 * for real keys' first loads. A caller with no address (the host did not give one) is metered by the total alone,
 * as a source without a clean record.
 *
 * <p>At most {@value #MAX_SOURCES} sources are tracked; when full, sources whose bucket refilled are dropped (at
 * most one sweep a second), and a source that still finds no room is treated as not clean. Not API. Thread-safe.
 */
public final class UnknownIdMeter {

    /** The most sources tracked at once. */
    public static final int MAX_SOURCES = 65_536;
    /** {@link #beforeLookup}: go ahead; a token of the source (if tracked) and of the total were taken. */
    public static final long GO = 0;
    private static final long MINUTE_MILLIS = 60_000;

    private final int perSource;
    private final Bucket total;
    /** Tokens of the total that only clean sources may take. */
    private final int reserve;
    /** When the full source map was last swept, epoch millis. */
    private volatile long sweptAt = Long.MIN_VALUE;
    private final ConcurrentHashMap<String, Bucket> sources = new ConcurrentHashMap<>();

    /** A token bucket refilled smoothly over a minute; guarded by its own lock. */
    private static final class Bucket {
        final int capacity;
        double tokens;
        long refilledAt;

        Bucket(int capacity, long nowMillis) {
            this.capacity = capacity;
            this.tokens = capacity;
            this.refilledAt = nowMillis;
        }

        /** Refills for the time since the last call; must hold the lock. */
        void refill(long nowMillis) {
            long elapsed = nowMillis - refilledAt;
            if (elapsed > 0) {
                tokens = Math.min(capacity, tokens + elapsed * (double) capacity / MINUTE_MILLIS);
                refilledAt = nowMillis;
            }
        }

        /** Milliseconds until one token is there; must hold the lock after a refill. */
        long millisToToken() {
            return Math.max(1, (long) Math.ceil((1 - tokens) * MINUTE_MILLIS / capacity));
        }

        synchronized boolean isFull(long nowMillis) {
            refill(nowMillis);
            return tokens >= capacity;
        }
    }

    /**
     * @param perSource look-ups of unknown ids a source network may cause per minute, 1 or more
     * @param total     look-ups of unknown ids all sources together may cause per minute, 1 or more
     */
    public UnknownIdMeter(int perSource, int total) {
        if (perSource < 1 || total < 1) {
            throw new IllegalArgumentException("unknown-id limits must be 1 or more, were " + perSource + " and "
                    + total);
        }
        this.perSource = perSource;
        this.total = new Bucket(total, 0);
        this.reserve = total / 10;
    }

    /**
     * Asks to read the store for an id not in the cache, from this address: takes the tokens the look-up needs.
     *
     * @param address the caller's address as the host gave it, or {@code null}
     * @return {@link #GO} if the store may be read (then call {@link #found} if the key exists), or how many
     *         milliseconds to wait before asking again (1 or more)
     */
    public long beforeLookup(String address, long nowMillis) {
        Bucket source = sourceOf(address, nowMillis);
        if (source == null) {
            return takeTotal(nowMillis, false);
        }
        // Lock order: a source, then the total; never the other way.
        synchronized (source) {
            source.refill(nowMillis);
            if (source.tokens < 1) {
                return source.millisToToken();
            }
            boolean clean = source.tokens >= source.capacity;
            long answer = takeTotal(nowMillis, clean);
            if (answer == GO) {
                source.tokens--;
            }
            return answer;
        }
    }

    /**
     * The id looked up from this address exists: the look-up gives back the tokens it took.
     *
     * @param address the caller's address, as given to {@link #beforeLookup}
     */
    public void found(String address) {
        String key = CidrSet.network(address, 3);
        Bucket source = key == null ? null : sources.get(key);
        if (source != null) {
            synchronized (source) {
                source.tokens = Math.min(source.capacity, source.tokens + 1);
            }
        }
        synchronized (total) {
            total.tokens = Math.min(total.capacity, total.tokens + 1);
        }
    }

    /** Takes a token of the total; only a clean source may take one of the reserve. */
    private long takeTotal(long nowMillis, boolean clean) {
        int floor = clean ? 0 : reserve;
        synchronized (total) {
            total.refill(nowMillis);
            if (total.tokens >= 1 + floor) {
                total.tokens--;
                return GO;
            }
            return Math.max(1, (long) Math.ceil((1 + floor - total.tokens) * MINUTE_MILLIS / total.capacity));
        }
    }

    private Bucket sourceOf(String address, long nowMillis) {
        String key = CidrSet.network(address, 3);
        if (key == null) {
            return null;
        }
        Bucket b = sources.get(key);
        if (b != null) {
            return b;
        }
        if (sources.size() >= MAX_SOURCES) {
            // A full bucket says nothing a new one would not: drop those, at most once a second (a sweep reads all).
            long last = sweptAt;
            if (nowMillis - last < 1_000 && last != Long.MIN_VALUE) {
                return null;
            }
            sweptAt = nowMillis;
            sources.values().removeIf(s -> s.isFull(nowMillis));
            if (sources.size() >= MAX_SOURCES) {
                return null;
            }
        }
        return sources.computeIfAbsent(key, k -> new Bucket(perSource, nowMillis));
    }
}
