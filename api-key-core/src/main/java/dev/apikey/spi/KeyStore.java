package dev.apikey.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where keys live. Implementations must be thread-safe. Registered explicitly with
 * {@code ApiKeys.builder().store(...)}; there is no discovery.
 *
 * <p>Every method may throw {@link KeyStoreException} when the store itself fails; the verifier answers
 * such a failure with {@code store_unavailable}, never with a rejected key. A method that changes
 * something either changes all of it or nothing.
 *
 * <p>The interface will grow through default methods, so implementations keep compiling.
 */
public interface KeyStore {

    /**
     * Adds a new key.
     *
     * @param key the key, its id not in the store yet
     * @throws DuplicateKeyException if a key with the same id exists; nothing is written then
     */
    void insert(StoredKey key);

    /**
     * Finds a key by its id. This is the verifier's only store call on a cache miss.
     *
     * @param keyId the key id
     * @return the key, or empty if no key has that id
     */
    Optional<StoredKey> findById(String keyId);

    /**
     * {@return the keys of one tenant, in no particular order}
     *
     * @param tenantId the tenant, not {@code null}
     */
    List<StoredKey> findByTenant(String tenantId);

    /** {@return every key, tenant-less ones included, in no particular order} */
    List<StoredKey> findAll();

    /**
     * Marks a key revoked at {@code revokedAt} unless it is revoked already (the first revocation time
     * stays).
     *
     * @param keyId the key id
     * @param revokedAt the revocation time
     * @return the key as it is after the call, or empty if no key has that id
     */
    Optional<StoredKey> revoke(String keyId, Instant revokedAt);

    /**
     * Atomically inserts {@code replacement} and sets the old key's expiry to {@code oldKeyExpiresAt} and its
     * {@link StoredKey#replacedBy() replacedBy} to the replacement's id. A key is replaced at most once: this is
     * a compare-and-set on the old key being neither revoked nor replaced.
     *
     * @param oldKeyExpiresAt when the old key stops working: the end of the overlap
     * @param oldKeyId the key being replaced
     * @param replacement the new key, its id not in the store yet
     * @return {@code false}, changing nothing, if the old key does not exist, is revoked or was replaced already
     * @throws DuplicateKeyException if the replacement's id exists; nothing is written then
     */
    boolean rotate(String oldKeyId, Instant oldKeyExpiresAt, StoredKey replacement);

    /**
     * Writes an edit: sets the key's name, scopes, expiry, allowed addresses and rate limit to those of
     * {@code edited}, unless the key is revoked, and moves it on the change feed (like a revoke), so that other
     * instances drop it from their caches. The other fields of {@code edited} are ignored.
     *
     * <p>The default throws: stores written before edits existed cannot edit.
     *
     * @param edited the key with its new values
     * @return the key as it is after the call, or empty, changing nothing, if no key has that id or it is revoked
     * @throws UnsupportedOperationException if this store cannot edit keys
     */
    default Optional<StoredKey> update(StoredKey edited) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot edit keys");
    }

    /**
     * Replaces a key's secret hash if it still is {@code expectedHash} (compare-and-set), used to upgrade
     * hashes to the current policy after a successful verify.
     *
     * @param expectedHash the hash the caller read and verified against
     * @param keyId the key id
     * @param newHash the hash to store instead
     * @return whether the hash was replaced
     */
    boolean replaceHash(String keyId, String expectedHash, String newHash);

    /**
     * Records when keys were last granted, as one batch. A timestamp never moves backwards: a key whose
     * stored last use is later keeps it. Ids not in the store are ignored.
     *
     * <p>The default does nothing, for stores that do not track use.
     *
     * @param lastUsed key id to the time of its latest use
     */
    default void recordLastUsed(Map<String, Instant> lastUsed) {
    }

    /**
     * The current end of the change feed, where a verifier starts following it; empty if this store has no
     * change feed (then other instances learn of revocations only when their cache entries go stale). The
     * default has none.
     *
     * @return the feed position now, or empty without a feed
     */
    default OptionalLong changeFeedPosition() {
        return OptionalLong.empty();
    }

    /**
     * {@return the keys created, revoked or rotated after {@code position} (a value this feed returned before)} A
     * store may return a key more than once; the verifier only forgets its cached copy. Called about once a
     * second per verifier instance, so it must be cheap.
     *
     * @param position a position this feed returned before
     * @throws UnsupportedOperationException if {@link #changeFeedPosition()} is empty (the default)
     */
    default KeyChanges changesSince(long position) {
        throw new UnsupportedOperationException(getClass().getName() + " has no change feed");
    }
}
