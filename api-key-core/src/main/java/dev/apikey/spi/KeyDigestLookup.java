package dev.apikey.spi;

import java.util.Optional;

/**
 * An optional capability of a {@link KeyStore}: it finds a legacy key by the look-up digest of its stored hash
 * ({@link LegacyHash#lookupDigest}), which it indexes, unique, when it writes a key whose hash has one. The core finds
 * it with {@code instanceof}; without it, declared legacy formats and legacy imports are refused at build or import
 * time, naming this interface.
 *
 * <p>Implementations must be thread-safe; like every store call, a failure is a {@link KeyStoreException}.
 */
public interface KeyDigestLookup {

    /**
     * Finds the key whose stored hash has this look-up digest.
     *
     * @param lookupDigest 64 lower-case hex digits
     * @return the key, or empty if none has it
     * @throws KeyStoreException if the store fails
     */
    Optional<StoredKey> findByLookupDigest(String lookupDigest);
}
