package dev.apikey;

/**
 * The checks of a verify, in the order the verifier runs them; the first that fails decides the outcome
 * ({@link Verification#failedCheck()}). {@code apikey diagnose} prints them in this order.
 */
public enum Check {

    /** A key header is present and usable: {@code missing_api_key}, {@code malformed_request}. */
    HEADER("key header"),
    /** The value is shaped like a key and its checksum holds: {@code malformed_api_key}. */
    FORMAT("format and checksum"),
    /** The key's prefix is this environment's: {@code wrong_environment}. */
    ENVIRONMENT("prefix of this environment"),
    /** The store knows the key id: {@code invalid_api_key}, or {@code store_unavailable} if it could not say. */
    KEY_EXISTS("key exists"),
    /**
     * The secret (and tenant segment) match the stored hash: {@code invalid_api_key}, or {@code overloaded} if
     * no hash slot was free.
     */
    SECRET("secret matches"),
    /** The key is not revoked: {@code revoked_api_key}. */
    REVOKED("not revoked"),
    /** The key has not expired: {@code expired_api_key}. */
    EXPIRED("not expired"),
    /** The key is not disabled: {@code disabled_api_key}. */
    DISABLED("not disabled"),
    /** The caller's address is on the key's allow list, if it has one: {@code ip_not_allowed}. */
    ADDRESS("address allowed"),
    /** The key belongs to the tenant asked for, if one was: {@code tenant_mismatch}. */
    TENANT("tenant"),
    /** The key holds the scope asked for, if one was: {@code insufficient_scope}. */
    SCOPE("scope"),
    /** The host's {@link dev.apikey.spi.AccessPolicy}, if one is configured: the host's own failure. */
    POLICY("host policy"),
    /** The key is within its rate limit, if it has one: {@code rate_limited}. */
    RATE_LIMIT("rate limit"),
    /** The key has calls left in its quota, if it has one: {@code quota_exceeded}. */
    QUOTA("quota");

    private final String description;

    Check(String description) {
        this.description = description;
    }

    /** {@return a few words for people, e.g. {@code secret matches}} */
    public String description() {
        return description;
    }
}
