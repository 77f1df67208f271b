package dev.apikey;

import dev.apikey.internal.Base62;
import dev.apikey.internal.KeyLayout;
import dev.apikey.spi.KeyDigestLookup;
import dev.apikey.spi.StoredKey;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Legacy keys' look-up digests to their key ids, between store reads: the key-id cache cannot serve a look-up by
 * digest, so this one does, ahead of it. A found digest's key id never changes (the key's state is the key-id cache's
 * business), so found digests are kept; digests the store did not know are kept for the negative-cache time. Both
 * maps are bounded: a map that reaches its bound is emptied before the next entry goes in, so a flood of made-up keys
 * costs at most the bound's memory (and store reads, which the verifier meters as it does unknown ids of ours).
 *
 * <p>Thread-safe. Package-private.
 */
final class LegacyIndex {

    /** {@link #get}: the store did not know the digest a moment ago. */
    static final long ABSENT = -1;
    /** {@link #get}: the store must be asked. */
    static final long ASK = -2;
    /** The most digests the store did not know kept at once. */
    static final int MAX_ABSENT = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.verify");

    private final KeyDigestLookup lookup;
    private final int maxFound;
    private final long negativeTtlMillis;
    private final ConcurrentHashMap<String, Long> found = new ConcurrentHashMap<>();
    /** Digest to the epoch millis until which it counts as unknown. */
    private final ConcurrentHashMap<String, Long> absent = new ConcurrentHashMap<>();

    /**
     * @param lookup            the store's capability, or {@code null} (then nothing is ever found)
     * @param maxFound          the most found digests kept
     * @param negativeTtlMillis how long an unknown digest is answered from here; 0 for never
     */
    LegacyIndex(KeyDigestLookup lookup, long maxFound, long negativeTtlMillis) {
        this.lookup = lookup;
        this.maxFound = (int) Math.min(Math.max(maxFound, 1), Integer.MAX_VALUE);
        this.negativeTtlMillis = negativeTtlMillis;
    }

    /** {@return the key id (as a number) of a digest, {@link #ABSENT}, or {@link #ASK}}; lock-free */
    long get(String digest, long nowMillis) {
        Long id = found.get(digest);
        if (id != null) {
            return id;
        }
        Long until = absent.get(digest);
        return until != null && until > nowMillis ? ABSENT : ASK;
    }

    /**
     * Asks the store, and keeps the answer.
     *
     * @return the key id as a number, or {@link #ABSENT}
     * @throws RuntimeException what the store threw
     */
    long load(String digest, long nowMillis) {
        StoredKey key = lookup == null ? null : lookup.findByLookupDigest(digest).orElse(null);
        if (key == null || key.keyId().length() != KeyLayout.LOOKUP_ID_LENGTH) {
            if (negativeTtlMillis > 0) {
                bounded(absent, MAX_ABSENT).put(digest, nowMillis + negativeTtlMillis);
            }
            return ABSENT;
        }
        long id = Base62.decode(key.keyId(), 0, KeyLayout.LOOKUP_ID_LENGTH);
        if (id < 0) {
            LOG.warn("legacy key {} has an id that is not base62; it cannot verify", key.keyId());
            return ABSENT;
        }
        absent.remove(digest);
        bounded(found, maxFound).put(digest, id);
        return id;
    }

    private static <V> ConcurrentHashMap<String, V> bounded(ConcurrentHashMap<String, V> map, int max) {
        if (map.size() >= max) {
            map.clear();
        }
        return map;
    }

    long size() {
        return found.size() + absent.size();
    }
}
