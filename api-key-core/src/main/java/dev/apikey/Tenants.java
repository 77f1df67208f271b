package dev.apikey;

import dev.apikey.model.Allowance;
import dev.apikey.model.Tenant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Tenants' own records, from {@link ApiKeys#tenants()}: read one, suspend and resume it, set its plan's scopes, its
 * cap of live keys, its countries and its shared allowances. Every change is a versioned write to the store's
 * {@link dev.apikey.spi.TenantStore}, seen by this instance's next verify of each of the tenant's keys, and by other
 * instances sharing the store within one poll of its change feed (about a second) — a suspension included.
 *
 * <pre>{@code
 * apiKeys.tenants().suspend("92");   // every key of tenant 92: tenant_suspended (403), keys untouched
 * apiKeys.tenants().resume("92");    // they work again
 * apiKeys.tenants().update("92", t -> t.withPlanScopes(List.of("events:read")).withMaxLiveKeys(20));
 * }</pre>
 *
 * <p>These are the host's changes, with no actor: the admin API lets only a caller that manages every tenant make
 * them. Each method throws {@link IllegalArgumentException} for a bad tenant id or value (naming it, writing
 * nothing), and {@link UnsupportedOperationException} (changes) if the store keeps no tenant records.
 *
 * <p>Immutable and thread-safe.
 */
public final class Tenants {

    private final TenantChanges changes;
    private final int defaultMaxLiveKeys;

    Tenants(TenantChanges changes, int defaultMaxLiveKeys) {
        this.changes = changes;
        this.defaultMaxLiveKeys = defaultMaxLiveKeys;
    }

    /**
     * {@return a tenant's record; empty if it has none (it is active, without a plan), or the store keeps none}
     *
     * @param tenantId the tenant
     */
    public Optional<Tenant> get(String tenantId) {
        return changes.get(tenantId);
    }

    /**
     * {@return the cap of live keys that applies to a tenant: its record's, else the builder's
     * {@code maxLiveKeysPerTenant}}
     *
     * @param tenantId the tenant
     */
    public int maxLiveKeys(String tenantId) {
        return get(tenantId).map(Tenant::maxLiveKeys).filter(n -> n > 0).orElse(defaultMaxLiveKeys);
    }

    /**
     * Suspends a tenant: every key of it is refused ({@code tenant_suspended}) until it is resumed; the keys stay as
     * they are.
     *
     * @param tenantId the tenant
     * @return its record after the change
     */
    public Tenant suspend(String tenantId) {
        return changes.change(tenantId, t -> t.withStatus(Tenant.Status.SUSPENDED));
    }

    /**
     * Resumes a suspended tenant: its keys work again as they were.
     *
     * @param tenantId the tenant
     * @return its record after the change
     */
    public Tenant resume(String tenantId) {
        return changes.change(tenantId, t -> t.withStatus(Tenant.Status.ACTIVE));
    }

    /**
     * Sets the scopes a tenant's plan includes: a key of the tenant is not created or edited with another
     * ({@link dev.apikey.model.ScopeNotInPlanException}), and a scope the key holds but the plan no longer includes is
     * refused at verify ({@code scope_not_in_plan}).
     *
     * @param tenantId the tenant
     * @param scopes   declared scopes of the catalog; empty for no restriction by plan
     * @return its record after the change
     * @throws IllegalArgumentException if a scope is not declared
     */
    public Tenant setPlanScopes(String tenantId, Collection<String> scopes) {
        Objects.requireNonNull(scopes, "planScopes");
        return changes.change(tenantId, t -> t.withPlanScopes(scopes));
    }

    /**
     * Sets a tenant's cap of live keys, in place of the builder's {@code maxLiveKeysPerTenant}. Keys above a lowered
     * cap stay; only creates are refused.
     *
     * @param tenantId the tenant
     * @param keys     1 to {@value Tenant#MAX_LIVE_KEYS}, or 0 for the builder's
     * @return its record after the change
     */
    public Tenant setMaxLiveKeys(String tenantId, int keys) {
        return changes.change(tenantId, t -> t.withMaxLiveKeys(keys));
    }

    /**
     * Sets the allowances every key of a tenant shares, as {@link ApiKeys#setTenantAllowances}.
     *
     * @param tenantId   the tenant
     * @param allowances the allowances; empty for none
     * @return its record after the change
     */
    public Tenant setAllowances(String tenantId, List<? extends Allowance> allowances) {
        return changes.setAllowances(tenantId, allowances);
    }

    /**
     * Restricts every key of a tenant to these countries, as {@link ApiKeys#setTenantCountries}.
     *
     * @param tenantId  the tenant
     * @param countries ISO 3166-1 alpha-2 codes; empty for anywhere
     * @return its record after the change
     */
    public Tenant setAllowedCountries(String tenantId, Collection<String> countries) {
        return changes.setAllowedCountries(tenantId, countries);
    }

    /**
     * Changes several members at once, in one versioned write: the change gets the current record (an empty, active
     * one for a tenant without) and returns the next, made with its {@code with...} methods. Its version is counted
     * here; a change that changes nothing writes nothing.
     *
     * @param tenantId the tenant
     * @param change   the change, e.g. {@code t -> t.withPlanScopes(plan).withMaxLiveKeys(20)}
     * @return its record after the change
     */
    public Tenant update(String tenantId, UnaryOperator<Tenant> change) {
        return changes.change(tenantId, change);
    }
}
