package dev.apikey.model;

import dev.apikey.internal.Countries;
import dev.apikey.internal.KeyLayout;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A tenant's own record: the allowances every key of the tenant shares (a company's plan, "10,000 calls a month",
 * counted once for all its keys, not divided between them by hand), the countries its keys may be used from, and a
 * version that counts its changes. A tenant
 * needs no record: without one, its keys have only their own allowances. Read and written with
 * {@link dev.apikey.ApiKeys#tenant(String)} and {@link dev.apikey.ApiKeys#setTenantAllowances(String, List)}, kept by a store that is a
 * {@link dev.apikey.spi.TenantStore}.
 *
 * <p>Immutable.
 *
 * @param tenantId   the tenant, 1 to 36 of {@code [A-Za-z0-9-]}
 * @param allowances the allowances the tenant's keys share, names unique, at most {@value KeySpec#MAX_ALLOWANCES}
 * @param allowedCountries the countries every key of the tenant may be used from (ISO 3166-1 alpha-2, upper case,
 *                   sorted), on top of a key's own list; empty for anywhere
 * @param version    1 when created, one more at each change
 */
public record Tenant(String tenantId, List<Allowance> allowances, Set<String> allowedCountries, long version) {

    /**
     * Checks every field, naming it.
     *
     * @param tenantId   the tenant
     * @param allowances the shared allowances
     * @param allowedCountries the countries, in any case
     * @param version    1 or more
     * @throws IllegalArgumentException if a field breaks its rule
     * @throws NullPointerException     if tenantId, allowances, allowedCountries or one of them is null
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
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
    }

    /**
     * A record without a country list.
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

    /**
     * {@return this record with other allowances, one version on}
     *
     * @param next the shared allowances
     */
    public Tenant withAllowances(List<? extends Allowance> next) {
        return new Tenant(tenantId, List.copyOf(next), allowedCountries, version + 1);
    }

    /**
     * {@return this record with another country list, one version on}
     *
     * @param next the countries, in any case; empty for anywhere
     * @throws IllegalArgumentException if one is not an ISO 3166-1 alpha-2 code
     */
    public Tenant withAllowedCountries(Collection<String> next) {
        return new Tenant(tenantId, allowances, Set.copyOf(next), version + 1);
    }
}
