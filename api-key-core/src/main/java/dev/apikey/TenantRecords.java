package dev.apikey;

import dev.apikey.model.Allowance;
import dev.apikey.model.Tenant;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.TenantStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants' shared allowances as the cache knows them: read from the store's {@link TenantStore} when a key of the
 * tenant is loaded and the copy here is older than the cache's staleness, so a tenant's record costs one store read
 * per staleness window however many of its keys load. A change made through this instance is seen at once
 * ({@link #forget}); through another, within the staleness. A store without tenant records gives every tenant none.
 *
 * <p>Thread-safe. Package-private.
 */
final class TenantRecords {

    /** Most tenants remembered; past it the copies are dropped and read again as needed. */
    private static final int MAX_TENANTS = 100_000;

    private record Known(List<Allowance> allowances, long staleAtMillis) {
    }

    private final TenantStore store;
    private final long stalenessMillis;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();

    TenantRecords(KeyStore store, long stalenessMillis) {
        this.store = store instanceof TenantStore t ? t : null;
        this.stalenessMillis = stalenessMillis;
    }

    /** {@return the tenant's shared allowances, empty without a record}; a store failure is thrown, as a key load's. */
    List<Allowance> allowances(String tenantId, long nowMillis) {
        if (store == null || tenantId == null) {
            return List.of();
        }
        Known k = known.get(tenantId);
        if (k != null && nowMillis < k.staleAtMillis()) {
            return k.allowances();
        }
        List<Allowance> read = store.findTenant(tenantId).map(Tenant::allowances).orElse(List.of());
        if (known.size() >= MAX_TENANTS) {
            known.clear();
        }
        known.put(tenantId, new Known(read, nowMillis + stalenessMillis));
        return read;
    }

    /** Drops the copy of a tenant's record, after a change through this instance. */
    void forget(String tenantId) {
        known.remove(tenantId);
    }
}
