package dev.apikey.spring;

import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.Tenant;
import dev.apikey.spi.ChangeFeed;
import dev.apikey.spi.KeyChanges;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.NoticeLog;
import dev.apikey.spi.StoredKey;
import dev.apikey.spi.TenantStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory store whose reads of keys can be made to fail, as a database that went away. */
final class SwitchableKeyStore implements KeyStore, ChangeFeed, NoticeLog, TenantStore {

    private final InMemoryKeyStore delegate = new InMemoryKeyStore();
    volatile boolean down;

    private void check() {
        if (down) {
            throw new KeyStoreException("connection refused (simulated outage)", null);
        }
    }

    @Override
    public Optional<StoredKey> findById(String keyId) {
        check();
        return delegate.findById(keyId);
    }

    @Override
    public List<StoredKey> findPage(KeyFilter filter, int limit) {
        return delegate.findPage(filter, limit);
    }

    @Override
    public void write(List<KeyWrite> writes) {
        delegate.write(writes);
    }

    @Override
    public Optional<Instant> recordNotice(String keyId, String notice, Instant sentAt) {
        return delegate.recordNotice(keyId, notice, sentAt);
    }

    @Override
    public void recordLastUsed(Map<String, Instant> lastUsed) {
        delegate.recordLastUsed(lastUsed);
    }

    @Override
    public long changeFeedPosition() {
        return delegate.changeFeedPosition();
    }

    @Override
    public KeyChanges changesSince(long position) {
        return delegate.changesSince(position);
    }

    @Override
    public Optional<Tenant> findTenant(String tenantId) {
        return delegate.findTenant(tenantId);
    }

    @Override
    public void writeTenant(Tenant tenant, long expectedVersion) {
        delegate.writeTenant(tenant, expectedVersion);
    }
}
