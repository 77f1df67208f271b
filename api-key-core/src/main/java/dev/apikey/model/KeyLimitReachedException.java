package dev.apikey.model;

/**
 * A tenant holds as many live keys (active or disabled; not revoked, expired or replaced in a rotation's overlap) as
 * its cap allows: revoke one to create another. Nothing was created.
 */
public final class KeyLimitReachedException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the tenant */
    private final String tenantId;
    /** @serial the cap */
    private final int limit;

    /**
     * A full tenant.
     *
     * @param tenantId the tenant
     * @param limit    its cap of live keys
     */
    public KeyLimitReachedException(String tenantId, int limit) {
        super("tenant " + tenantId + " has " + limit + " live keys, its limit; revoke keys it no longer needs to create"
                + " more");
        this.tenantId = tenantId;
        this.limit = limit;
    }

    /** {@return the tenant} */
    public String tenantId() {
        return tenantId;
    }

    /** {@return the cap of live keys} */
    public int limit() {
        return limit;
    }
}
