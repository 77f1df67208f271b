package dev.apikey;

import dev.apikey.internal.KeyLayout;
import dev.apikey.model.Allowance;
import dev.apikey.model.KeyChangedException;
import dev.apikey.model.Tenant;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.TenantStore;
import dev.apikey.spi.VersionConflictException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes tenants' records through the store's {@link TenantStore}, with the same read, decide, versioned
 * write as a key's changes, and keeps the cache in step: a change is seen by this instance's next verify of each of the
 * tenant's keys, and by other instances within the cache's staleness.
 *
 * <p>Thread-safe. Package-private: {@link ApiKeys} is the API.
 */
final class TenantChanges {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.lifecycle");

    private final KeyStore store;
    private final KeyCache cache;

    TenantChanges(ApiKeysConfig config, KeyCache cache) {
        this.store = config.store();
        this.cache = cache;
    }

    private TenantStore tenants() {
        if (store instanceof TenantStore t) {
            return t;
        }
        throw new UnsupportedOperationException(store + " keeps no tenant records (TenantStore): tenants have no "
                + "shared allowances with it");
    }

    Optional<Tenant> get(String tenantId) {
        requireTenant(tenantId);
        return store instanceof TenantStore t ? t.findTenant(tenantId) : Optional.empty();
    }

    Tenant setAllowances(String tenantId, List<? extends Allowance> allowances) {
        requireTenant(tenantId);
        Objects.requireNonNull(allowances, "allowances");
        // Checked before the store is read: a bad list changes nothing.
        Tenant.of(tenantId, allowances);
        TenantStore tenants = tenants();
        for (int attempt = 1; attempt <= KeyLifecycle.RACE_ATTEMPTS; attempt++) {
            Tenant before = tenants.findTenant(tenantId).orElse(null);
            if (before != null && before.allowances().equals(List.copyOf(allowances))) {
                return before;
            }
            Tenant after = before == null ? Tenant.of(tenantId, allowances) : before.withAllowances(allowances);
            try {
                tenants.writeTenant(after, before == null ? 0 : before.version());
                cache.invalidateTenant(tenantId);
                LOG.debug("tenant {} shares allowances {}", tenantId, after.allowances());
                return after;
            } catch (VersionConflictException e) {
                LOG.debug("tenant {} changed while being written; reading it again ({} of {})", tenantId, attempt,
                        KeyLifecycle.RACE_ATTEMPTS);
            }
        }
        throw new KeyChangedException("tenant:" + tenantId, "written");
    }

    private static void requireTenant(String tenantId) {
        String problem = KeyLayout.tenantProblem(tenantId);
        if (problem != null) {
            throw new IllegalArgumentException("tenantId " + problem);
        }
    }
}
