package dev.apikey.model;

import java.util.Optional;

/**
 * One request to verify: the key header and what the caller asks for. The named setters keep a tenant from
 * being passed where an address was meant.
 *
 * <pre>{@code
 * Verification v = apiKeys.verify(VerifyRequest.header(request.getHeader("X-Api-Key"))
 *         .scope("events:read")
 *         .tenantId(tenantFromPath)
 *         .remoteAddress(request.getRemoteAddr()));
 * }</pre>
 *
 * <p>Immutable and thread-safe: every setter returns a new request. Values are the client's, so none is
 * checked here beyond being non-null: a tenant id that breaks the tenant rule simply matches no key
 * ({@code tenant_mismatch}), and the scope is checked against the catalog by {@code verify}.
 */
public final class VerifyRequest {

    private final String header;
    private final String scope;
    private final String tenantId;
    private final String remoteAddress;
    private final long cost;

    /** The most a call may cost: {@value}. */
    public static final long MAX_COST = 1_000_000;

    private VerifyRequest(String header, String scope, String tenantId, String remoteAddress, long cost) {
        this.header = header;
        this.scope = scope;
        this.tenantId = tenantId;
        this.remoteAddress = remoteAddress;
        this.cost = cost;
    }

    /**
     * {@return a request carrying this key header}
     *
     * @param header the raw value of {@code X-Api-Key} or {@code Authorization} ({@code Bearer <key>}); may be
     *               {@code null} (then {@code missing_api_key})
     */
    public static VerifyRequest header(String header) {
        return new VerifyRequest(header, null, null, null, 1);
    }

    /**
     * {@return the scope the key must hold}
     *
     * @param scope a scope of the catalog; {@code verify} throws {@link IllegalArgumentException} if it is not
     * @throws NullPointerException if scope is null
     */
    public VerifyRequest scope(String scope) {
        return new VerifyRequest(header, java.util.Objects.requireNonNull(scope, "scope"), tenantId, remoteAddress,
                cost);
    }

    /**
     * {@return the tenant that owns the resource asked for; a key of another tenant gets {@code tenant_mismatch}}
     *
     * @param tenantId the tenant in the resource's path
     * @throws NullPointerException if tenantId is null
     */
    public VerifyRequest tenantId(String tenantId) {
        return new VerifyRequest(header, scope, java.util.Objects.requireNonNull(tenantId, "tenantId"),
                remoteAddress, cost);
    }

    /**
     * The caller's IP literal as the host sees it (e.g. {@code getRemoteAddr()}), checked against the key's
     * allowed addresses and passed to audit events.
     *
     * @param remoteAddress the caller's address, IPv4 or IPv6 literal
     * @return a copy with the address set
     * @throws NullPointerException if remoteAddress is null
     */
    public VerifyRequest remoteAddress(String remoteAddress) {
        return new VerifyRequest(header, scope, tenantId,
                java.util.Objects.requireNonNull(remoteAddress, "remoteAddress"), cost);
    }

    /**
     * What the call costs, counted against every allowance of the key and its tenant (a credit system's price of an
     * operation: a search may cost 10, a read 1); default 1. A call whose cost does not fit an allowance is refused
     * and spends nothing.
     *
     * @param cost 1 to {@value #MAX_COST}
     * @return a copy with the cost set
     * @throws IllegalArgumentException if cost is out of range
     */
    public VerifyRequest cost(long cost) {
        if (cost < 1 || cost > MAX_COST) {
            throw new IllegalArgumentException("cost must be 1 to " + MAX_COST + ", was " + cost);
        }
        return new VerifyRequest(header, scope, tenantId, remoteAddress, cost);
    }

    /** {@return what the call costs; 1 unless set} */
    public long cost() {
        return cost;
    }

    /** {@return the key header; {@code null} if none was sent} */
    public String headerValue() {
        return header;
    }

    /** {@return the required scope, if any} */
    public Optional<String> scope() {
        return Optional.ofNullable(scope);
    }

    /** {@return the required tenant, if any} */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** {@return the caller's address, if known} A key with allowed addresses is refused for an unknown address. */
    public Optional<String> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    String scopeOrNull() {
        return scope;
    }

    String tenantIdOrNull() {
        return tenantId;
    }

    String remoteAddressOrNull() {
        return remoteAddress;
    }

    /** Leaves out the header, which holds a secret. */
    @Override
    public String toString() {
        return "VerifyRequest[scope=" + scope + ", tenantId=" + tenantId + ", remoteAddress=" + remoteAddress
                + ", cost=" + cost + "]";
    }
}
