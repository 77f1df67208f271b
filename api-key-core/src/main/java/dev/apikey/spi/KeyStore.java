package dev.apikey.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where keys live: a store persists, the core decides. Revoke, disable, enable, edit, rotate and a hash upgrade are
 * decided once, in the core, and written through {@link #write} as versioned replaces, so that "revoked is final" or
 * "a second revoke changes nothing" hold for every store alike; a write that finds a key changed since it was read
 * fails with {@link VersionConflictException} and the core reads again, never overwriting a lost race. Registered with
 * {@code ApiKeys.builder().store(...)}; there is no discovery.
 *
 * <p>Optional capabilities are interfaces of their own, which the core finds with {@code instanceof}:
 * {@link ChangeFeed} (other instances see changes within a poll), {@link ChangePush} (at once),
 * {@link NoticeLog} (expiry warnings sent once), {@link KeyHistory} (each change's events written with it),
 * {@link KeyDigestLookup} (legacy keys found by a digest), {@link ExternalIdLookup} (imported keys found by their
 * source's id). The
 * contract every store must pass ships as {@code api-key-testkit} ({@code KeyStoreContract}, {@code KeyHistoryContract}).
 *
 * <p>Implementations must be thread-safe. Every method may throw {@link KeyStoreException} when the store itself
 * fails; the verifier answers such a failure with {@code store_unavailable}, never with a rejected key.
 */
public interface KeyStore {

    /**
     * Finds a key by its id. This is the verifier's only store call on a cache miss.
     *
     * @param keyId the key id
     * @return the key, or empty if no key has that id
     */
    Optional<StoredKey> findById(String keyId);

    /**
     * {@return one page of a filtered list: the keys {@code filter} selects, in {@link KeyFilter#order()} (by default
     * key id order, {@link String#compareTo}, byte order, whatever the database's collation; else the sort column,
     * then key id, missing values last), at most {@code limit} of them, after the filter's keyset cursor} The caller
     * pages on with {@link KeyFilter#after(StoredKey)} of a page's last key; a store should read no more than
     * {@code limit} keys for it.
     *
     * @param filter which keys
     * @param limit  the most keys to return, at least 1
     * @throws IllegalArgumentException if limit is below 1
     */
    List<StoredKey> findPage(KeyFilter filter, int limit);

    /**
     * Writes every record or none, atomically: each insert's id must be new, each replace's stored key must still be
     * at its expected version. A rotation writes two records (the old key replaced, the new one inserted); a store that
     * keeps a history writes the change's events in the same transaction through {@link KeyHistory#write}. A replace leaves the stored {@link StoredKey#lastUsedAt()} as it is
     * (a side write, see {@link #recordLastUsed}). Every record whose version changes moves its key on the
     * {@link ChangeFeed} (and {@link ChangePush}) of a store that has them.
     *
     * @param writes the records, at least one, each key id once
     * @throws DuplicateKeyException     if an insert's id exists; nothing is written then
     * @throws VersionConflictException  if a replace's key is gone or at another version; nothing is written then
     * @throws IllegalArgumentException  if writes is empty or names a key id twice
     */
    void write(List<KeyWrite> writes);

    /**
     * Adds a new key: one {@link KeyWrite#insert}.
     *
     * @param key the key, at version 1, its id not in the store yet
     * @throws DuplicateKeyException if a key with the same id exists; nothing is written then
     */
    default void insert(StoredKey key) {
        write(List.of(KeyWrite.insert(key)));
    }

    /**
     * Puts {@code key} in place of the stored key with its id, if that is still at {@code expectedVersion}: one
     * {@link KeyWrite#replace}.
     *
     * @param key             the key as it is to be stored
     * @param expectedVersion the version read before the change
     * @throws VersionConflictException if the key is gone or at another version; nothing is written then
     */
    default void replace(StoredKey key, long expectedVersion) {
        write(List.of(KeyWrite.replace(key, expectedVersion)));
    }

    /**
     * Records when keys were last granted, as one batch: a side write that changes no version and moves no key on
     * the change feed. A timestamp never moves backwards: a key whose stored last use is later keeps it. Ids not in
     * the store are ignored.
     *
     * <p>The default does nothing, for stores that do not track use.
     *
     * @param lastUsed key id to the time of its latest use
     */
    default void recordLastUsed(Map<String, Instant> lastUsed) {
    }

    /**
     * Checks the arguments of {@link #write} for implementations: not empty, each key id once.
     *
     * @param writes the records
     * @return the records
     * @throws IllegalArgumentException if empty or an id repeats
     * @throws NullPointerException     if writes or one of them is null
     */
    static List<KeyWrite> requireWrites(List<KeyWrite> writes) {
        List<KeyWrite> copy = List.copyOf(writes);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("writes must hold at least one record");
        }
        if (copy.stream().map(w -> w.key().keyId()).distinct().count() != copy.size()) {
            throw new IllegalArgumentException("writes must name each key id once");
        }
        return copy;
    }

    /**
     * Checks the arguments of {@link #findPage} for implementations.
     *
     * @param filter the filter
     * @param limit  the limit
     * @throws IllegalArgumentException if limit is below 1
     * @throws NullPointerException     if filter is null
     */
    static void requirePage(KeyFilter filter, int limit) {
        java.util.Objects.requireNonNull(filter, "filter");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
