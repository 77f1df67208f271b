package dev.apikey;

import dev.apikey.internal.IdTable;
import dev.apikey.spi.KeyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes last-use times to the store in batches, off the request thread: one {@link KeyStore#recordLastUsed}
 * call per flush, at most one timestamp per key. Grants are noted in the cache entries
 * ({@link CachedKey#used}); entries that leave the cache hand their unwritten use over here. A failed write is
 * logged and retried at the next flush.
 *
 * <p>Thread-safe. Package-private: {@link KeyCache} owns it.
 */
final class LastUseTracker {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.lastused");

    private final KeyStore store;
    /** Uses of keys that left the cache before they were written, and uses whose write failed. */
    private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();

    LastUseTracker(KeyStore store) {
        this.store = store;
    }

    /** A cache entry left the cache: keep its unwritten use. */
    void removed(CachedKey entry) {
        long used = entry.exists() ? entry.unflushedUse() : 0;
        if (used > 0) {
            pending.merge(entry.keyId(), used, Math::max);
        }
    }

    /** The latest use known in memory, not yet in the store; 0 if none. */
    long unflushed(String keyId, CachedKey entry) {
        long fromEntry = entry != null && entry.exists() ? entry.unflushedUse() : 0;
        return Math.max(fromEntry, pending.getOrDefault(keyId, 0L));
    }

    /** Writes every unwritten use, of the entries in {@code cached} and of those that left, in one call. */
    synchronized void flush(IdTable<CachedKey> cached) {
        Map<String, Long> batch = new HashMap<>(pending);
        Map<String, CachedKey> entries = new HashMap<>();
        cached.forEach(entry -> {
            long used = entry.exists() ? entry.unflushedUse() : 0;
            if (used > 0) {
                String keyId = entry.keyId();
                batch.merge(keyId, used, Math::max);
                entries.put(keyId, entry);
            }
        });
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
        entries.forEach((id, entry) -> entry.flushed(batch.get(id)));
        LOG.debug("recorded last use of {} keys", write.size());
    }
}
