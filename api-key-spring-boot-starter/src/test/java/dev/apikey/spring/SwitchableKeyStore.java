package dev.apikey.spring;

import dev.apikey.InMemoryKeyStore;
import dev.apikey.spi.KeyChanges;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** An in-memory store whose reads of keys can be made to fail, as a database that went away. */
final class SwitchableKeyStore implements KeyStore {

    private final InMemoryKeyStore delegate = new InMemoryKeyStore();
    volatile boolean down;

    private void check() {
        if (down) {
            throw new KeyStoreException("connection refused (simulated outage)", null);
        }
    }

    @Override
    public void insert(StoredKey key) {
        delegate.insert(key);
    }

    @Override
    public Optional<StoredKey> findById(String keyId) {
        check();
        return delegate.findById(keyId);
    }

    @Override
    public List<StoredKey> findByTenant(String tenantId) {
        return delegate.findByTenant(tenantId);
    }

    @Override
    public List<StoredKey> findAll() {
        return delegate.findAll();
    }

    @Override
    public Optional<StoredKey> revoke(String keyId, Instant revokedAt) {
        return delegate.revoke(keyId, revokedAt);
    }

    @Override
    public boolean rotate(String oldKeyId, Instant oldKeyExpiresAt, StoredKey replacement) {
        return delegate.rotate(oldKeyId, oldKeyExpiresAt, replacement);
    }

    @Override
    public Optional<StoredKey> update(StoredKey edited) {
        return delegate.update(edited);
    }

    @Override
    public Optional<StoredKey> setDisabled(String keyId, Instant disabledAt) {
        return delegate.setDisabled(keyId, disabledAt);
    }

    @Override
    public Optional<Instant> recordNotice(String keyId, String notice, Instant sentAt) {
        return delegate.recordNotice(keyId, notice, sentAt);
    }

    @Override
    public boolean replaceHash(String keyId, String expectedHash, String newHash) {
        return delegate.replaceHash(keyId, expectedHash, newHash);
    }

    @Override
    public void recordLastUsed(Map<String, Instant> lastUsed) {
        delegate.recordLastUsed(lastUsed);
    }

    @Override
    public OptionalLong changeFeedPosition() {
        return delegate.changeFeedPosition();
    }

    @Override
    public KeyChanges changesSince(long position) {
        return delegate.changesSince(position);
    }
}
