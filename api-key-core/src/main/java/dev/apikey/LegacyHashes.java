package dev.apikey;

import dev.apikey.spi.LegacyHash;
import dev.apikey.spi.SecretHasher;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a presented legacy key against its stored legacy hash ({@link LegacyHash}): the digest form by one compare
 * of SHA-256 digests, the salted form by the hasher that reads it. Never throws: an unreadable hash, a missing hasher
 * or a hasher that throws is no match, logged with the key id (never the hash).
 *
 * <p>Thread-safe. Package-private.
 */
final class LegacyHashes {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.hash");

    private final LegacySettings settings;

    LegacyHashes(LegacySettings settings) {
        this.settings = settings;
    }

    /**
     * @param keyId      the key's id, for logs
     * @param key        the whole presented key's bytes
     * @param digest     SHA-256 of them
     * @param storedHash the stored legacy hash
     * @return whether they match
     */
    boolean verify(String keyId, byte[] key, byte[] digest, String storedHash) {
        String lookup = LegacyHash.lookupDigest(storedHash);
        if (lookup == null) {
            LOG.warn("stored legacy hash of key {} is corrupt; it cannot verify", keyId);
            return false;
        }
        if (storedHash.startsWith(LegacyHash.SHA256_PREFIX)) {
            return MessageDigest.isEqual(digest, HexFormat.of().parseHex(lookup));
        }
        String salted = LegacyHash.saltedHash(storedHash);
        SecretHasher hasher = settings.hasherFor(salted);
        if (hasher == null) {
            LOG.warn("no hasher reads the {} hash of legacy key {} (bcrypt needs api-key-bcrypt's BcryptHasher as "
                    + "legacyHasher); it cannot verify", LegacyHash.saltedAlgorithm(salted), keyId);
            return false;
        }
        try {
            return hasher.verify(key, salted);
        } catch (RuntimeException e) {
            LOG.warn("hasher failed on the stored legacy hash of key {}: {}", keyId, e.getClass().getName());
            return false;
        }
    }
}
