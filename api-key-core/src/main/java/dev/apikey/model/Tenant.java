package dev.apikey.model;

import dev.apikey.internal.Countries;
import dev.apikey.internal.KeyLayout;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tenant's own record: the allowances every key of the tenant shares (a company's plan, "10,000 calls a month",
 * counted once for all its keys, not divided between them by hand), the countries its keys may be used from, its
 * {@link Status} (a suspended tenant's keys are all refused, {@code tenant_suspended}, and work again when it is
 * resumed), the scopes its plan includes (a key of the tenant is granted no other: {@code scope_not_in_plan}), its cap
 * of live keys, and a version that counts its changes. A tenant needs no record: without one, its keys have only
 * their own allowances, no plan and the builder's cap. Read and written with {@link dev.apikey.ApiKeys#tenants()},
 * kept by a store that is a {@link dev.apikey.spi.TenantStore}.
 *
 * <p>Immutable.
 *
 * @param tenantId   the tenant, 1 to 36 of {@code [A-Za-z0-9-]}
 * @param allowances the allowances the tenant's keys share, names unique, at most {@value KeySpec#MAX_ALLOWANCES}
 * @param allowedCountries the countries every key of the tenant may be used from (ISO 3166-1 alpha-2, upper case,
 *                   sorted), on top of a key's own list; empty for anywhere
 * @param status     whether the tenant's keys may be used at all
 * @param planScopes the scopes the tenant's plan includes, sorted, at most {@value #MAX_PLAN_SCOPES}; empty for no
 *                   restriction by plan
 * @param maxLiveKeys the tenant's cap of live keys, 1 to {@value #MAX_LIVE_KEYS}; 0 for the builder's
 *                   {@code maxLiveKeysPerTenant}
 * @param version    1 when created, one more at each change
 */
public record Tenant(String tenantId, List<Allowance> allowances, Set<String> allowedCountries, Status status,
        Set<String> planScopes, int maxLiveKeys, long version) {

    /** Most scopes a plan names. */
    public static final int MAX_PLAN_SCOPES = 1_000;
    /** Highest cap of live keys a tenant's record may set, as the builder's. */
    public static final int MAX_LIVE_KEYS = 1_000_000;

    /** Whether a tenant's keys may be used. */
    public enum Status {
        /** Its keys are judged as usual. */
        ACTIVE,
        /** Every key of the tenant is refused ({@code tenant_suspended}); the keys themselves are left as they are. */
        SUSPENDED
    }

    /**
     * Checks every field, naming it.
     *
     * @param tenantId   the tenant
     * @param allowances the shared allowances
     * @param allowedCountries the countries, in any case
     * @param status     the status
     * @param planScopes the plan's scopes (scope names; whether the catalog declares them is checked where the
     *                   record is written)
     * @param maxLiveKeys 0, or 1 to {@value #MAX_LIVE_KEYS}
     * @param version    1 or more
     * @throws IllegalArgumentException if a field breaks its rule
     * @throws NullPointerException     if tenantId, a collection or one of its elements, or status is null
     */
    public Tenant {
        String problem = KeyLayout.tenantProblem(tenantId);
        if (problem != null) {
            throw new IllegalArgumentException("tenantId " + problem);
        }
        allowances = List.copyOf(Objects.requireNonNull(allowances, "allowances"));
        if (allowances.size() > KeySpec.MAX_ALLOWANCES) {
            throw new IllegalArgumentException("allowances may hold at most " + KeySpec.MAX_ALLOWANCES);
        }
        Set<String> names = new HashSet<>();
        for (Allowance a : allowances) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("allowances: two are named '" + a.name()
                        + "'; name one otherwise with named(...)");
            }
        }
        allowedCountries = Countries.checked("allowedCountries", allowedCountries);
        Objects.requireNonNull(status, "status");
        planScopes = checkedPlan(planScopes);
        if (maxLiveKeys < 0 || maxLiveKeys > MAX_LIVE_KEYS) {
            throw new IllegalArgumentException("maxLiveKeys must be 1 to " + MAX_LIVE_KEYS
                    + ", or 0 for the default, was " + maxLiveKeys);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
    }

    private static Set<String> checkedPlan(Set<String> planScopes) {
        Objects.requireNonNull(planScopes, "planScopes");
        if (planScopes.size() > MAX_PLAN_SCOPES) {
            throw new IllegalArgumentException("planScopes may hold at most " + MAX_PLAN_SCOPES + ", was "
                    + planScopes.size());
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String scope : planScopes) {
            Objects.requireNonNull(scope, "planScopes must not contain null");
            // A plan may name a wildcard, as a catalog declares it.
            String problem = ScopeCatalog.nameProblem(scope.endsWith(":*") && scope.length() >= 3
                    ? scope.substring(0, scope.length() - 2) : scope);
            if (problem != null) {
                throw new IllegalArgumentException("planScopes: a scope name " + problem);
            }
            sorted.add(scope);
        }
        return Collections.unmodifiableSortedSet(sorted);
    }

    /**
     * An active record without a plan or cap of its own.
     *
     * @param tenantId   the tenant
     * @param allowances the shared allowances
     * @param allowedCountries the countries, in any case
     * @param version    1 or more
     */
    public Tenant(String tenantId, List<Allowance> allowances, Set<String> allowedCountries, long version) {
        this(tenantId, allowances, allowedCountries, Status.ACTIVE, Set.of(), 0, version);
    }

    /**
     * An active record without a country list, plan or cap of its own.
     *
     * @param tenantId   the tenant
     * @param allowances the shared allowances
     * @param version    1 or more
     */
    public Tenant(String tenantId, List<Allowance> allowances, long version) {
        this(tenantId, allowances, Set.of(), version);
    }

    /**
     * {@return a new record for a tenant, at version 1}
     *
     * @param tenantId   the tenant
     * @param allowances the shared allowances
     */
    public static Tenant of(String tenantId, List<? extends Allowance> allowances) {
        return new Tenant(tenantId, List.copyOf(allowances), 1);
    }

    /** {@return whether the tenant is suspended: every key of it refused} */
    public boolean suspended() {
        return status == Status.SUSPENDED;
    }

    /**
     * {@return this record with other allowances, one version on}
     *
     * @param next the shared allowances
     */
    public Tenant withAllowances(List<? extends Allowance> next) {
        return new Tenant(tenantId, List.copyOf(next), allowedCountries, status, planScopes, maxLiveKeys, version + 1);
    }

    /**
     * {@return this record with another country list, one version on}
     *
     * @param next the countries, in any case; empty for anywhere
     * @throws IllegalArgumentException if one is not an ISO 3166-1 alpha-2 code
     */
    public Tenant withAllowedCountries(Collection<String> next) {
        return new Tenant(tenantId, allowances, Set.copyOf(next), status, planScopes, maxLiveKeys, version + 1);
    }

    /**
     * {@return this record with another status, one version on}
     *
     * @param next the status
     */
    public Tenant withStatus(Status next) {
        return new Tenant(tenantId, allowances, allowedCountries, next, planScopes, maxLiveKeys, version + 1);
    }

    /**
     * {@return this record with another plan, one version on}
     *
     * @param next the scopes the plan includes; empty for no restriction by plan
     * @throws IllegalArgumentException if one is not a scope name, or there are too many
     */
    public Tenant withPlanScopes(Collection<String> next) {
        return new Tenant(tenantId, allowances, allowedCountries, status, new TreeSet<>(next), maxLiveKeys,
                version + 1);
    }

    /**
     * {@return this record with another cap of live keys, one version on}
     *
     * @param next 1 to {@value #MAX_LIVE_KEYS}, or 0 for the builder's {@code maxLiveKeysPerTenant}
     * @throws IllegalArgumentException if out of range
     */
    public Tenant withMaxLiveKeys(int next) {
        return new Tenant(tenantId, allowances, allowedCountries, status, planScopes, next, version + 1);
    }

    /**
     * {@return whether the plan includes a scope: always, for a record without a plan}
     *
     * @param scope a scope name
     */
    public boolean planIncludes(String scope) {
        return planScopes.isEmpty() || planScopes.contains(scope);
    }
}
