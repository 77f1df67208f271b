package dev.apikey;

import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyChanges;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link KeyStore} in a map, for tests, demos and single-process tools. Keys are lost when the process
 * ends.
 *
 * <p>Thread-safe: reads are lock-free, writes are serialized so that {@link #rotate} is atomic. Keeps a
 * change feed of the latest 100,000 creates, revokes, rotations, edits, disables and enables, so that several
 * {@link ApiKeys} sharing one store see each other's revocations at once.
 */
public final class InMemoryKeyStore implements KeyStore {

    private static final int FEED_LENGTH = 100_000;

    private final ConcurrentHashMap<String, StoredKey> keys = new ConcurrentHashMap<>();
    /** The change feed: position to key id, the latest {@value #FEED_LENGTH} changes. Guarded by this. */
    private final TreeMap<Long, String> changes = new TreeMap<>();
    private long position;
    /** Notices sent, {@code keyId/notice} to when. */
    private final Map<String, Instant> notices = new ConcurrentHashMap<>();

    private void changed(String keyId) {
        changes.put(++position, keyId);
        if (changes.size() > FEED_LENGTH) {
            changes.pollFirstEntry();
        }
    }

    @Override
    public synchronized OptionalLong changeFeedPosition() {
        return OptionalLong.of(position);
    }

    @Override
    public synchronized KeyChanges changesSince(long since) {
        return new KeyChanges(position,
                List.copyOf(new LinkedHashSet<>(changes.tailMap(since, false).values())));
    }

    /** An empty store. */
    public InMemoryKeyStore() {
    }

    @Override
    public synchronized void insert(StoredKey key) {
        Objects.requireNonNull(key, "key");
        if (keys.putIfAbsent(key.keyId(), key) != null) {
            throw new DuplicateKeyException(key.keyId());
        }
        changed(key.keyId());
    }

    @Override
    public Optional<StoredKey> findById(String keyId) {
        return Optional.ofNullable(keys.get(Objects.requireNonNull(keyId, "keyId")));
    }

    @Override
    public List<StoredKey> findByTenant(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return keys.values().stream().filter(k -> tenantId.equals(k.tenantId())).toList();
    }

    @Override
    public List<StoredKey> findAll() {
        return List.copyOf(keys.values());
    }

    /** Filters the map in place, without copying it first; sorts only the keys that pass. */
    @Override
    public List<StoredKey> findPage(dev.apikey.spi.KeyFilter filter, int limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return keys.values().stream().filter(filter::matches)
                .sorted(java.util.Comparator.comparing(StoredKey::keyId)).limit(limit).toList();
    }

    @Override
    public synchronized Optional<StoredKey> update(StoredKey edited) {
        Objects.requireNonNull(edited, "edited");
        StoredKey before = keys.get(edited.keyId());
        if (before == null || before.revokedAt() != null) {
            return Optional.empty();
        }
        StoredKey after = before.toBuilder().name(edited.name()).scopes(edited.scopes()).expiresAt(edited.expiresAt())
                .allowedAddresses(edited.allowedAddresses()).rateLimit(edited.rateLimit()).quota(edited.quota()).build();
        keys.put(after.keyId(), after);
        changed(after.keyId());
        return Optional.of(after);
    }

    @Override
    public synchronized Optional<StoredKey> revoke(String keyId, Instant revokedAt) {
        Objects.requireNonNull(revokedAt, "revokedAt");
        StoredKey before = keys.get(Objects.requireNonNull(keyId, "keyId"));
        if (before == null) {
            return Optional.empty();
        }
        if (before.revokedAt() != null) {
            return Optional.of(before);
        }
        StoredKey revoked = before.withRevokedAt(revokedAt);
        keys.put(keyId, revoked);
        changed(keyId);
        return Optional.of(revoked);
    }

    @Override
    public synchronized boolean rotate(String oldKeyId, Instant oldKeyExpiresAt, StoredKey replacement) {
        Objects.requireNonNull(oldKeyExpiresAt, "oldKeyExpiresAt");
        Objects.requireNonNull(replacement, "replacement");
        StoredKey old = keys.get(Objects.requireNonNull(oldKeyId, "oldKeyId"));
        if (old == null || old.revokedAt() != null || old.replacedBy() != null) {
            return false;
        }
        if (keys.containsKey(replacement.keyId())) {
            throw new DuplicateKeyException(replacement.keyId());
        }
        keys.put(replacement.keyId(), replacement);
        keys.put(oldKeyId, old.rotatedTo(replacement.keyId(), oldKeyExpiresAt));
        changed(replacement.keyId());
        changed(oldKeyId);
        return true;
    }

    @Override
    public synchronized Optional<StoredKey> setDisabled(String keyId, Instant disabledAt) {
        StoredKey before = keys.get(Objects.requireNonNull(keyId, "keyId"));
        if (before == null) {
            return Optional.empty();
        }
        if (before.revokedAt() != null || (disabledAt == null) == (before.disabledAt() == null)) {
            return Optional.of(before);
        }
        StoredKey after = before.withDisabledAt(disabledAt);
        keys.put(keyId, after);
        changed(keyId);
        return Optional.of(after);
    }

    @Override
    public Optional<Instant> recordNotice(String keyId, String notice, Instant sentAt) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(sentAt, "sentAt");
        KeyStore.requireNotice(notice);
        return Optional.ofNullable(notices.putIfAbsent(keyId + "/" + notice, sentAt));
    }

    @Override
    public synchronized boolean replaceHash(String keyId, String expectedHash, String newHash) {
        Objects.requireNonNull(newHash, "newHash");
        StoredKey k = keys.get(Objects.requireNonNull(keyId, "keyId"));
        if (k == null || !k.secretHash().equals(expectedHash)) {
            return false;
        }
        keys.put(keyId, k.withSecretHash(newHash));
        return true;
    }

    @Override
    public synchronized void recordLastUsed(Map<String, Instant> lastUsed) {
        lastUsed.forEach((id, at) -> keys.computeIfPresent(id, (k, key) ->
                key.lastUsedAt() == null || key.lastUsedAt().isBefore(at) ? key.withLastUsedAt(at) : key));
    }

    @Override
    public String toString() {
        return "InMemoryKeyStore[" + keys.size() + " keys]";
    }
}
