package dev.apikey;

import dev.apikey.spi.KeyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records when keys were last granted, in memory on the request thread (a field write at most once a
 * second per key), and writes them to the store in batches off it: one {@link KeyStore#recordLastUsed}
 * call per flush, at most one timestamp per key. A failed write is logged and retried at the next flush.
 *
 * <p>Thread-safe. Package-private: {@link ApiKeys} schedules the flushes.
 */
final class LastUseTracker {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.lastused");

    private final KeyStore store;
    private final Supplier<Iterable<CachedKey>> cached;
    /** Uses of keys that left the cache before they were flushed, and uses whose write failed. */
    private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();

    LastUseTracker(KeyStore store, Supplier<Iterable<CachedKey>> cached) {
        this.store = store;
        this.cached = cached;
    }

    /** On the hot path: remember the use, writing the field only when the second changed. */
    static void used(CachedKey entry, long nowMillis) {
        if (nowMillis - entry.lastUsedMillis >= 1000) {
            entry.lastUsedMillis = nowMillis;
        }
    }

    /** A cache entry is being dropped: keep its unflushed use. */
    void evicted(CachedKey entry) {
        long used = entry.lastUsedMillis;
        if (entry.exists() && used > entry.flushedMillis) {
            pending.merge(entry.record.keyId(), used, Math::max);
        }
    }

    /** The latest use known in memory, not yet in the store; 0 if none. */
    long unflushed(String keyId, CachedKey entry) {
        long fromEntry = entry != null && entry.lastUsedMillis > entry.flushedMillis ? entry.lastUsedMillis : 0;
        return Math.max(fromEntry, pending.getOrDefault(keyId, 0L));
    }

    /** Writes every unflushed use in one store call. Never throws. */
    synchronized void flush() {
        Map<String, Long> batch = new HashMap<>(pending);
        Map<String, CachedKey> entries = new HashMap<>();
        for (CachedKey entry : cached.get()) {
            long used = entry.lastUsedMillis;
            if (entry.exists() && used > entry.flushedMillis) {
                batch.merge(entry.record.keyId(), used, Math::max);
                entries.put(entry.record.keyId(), entry);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        Map<String, Instant> write = new HashMap<>();
        batch.forEach((id, millis) -> write.put(id, Instant.ofEpochMilli(millis)));
        try {
            store.recordLastUsed(write);
        } catch (RuntimeException e) {
            LOG.warn("could not record last use of {} keys; retrying at the next flush: {}", write.size(), e.toString());
            batch.forEach((id, millis) -> pending.merge(id, millis, Math::max));
            return;
        }
        batch.forEach((id, millis) -> pending.remove(id, millis));
        entries.forEach((id, entry) -> entry.flushedMillis = Math.max(entry.flushedMillis, batch.get(id)));
        LOG.debug("recorded last use of {} keys", write.size());
    }
}
