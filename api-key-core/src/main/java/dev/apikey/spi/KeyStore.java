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
     * {@return one page of a filtered list: the keys {@code filter} selects, in key id order ({@link
     * String#compareTo}, byte order, whatever the database's collation), at most {@code limit} of them} The admin
     * list pages through a tenant with it, passing the last id of a page as the next page's
     * {@link KeyFilter#afterKeyId()}; a store should read no more than {@code limit} keys for it.
     *
     * <p>The default filters {@link #findByTenant} (one tenant) or {@link #findAll()} in memory: correct, but it reads
     * the whole tenant or store; a store with a query language should override it.
     *
     * @param filter which keys
     * @param limit  the most keys to return, at least 1
     * @throws IllegalArgumentException if limit is below 1
     */
    default List<StoredKey> findPage(KeyFilter filter, int limit) {
        java.util.Objects.requireNonNull(filter, "filter");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        List<StoredKey> candidates = filter.tenantIds() != null && filter.tenantIds().size() == 1
                ? findByTenant(filter.tenantIds().iterator().next()) : findAll();
        return candidates.stream().filter(filter::matches).sorted(java.util.Comparator.comparing(StoredKey::keyId))
                .limit(limit).toList();
    }

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
     * Writes an edit: sets the key's name, scopes, expiry, allowed addresses, rate limit and quota to those of
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
     * Disables a key ({@code disabledAt} set) or enables it again ({@code disabledAt} null), unless it is
     * revoked, and, if that changed it, moves it on the change feed (like a revoke), so that other instances drop
     * it from their caches. Disabling a disabled key keeps its first time and changes nothing.
     *
     * <p>The default throws: stores written before disabling existed cannot disable.
     *
     * @param keyId the key id
     * @param disabledAt when it is disabled, or {@code null} to enable it
     * @return the key as it is after the call, or empty if no key has that id
     * @throws UnsupportedOperationException if this store cannot disable keys
     */
    default Optional<StoredKey> setDisabled(String keyId, Instant disabledAt) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot disable keys");
    }

    /**
     * Remembers that a notice about a key was sent (an expiry warning, say), once across every instance
     * sharing the store: the first caller for a key id and notice records its {@code sentAt} and gets empty back,
     * and is the one to send it; every later caller gets the recorded time. A store keeps notices at least as
     * long as the key.
     *
     * <p>The default throws: without it, warnings are not sent (a store that cannot remember would send them
     * again on every check).
     *
     * @param keyId the key id
     * @param notice what was sent, 1 to 200 printable ASCII characters, e.g.
     *               {@code expires:2026-12-01T00:00:00Z:P7D}
     * @param sentAt when it is sent
     * @return empty if this call recorded the notice, else when it was recorded
     * @throws IllegalArgumentException if notice breaks its rule
     * @throws UnsupportedOperationException if this store cannot remember notices
     */
    default Optional<Instant> recordNotice(String keyId, String notice, Instant sentAt) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot remember notices");
    }

    /**
     * Checks a notice's text against the rule of {@link #recordNotice}, for implementations.
     *
     * @param notice the notice
     * @return the notice
     * @throws IllegalArgumentException unless 1 to 200 printable ASCII characters
     * @throws NullPointerException if notice is null
     */
    static String requireNotice(String notice) {
        if (java.util.Objects.requireNonNull(notice, "notice").isEmpty() || notice.length() > 200
                || !notice.chars().allMatch(c -> c >= 0x21 && c < 0x7f)) {
            throw new IllegalArgumentException("notice must be 1 to 200 printable ASCII characters");
        }
        return notice;
    }

    /**
     * {@return the keys, neither revoked nor expired before {@code from}, whose expiry or rotate-by date is
     * before {@code before}} The scheduled expiry check calls it; the default filters {@link #findAll()}, a
     * store with an index can do better.
     *
     * @param from keys expired before this are left out
     * @param before the end of the window
     */
    default List<StoredKey> findDueBefore(Instant from, Instant before) {
        return findAll().stream().filter(k -> k.revokedAt() == null
                && (k.expiresAt() == null || !k.expiresAt().isBefore(from))
                && (isBefore(k.expiresAt(), before) || isBefore(k.rotateBy(), before))).toList();
    }

    /**
     * {@return the keys, neither revoked nor disabled nor expired at {@code now}, created before {@code since}
     * and not used since then} The unused-key policy calls it; the default filters {@link #findAll()}.
     *
     * @param since the start of the idle time
     * @param now the present, to leave expired keys out
     */
    default List<StoredKey> findUnusedSince(Instant since, Instant now) {
        return findAll().stream().filter(k -> k.revokedAt() == null && k.disabledAt() == null
                && (k.expiresAt() == null || k.expiresAt().isAfter(now))
                && k.createdAt().isBefore(since) && (k.lastUsedAt() == null || k.lastUsedAt().isBefore(since)))
                .toList();
    }

    private static boolean isBefore(Instant at, Instant before) {
        return at != null && at.isBefore(before);
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
     * Pushes the id of each key that changes (created, edited, disabled, enabled, revoked, rotated) to
     * {@code changed} as the change commits, from a thread of the store's, until the returned handle is closed:
     * other instances then drop the key at once instead of at the next poll. The poll of {@link #changesSince}
     * stays the backstop. A store that loses its push connection reconnects on its own.
     *
     * <p>The default pushes nothing: empty.
     *
     * @param changed receives key ids; must be quick and must not throw
     * @return a handle that stops the pushes, or empty if this store cannot push
     */
    default Optional<AutoCloseable> subscribeToChanges(java.util.function.Consumer<String> changed) {
        return Optional.empty();
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
