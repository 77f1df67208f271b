package dev.apikey.model;


/**
 * The checks of a verify, in the order the verifier runs them; the first that fails decides the outcome
 * ({@link Verification#failedCheck()}). This order is the one list: the verifier runs its steps in it,
 * {@code apikey diagnose} prints it, docs/ARCHITECTURE.md follows it.
 *
 * <p>Some checks {@linkplain #mayBlock() may block} the calling thread (a store load, a stored-hash check, host
 * code, a shared counter); {@link dev.apikey.ApiKeys#verifyNow(VerifyRequest)} answers only when none of them has to.
 */
public enum Check {

    /** A key header is present and usable: {@code missing_api_key}, {@code malformed_request}. */
    HEADER("key header", false),
    /** The value is shaped like a key and its checksum holds: {@code malformed_api_key}. */
    FORMAT("format and checksum", false),
    /** The key's prefix is this environment's: {@code wrong_environment}. */
    ENVIRONMENT("prefix of this environment", false),
    /**
     * The store knows the key id: {@code invalid_api_key}, or {@code store_unavailable} if it could not say
     * ({@code overloaded} if another verify's load of the id did not end in time). May block: a key id not in the
     * cache, or stale there, is loaded from the store.
     */
    KEY_EXISTS("key exists", true),
    /**
     * The secret (and tenant segment) match the stored hash: {@code invalid_api_key}, or {@code overloaded} if
     * no hash slot was free or another check of the key did not end in time. May block: until a secret of the key matched on this instance, the stored hash is
     * checked (Argon2 is CPU-heavy); after, one SHA-256 compare answers.
     */
    SECRET("secret matches", true),
    /** The key is not revoked: {@code revoked_api_key}. */
    REVOKED("not revoked", false),
    /** The key has not expired: {@code expired_api_key}. */
    EXPIRED("not expired", false),
    /** The key is not disabled: {@code disabled_api_key}. */
    DISABLED("not disabled", false),
    /**
     * The key's tenant is not suspended, if it has a record: {@code tenant_suspended}. Read from the same cached entry
     * as {@link #DISABLED}, in the same step: a key of a tenant without a record costs nothing more.
     */
    TENANT_ACTIVE("tenant not suspended", false),
    /** The caller's address is on the key's allow list, if it has one: {@code ip_not_allowed}. */
    ADDRESS("address allowed", false),
    /**
     * The caller's country is on the key's list and its tenant's, if either has one: {@code country_not_allowed}. The
     * country is asked of the request's resolver only here, and only for a key with such a list; an unknown country
     * is refused unless the host allows it.
     */
    COUNTRY("country allowed", false),
    /** The key belongs to the tenant asked for, if one was: {@code tenant_mismatch}. */
    TENANT("tenant", false),
    /** The key holds the scope asked for, if one was: {@code insufficient_scope}. */
    SCOPE("scope", false),
    /**
     * The key's tenant's plan includes the scope asked for, if the tenant has a plan: {@code scope_not_in_plan} (the
     * key holds the scope, the plan does not). Decided with {@link #SCOPE}: a cached key holds only the scopes of its
     * plan, so only a refusal looks further.
     */
    PLAN("scope in tenant's plan", false),
    /**
     * The host's {@link dev.apikey.spi.AccessPolicy}, if one is configured: the host's own failure, or
     * {@code policy_unavailable} if it threw. May block: it is the host's code.
     */
    POLICY("host policy", true),
    /**
     * The call's cost is spent from every allowance of the key and of its tenant, all or none (one
     * {@link dev.apikey.spi.Meter} call); a rate limit that refuses is {@code rate_limited}, a failing meter that
     * fails closed {@code rate_limit_unavailable}. May block, unless the meter is the in-process {@link dev.apikey.LocalMeter}.
     */
    RATE_LIMIT("rate limit", true),
    /**
     * A quota that refused the spend above: {@code quota_exceeded} (or {@code quota_unavailable} for a failing meter
     * and only quotas). Spent with the rate limits, so this step does no work of its own; it names the refusal.
     */
    QUOTA("quota", true);

    private final String description;
    private final boolean mayBlock;

    Check(String description, boolean mayBlock) {
        this.description = description;
        this.mayBlock = mayBlock;
    }

    /**
     * {@return whether this check may block the calling thread}: a store load ({@link #KEY_EXISTS} on a cache
     * miss), a stored-hash check ({@link #SECRET} before a secret matched), host code ({@link #POLICY}) or a counter
     * outside this process ({@link #RATE_LIMIT}, {@link #QUOTA}). The other checks read only memory.
     */
    public boolean mayBlock() {
        return mayBlock;
    }

    /** {@return a few words for people, e.g. {@code secret matches}} */
    public String description() {
        return description;
    }
}
