package dev.apikey.spi;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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

    /**
     * Finds the keys imported with any of these external ids, for an import that checks all its lines at once. The
     * default asks {@link #findByExternalId} for each; a database store should read them in a few statements (an
     * import of 100,000 lines would otherwise cost 100,000 round trips).
     *
     * @param externalIds the ids, each as {@link StoredKey#checkExternalId} allows it
     * @return each id a key holds, to that key; ids no key holds are absent
     * @throws KeyStoreException if the store fails
     */
    default Map<String, StoredKey> findByExternalIds(Collection<String> externalIds) {
        Map<String, StoredKey> found = new HashMap<>();
        for (String id : externalIds) {
            findByExternalId(id).ifPresent(k -> found.put(id, k));
        }
        return found;
    }
}
