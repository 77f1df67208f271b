package dev.apikey;

import dev.apikey.model.Allowance;
import dev.apikey.model.Tenant;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.TenantStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants' records (shared allowances, country lists, status, plans) as the cache knows them: read from the store's {@link TenantStore} when a key of the
 * tenant is loaded and the copy here is older than the cache's staleness, so a tenant's record costs one store read
 * per staleness window however many of its keys load. A change made through this instance is seen at once
 * ({@link #forget}); through another, within the staleness. A store without tenant records gives every tenant none.
 *
 * <p>Thread-safe. Package-private.
 */
final class TenantRecords {

    /** Most tenants remembered; past it the copies are dropped and read again as needed. */
    private static final int MAX_TENANTS = 100_000;

    /** A tenant's record as read, {@code null} for none, and when to read it again. */
    private record Known(Tenant record, long staleAtMillis) {
        List<Allowance> allowances() {
            return record == null ? List.of() : record.allowances();
        }

        Set<String> countries() {
            return record == null ? Set.of() : record.allowedCountries();
        }
    }

    private static final Known NONE = new Known(null, 0);

    private final TenantStore store;
    private final long stalenessMillis;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
    /** Counts {@link #forget}s, so that a record read before one is not kept after it. */
    private final java.util.concurrent.atomic.AtomicLong forgets = new java.util.concurrent.atomic.AtomicLong();

    TenantRecords(KeyStore store, long stalenessMillis) {
        this.store = store instanceof TenantStore t ? t : null;
        this.stalenessMillis = stalenessMillis;
    }

    /** {@return the tenant's shared allowances, empty without a record}; a store failure is thrown, as a key load's. */
    List<Allowance> allowances(String tenantId, long nowMillis) {
        return read(tenantId, nowMillis).allowances();
    }

    /** {@return the countries the tenant's keys are restricted to, empty for none}; read as {@link #allowances}. */
    Set<String> countries(String tenantId, long nowMillis) {
        return read(tenantId, nowMillis).countries();
    }

    /** {@return the tenant's record, {@code null} without one}; read as {@link #allowances}. */
    Tenant record(String tenantId, long nowMillis) {
        return read(tenantId, nowMillis).record();
    }

    private Known read(String tenantId, long nowMillis) {
        if (store == null || tenantId == null) {
            return NONE;
        }
        Known k = known.get(tenantId);
        if (k != null && nowMillis < k.staleAtMillis()) {
            return k;
        }
        long before = forgets.get();
        Tenant record = store.findTenant(tenantId).orElse(null);
        Known read = new Known(record, nowMillis + stalenessMillis);
        if (known.size() >= MAX_TENANTS) {
            known.clear();
        }
        known.put(tenantId, read);
        // A change (a suspension) forgotten while the store was read may be older than this copy: drop it again, so
        // the next load reads the store. A forget after this check removes the copy itself.
        if (forgets.get() != before) {
            known.remove(tenantId, read);
        }
        return read;
    }

    /** Drops the copy of a tenant's record, after a change through this instance. */
    void forget(String tenantId) {
        forgets.incrementAndGet();
        known.remove(tenantId);
    }
}
