package dev.apikey.model;

import java.util.Optional;
import java.util.function.Supplier;

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
    private final Supplier<String> country;

    /** The most a call may cost: {@value}. */
    public static final long MAX_COST = 1_000_000;

    private VerifyRequest(String header, String scope, String tenantId, String remoteAddress, long cost,
            Supplier<String> country) {
        this.header = header;
        this.country = country;
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
        return new VerifyRequest(header, null, null, null, 1, null);
    }

    /**
     * {@return the scope the key must hold}
     *
     * @param scope a scope of the catalog; {@code verify} throws {@link IllegalArgumentException} if it is not
     * @throws NullPointerException if scope is null
     */
    public VerifyRequest scope(String scope) {
        return new VerifyRequest(header, java.util.Objects.requireNonNull(scope, "scope"), tenantId, remoteAddress,
                cost, country);
    }

    /**
     * {@return the tenant that owns the resource asked for; a key of another tenant gets {@code tenant_mismatch}}
     *
     * @param tenantId the tenant in the resource's path
     * @throws NullPointerException if tenantId is null
     */
    public VerifyRequest tenantId(String tenantId) {
        return new VerifyRequest(header, scope, java.util.Objects.requireNonNull(tenantId, "tenantId"),
                remoteAddress, cost, country);
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
                java.util.Objects.requireNonNull(remoteAddress, "remoteAddress"), cost, country);
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
        return new VerifyRequest(header, scope, tenantId, remoteAddress, requireCost(cost, ""), country);
    }

    /**
     * Checks a cost as {@link #cost} does, for an adapter that reads one from its configuration (a route's), so that
     * a cost out of range fails the configuration, naming where, and never a request.
     *
     * @param cost  1 to {@value #MAX_COST}
     * @param where what the message says after the rule, naming where the cost was read; {@code ""} for nothing
     * @return the cost
     * @throws IllegalArgumentException if cost is out of range: {@code cost must be 1 to 1000000, was <cost><where>}
     */
    public static long requireCost(long cost, String where) {
        if (cost < 1 || cost > MAX_COST) {
            throw new IllegalArgumentException("cost must be 1 to " + MAX_COST + ", was " + cost + where);
        }
        return cost;
    }

    /**
     * Where the caller's country comes from, for keys and tenants restricted to countries: asked at most once per
     * verify, and only when the key or its tenant has a country list, so a resolver that reads a header or a GeoIP
     * database costs nothing for other keys. It answers an ISO 3166-1 alpha-2 code in any case, or {@code null}
     * (or anything else, e.g. {@code XX}) when it cannot tell: an unknown country, refused unless the host allows it
     * ({@code ApiKeysBuilder.allowUnknownCountry}). A resolver that throws is taken as unknown.
     *
     * <p>When anomaly detection is on ({@code ApiKeysBuilder.anomalyDetection}) and the usage store keeps countries
     * (the built-in ones do), it is also asked, off the hit, for the new-country anomaly: once when an outcome earned
     * with the key's secret comes from a source network new to the key within the usage flush interval (at most 64
     * times per key and interval), never for a refusal anybody can cause by naming the key (a wrong secret). Without
     * anomaly detection it is asked only for keys with a country list, as above.
     *
     * @param country the resolver, e.g. {@code () -> request.getHeader("CF-IPCountry")} behind Cloudflare only
     * @return a copy with the country's source set
     * @throws NullPointerException if country is null
     */
    public VerifyRequest country(Supplier<String> country) {
        return new VerifyRequest(header, scope, tenantId, remoteAddress, cost,
                java.util.Objects.requireNonNull(country, "country"));
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

    Supplier<String> countryOrNull() {
        return country;
    }

    /** Leaves out the header, which holds a secret. */
    @Override
    public String toString() {
        return "VerifyRequest[scope=" + scope + ", tenantId=" + tenantId + ", remoteAddress=" + remoteAddress
                + ", cost=" + cost + (country == null ? "" : ", country resolver") + "]";
    }
}
