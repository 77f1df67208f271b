package dev.apikey.spi;

import dev.apikey.model.Tenant;
import java.util.Optional;

/**
 * An optional capability of a {@link KeyStore}: it keeps tenants' own records ({@link Tenant}: the allowances their
 * keys share). The core finds it with {@code instanceof}; without it, tenants have no shared allowances and setting
 * one says so.
 */
public interface TenantStore {

    /**
     * Finds a tenant's record.
     *
     * @param tenantId the tenant
     * @return its record, or empty if it has none
     * @throws KeyStoreException if the store fails
     */
    Optional<Tenant> findTenant(String tenantId);

    /**
     * Stores a tenant's record if the stored one is still at {@code expectedVersion} ({@code 0}: there is none yet).
     *
     * @param tenant          the record as it is to be stored
     * @param expectedVersion the version read before the change, or 0 for a new record
     * @throws VersionConflictException if the stored record is at another version (or exists, for 0); nothing is
     *                                  written then
     * @throws KeyStoreException        if the store fails
     */
    void writeTenant(Tenant tenant, long expectedVersion);
}
