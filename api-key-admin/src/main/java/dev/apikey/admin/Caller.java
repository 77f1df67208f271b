package dev.apikey.admin;

import dev.apikey.model.Actor;
import dev.apikey.model.GrantCeiling;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the admin API, as the host's {@link CallerResolver} decides: a name for the audit trail, the
 * tenants whose keys it may manage, the scopes it may grant, and, for a caller that is an API key, that key's id.
 *
 * @param actor      who acts, for the audit trail, e.g. {@code user:alice} or {@code key:wlcro_92_3kTz9QbC}
 * @param tenants    the tenants it may manage; ignored when {@code allTenants}
 * @param allTenants whether it may manage every tenant's keys, tenant-less keys included
 * @param ceiling    the scopes it may grant to keys it creates, edits or rotates
 * @param keyId      the id of the key it authenticated with, or {@code null} for a user: that key it never edits or
 *                   enables itself
 * @param notAfter   the latest expiry it may give or hand out (a key caller's own expiry), or {@code null}
 */
public record Caller(String actor, Set<String> tenants, boolean allTenants, GrantCeiling ceiling, String keyId,
        Instant notAfter) {

    /**
     * Checks the actor and copies the tenants.
     *
     * @param actor      who acts: 1 to 200 printable characters
     * @param tenants    the tenants it may manage
     * @param allTenants whether it may manage every tenant's keys
     * @param ceiling    the scopes it may grant
     * @param keyId      its own key's id, or {@code null}
     * @param notAfter   the latest expiry it may give, or {@code null}
     * @throws IllegalArgumentException if the actor breaks its rule
     */
    public Caller {
        Objects.requireNonNull(actor, "actor");
        if (actor.isEmpty() || actor.length() > 200 || actor.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("actor must be 1 to 200 characters without control characters");
        }
        tenants = Set.copyOf(Objects.requireNonNull(tenants, "tenants"));
        Objects.requireNonNull(ceiling, "ceiling");
    }

    /**
     * A user of the host's, who grants every scope but the catalog's super scopes
     * ({@link GrantCeiling#ordinaryScopes()}); {@link #withCeiling} says otherwise.
     *
     * @param actor      who acts: 1 to 200 printable characters
     * @param tenants    the tenants it may manage
     * @param allTenants whether it may manage every tenant's keys
     * @throws IllegalArgumentException if the actor breaks its rule
     */
    public Caller(String actor, Set<String> tenants, boolean allTenants) {
        this(actor, tenants, allTenants, GrantCeiling.ordinaryScopes(), null, null);
    }

    /**
     * {@return a caller that manages the keys of these tenants only, granting every scope but super scopes}
     *
     * @param actor   who acts
     * @param tenants its tenants
     */
    public static Caller ofTenants(String actor, Set<String> tenants) {
        return new Caller(actor, tenants, false);
    }

    /**
     * {@return a caller that manages every key, granting every scope but super scopes}
     *
     * @param actor who acts
     */
    public static Caller ofAllTenants(String actor) {
        return new Caller(actor, Set.of(), true);
    }

    /**
     * {@return this caller with another grant ceiling}
     *
     * @param grants what it may grant
     */
    public Caller withCeiling(GrantCeiling grants) {
        return new Caller(actor, tenants, allTenants, grants, keyId, notAfter);
    }

    /** {@return the caller as the core judges it} */
    public Actor toActor() {
        return new Actor(actor, ceiling, keyId, notAfter);
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
