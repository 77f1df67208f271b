package dev.apikey;

import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link KeyStore} in a map, for tests, demos and single-process tools. Keys are lost when the process
 * ends.
 *
 * <p>Thread-safe: reads are lock-free, writes are serialized so that {@link #rotate} is atomic.
 */
public final class InMemoryKeyStore implements KeyStore {

    private final ConcurrentHashMap<String, StoredKey> keys = new ConcurrentHashMap<>();

    /** An empty store. */
    public InMemoryKeyStore() {
    }

    @Override
    public synchronized void insert(StoredKey key) {
        Objects.requireNonNull(key, "key");
        if (keys.putIfAbsent(key.keyId(), key) != null) {
            throw new DuplicateKeyException(key.keyId());
        }
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

    @Override
    public synchronized Optional<StoredKey> revoke(String keyId, Instant revokedUtc) {
        Objects.requireNonNull(revokedUtc, "revokedUtc");
        return Optional.ofNullable(keys.computeIfPresent(Objects.requireNonNull(keyId, "keyId"),
                (id, k) -> k.revokedUtc() == null ? k.withRevokedUtc(revokedUtc) : k));
    }

    @Override
    public synchronized boolean rotate(String oldKeyId, Instant oldKeyExpiresUtc, StoredKey replacement) {
        Objects.requireNonNull(oldKeyExpiresUtc, "oldKeyExpiresUtc");
        Objects.requireNonNull(replacement, "replacement");
        StoredKey old = keys.get(Objects.requireNonNull(oldKeyId, "oldKeyId"));
        if (old == null || old.revokedUtc() != null) {
            return false;
        }
        if (keys.containsKey(replacement.keyId())) {
            throw new DuplicateKeyException(replacement.keyId());
        }
        keys.put(replacement.keyId(), replacement);
        keys.put(oldKeyId, old.withExpiresUtc(oldKeyExpiresUtc));
        return true;
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
                key.lastUsedUtc() == null || key.lastUsedUtc().isBefore(at) ? key.withLastUsedUtc(at) : key));
    }

    @Override
    public String toString() {
        return "InMemoryKeyStore[" + keys.size() + " keys]";
    }
}
