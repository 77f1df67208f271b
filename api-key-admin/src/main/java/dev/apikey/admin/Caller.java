package dev.apikey.admin;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the admin API, as the host's {@link CallerResolver} decides: a name for the audit trail and the
 * tenants whose keys it may manage.
 *
 * @param actor   who acts, for the audit trail, e.g. {@code user:alice} or {@code key:wlcro_92_3kTz9QbC}
 * @param tenants the tenants it may manage; ignored when {@code allTenants}
 * @param allTenants whether it may manage every tenant's keys, tenant-less keys included
 */
public record Caller(String actor, Set<String> tenants, boolean allTenants) {

    /**
     * Checks the actor and copies the tenants.
     *
     * @param actor      who acts: 1 to 200 printable characters
     * @param tenants    the tenants it may manage
     * @param allTenants whether it may manage every tenant's keys
     * @throws IllegalArgumentException if the actor breaks its rule
     */
    public Caller {
        Objects.requireNonNull(actor, "actor");
        if (actor.isEmpty() || actor.length() > 200 || actor.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("actor must be 1 to 200 characters without control characters");
        }
        tenants = Set.copyOf(Objects.requireNonNull(tenants, "tenants"));
    }

    /**
     * {@return a caller that manages the keys of these tenants only}
     *
     * @param actor   who acts
     * @param tenants its tenants
     */
    public static Caller ofTenants(String actor, Set<String> tenants) {
        return new Caller(actor, tenants, false);
    }

    /**
     * {@return a caller that manages every key}
     *
     * @param actor who acts
     */
    public static Caller ofAllTenants(String actor) {
        return new Caller(actor, Set.of(), true);
    }

    /**
     * {@return whether this caller may manage keys of the tenant}
     *
     * @param tenantId the tenant, or {@code null} for tenant-less keys (only an all-tenants caller manages those)
     */
    public boolean mayManage(String tenantId) {
        return allTenants || (tenantId != null && tenants.contains(tenantId));
    }
}
