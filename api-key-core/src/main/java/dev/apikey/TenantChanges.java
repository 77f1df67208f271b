package dev.apikey;

import dev.apikey.internal.KeyLayout;
import dev.apikey.model.Allowance;
import dev.apikey.model.KeyChangedException;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.ScopeCatalog;
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

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    private final KeyStore store;
    private final KeyCache cache;
    private final ScopeCatalog catalog;

    TenantChanges(ApiKeysConfig config, KeyCache cache) {
        this.store = config.store();
        this.cache = cache;
        this.catalog = config.catalog();
    }

    private TenantStore tenants() {
        if (store instanceof TenantStore t) {
            return t;
        }
        throw new UnsupportedOperationException(store + " keeps no tenant records (TenantStore): tenants have no "
                + "shared allowances, status, plan or cap of their own with it");
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

    /**
     * Applies a change to a tenant's record (a tenant without one starts from an empty, active one): read, decide,
     * versioned write, retried on a race. The change's own version and tenant id are ignored; a change that changes
     * nothing writes nothing. The plan's scopes must be declared in the catalog.
     */
    Tenant change(String tenantId, UnaryOperator<Tenant> next) {
        requireTenant(tenantId);
        Objects.requireNonNull(next, "change");
        TenantStore tenants = tenants();
        for (int attempt = 1; attempt <= KeyLifecycle.RACE_ATTEMPTS; attempt++) {
            Tenant before = tenants.findTenant(tenantId).orElse(null);
            Tenant c = Objects.requireNonNull(next.apply(before == null ? Tenant.of(tenantId, List.of()) : before),
                    "the change returned null");
            requireDeclared(c.planScopes());
            // A new record starts at version 1, a changed one is one on, whatever the change counted.
            Tenant after = new Tenant(tenantId, c.allowances(), c.allowedCountries(), c.status(), c.planScopes(),
                    c.maxLiveKeys(), before == null ? 1 : before.version() + 1);
            if (before != null && sameContent(before, after)) {
                return before;
            }
            try {
                tenants.writeTenant(after, before == null ? 0 : before.version());
                cache.invalidateTenant(tenantId);
                LOG.debug("tenant {} is {}, shares allowances {}, countries {}, plan {}, cap {}", tenantId,
                        after.status(), after.allowances(), after.allowedCountries(), after.planScopes(),
                        after.maxLiveKeys());
                return after;
            } catch (VersionConflictException e) {
                LOG.debug("tenant {} changed while being written; reading it again ({} of {})", tenantId, attempt,
                        KeyLifecycle.RACE_ATTEMPTS);
            }
        }
        throw new KeyChangedException("tenant:" + tenantId, "written");
    }

    private static boolean sameContent(Tenant a, Tenant b) {
        return a.allowances().equals(b.allowances()) && a.allowedCountries().equals(b.allowedCountries())
                && a.status() == b.status() && a.planScopes().equals(b.planScopes())
                && a.maxLiveKeys() == b.maxLiveKeys();
    }

    private void requireDeclared(java.util.Set<String> planScopes) {
        for (String scope : planScopes) {
            if (MODEL.bitOf(catalog, scope) < 0) {
                throw new IllegalArgumentException("planScopes: scope '" + scope
                        + "' is not declared in the scope catalog");
            }
        }
    }

    private static void requireTenant(String tenantId) {
        String problem = KeyLayout.tenantProblem(tenantId);
        if (problem != null) {
            throw new IllegalArgumentException("tenantId " + problem);
        }
    }
}
