package dev.apikey;

import dev.apikey.internal.KeyLayout;
import dev.apikey.model.Allowance;
import dev.apikey.model.KeyChangedException;
import dev.apikey.model.Tenant;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.TenantStore;
import dev.apikey.spi.VersionConflictException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
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
        return change(tenantId, before -> before.withAllowances(allowances));
    }

    Tenant setAllowedCountries(String tenantId, Collection<String> countries) {
        requireTenant(tenantId);
        // Checked before the store is read: a bad list changes nothing.
        Tenant.of(tenantId, List.of()).withAllowedCountries(Objects.requireNonNull(countries, "allowedCountries"));
        return change(tenantId, before -> before.withAllowedCountries(countries));
    }

    /** Read, decide, versioned write; a tenant without a record starts from an empty one. */
    private Tenant change(String tenantId, UnaryOperator<Tenant> next) {
        TenantStore tenants = tenants();
        for (int attempt = 1; attempt <= KeyLifecycle.RACE_ATTEMPTS; attempt++) {
            Tenant before = tenants.findTenant(tenantId).orElse(null);
            Tenant changed = next.apply(before == null ? Tenant.of(tenantId, List.of()) : before);
            // A new record starts at version 1, whatever the change counted.
            Tenant after = before == null ? new Tenant(tenantId, changed.allowances(), changed.allowedCountries(), 1)
                    : changed;
            if (before != null && before.allowances().equals(after.allowances())
                    && before.allowedCountries().equals(after.allowedCountries())) {
                return before;
            }
            try {
                tenants.writeTenant(after, before == null ? 0 : before.version());
                cache.invalidateTenant(tenantId);
                LOG.debug("tenant {} shares allowances {}, countries {}", tenantId, after.allowances(),
                        after.allowedCountries());
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
