package dev.apikey;

import dev.apikey.internal.Phc;
import dev.apikey.spi.SecretHasher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current hasher plus every hasher that can still read stored hashes, chosen per stored hash by its PHC
 * algorithm identifier. A stored hash nobody can read verifies as {@code false} and is logged by key id.
 *
 * <p>Not API. Thread-safe: immutable over thread-safe hashers.
 */
final class HashPolicy {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.hash");

    private final SecretHasher current;
    private final Map<String, SecretHasher> readers;

    /**
     * @param current new hashes are made with this one
     * @param others  hashers for older stored hashes; the current one wins over one of the same algorithm
     */
    public HashPolicy(SecretHasher current, List<SecretHasher> others) {
        this.current = current;
        Map<String, SecretHasher> map = new LinkedHashMap<>();
        for (SecretHasher other : others) {
            map.put(other.algorithm(), other);
        }
        map.put(current.algorithm(), current);
        this.readers = Map.copyOf(map);
    }

    /** Hashes a new secret with the current hasher. */
    public String hash(byte[] secret) {
        return current.hash(secret);
    }

    /** The hasher new hashes are made with. */
    public SecretHasher current() {
        return current;
    }

    /**
     * Checks a secret against a stored hash. Never throws: an unreadable hash, or a hasher that throws,
     * counts as no match and is logged with the key id (never the hash).
     */
    public boolean verify(String keyId, byte[] secret, String storedHash) {
        String algorithm = Phc.algorithm(storedHash);
        SecretHasher hasher = algorithm == null ? null : readers.get(algorithm);
        if (hasher == null) {
            LOG.warn("stored hash of key {} has an unknown format (algorithm {}); it cannot verify", keyId,
                    algorithm == null ? "unreadable" : algorithm);
            return false;
        }
        try {
            if (!hasher.isWellFormed(storedHash)) {
                LOG.warn("stored {} hash of key {} is corrupt; it cannot verify", algorithm, keyId);
                return false;
            }
            return hasher.verify(secret, storedHash);
        } catch (RuntimeException e) {
            LOG.warn("hasher {} failed on the stored hash of key {}: {}", algorithm, keyId,
                    e.getClass().getName());
            return false;
        }
    }

    /** Whether a stored hash should be replaced by one from the current hasher. */
    public boolean needsRehash(String storedHash) {
        if (!current.algorithm().equals(Phc.algorithm(storedHash))) {
            return true;
        }
        try {
            return current.needsRehash(storedHash);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
