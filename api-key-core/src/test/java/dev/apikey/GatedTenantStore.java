package dev.apikey;

import dev.apikey.model.Tenant;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import dev.apikey.spi.TenantStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A store over {@link InMemoryKeyStore} that keeps tenants' records and can hold one read of a tenant's record after
 * it was read, until released: to put a change between a read and its use.
 */
final class GatedTenantStore implements KeyStore, TenantStore {

    private final InMemoryKeyStore delegate = new InMemoryKeyStore();
    /** Set to hold the next tenant read; counted down when it has read and waits. */
    volatile CountDownLatch held;
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Optional<StoredKey> findById(String keyId) {
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
    public void recordLastUsed(Map<String, Instant> lastUsed) {
        delegate.recordLastUsed(lastUsed);
    }

    @Override
    public Optional<Tenant> findTenant(String tenantId) {
        Optional<Tenant> read = delegate.findTenant(tenantId);
        CountDownLatch hold = held;
        if (hold != null) {
            held = null;
            hold.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return read;
    }

    @Override
    public void writeTenant(Tenant tenant, long expectedVersion) {
        delegate.writeTenant(tenant, expectedVersion);
    }
}
