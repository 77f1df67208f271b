package dev.apikey.model;

import java.util.List;
import java.util.Set;

/**
 * A key of a tenant was to hold scopes its tenant's plan does not include ({@link Tenant#planScopes()}): a create, an
 * edit of its scopes, or a rotation of a key that holds them. Nothing was written.
 */
public final class ScopeNotInPlanException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the tenant */
    private final String tenantId;
    /** @serial the scopes outside the plan, in the order asked */
    private final List<String> scopes;

    /**
     * Scopes outside a tenant's plan.
     *
     * @param tenantId the tenant
     * @param scopes   the scopes its plan does not include (declared scope names, never secrets)
     */
    public ScopeNotInPlanException(String tenantId, Set<String> scopes) {
        super("scopes " + scopes + " are not in the plan of tenant " + tenantId
                + "; change the tenant's plan first, or leave them out");
        this.tenantId = tenantId;
        this.scopes = List.copyOf(scopes);
    }

    /** {@return the tenant} */
    public String tenantId() {
        return tenantId;
    }

    /** {@return the scopes outside the plan, in the order asked} */
    public List<String> scopes() {
        return scopes;
    }
}
