package dev.apikey.spi;

import java.util.Optional;

/**
 * An optional capability of a {@link KeyStore}: it holds each key's {@link StoredKey#externalId()} (the id the system
 * a key was imported from knew it by), unique in the store, written in the same atomic {@link KeyStore#write} as the
 * key, and finds a key by it. An import finds a rerun's line by it: the same content is left as it is, changed content
 * refused as a conflict. The core finds it with {@code instanceof}; without it, an import line with an external id is
 * refused, naming this interface.
 *
 * <p>Implementations must be thread-safe; like every store call, a failure is a {@link KeyStoreException}. A write
 * whose external id another key holds fails with {@link DuplicateKeyException}, writing nothing.
 */
public interface ExternalIdLookup {

    /**
     * Finds the key imported with this external id.
     *
     * @param externalId the id, as {@link StoredKey#checkExternalId} allows it
     * @return the key, or empty if none has it
     * @throws KeyStoreException if the store fails
     */
    Optional<StoredKey> findByExternalId(String externalId);
}
