package dev.apikey;

/**
 * Every way a verify can fail: the one table that the filter, logs, metrics and diagnostics all read.
 *
 * <p>Each failure has a machine-readable {@link #code()}, an HTTP status, a short title, a detail and a
 * resolution the key's holder can act on. Details that would help a guesser (revoked, expired) are only
 * produced after the presented secret matched.
 */
public enum Failure {

    /** No key was sent. */
    MISSING_API_KEY("missing_api_key", 401, "API key missing",
            "The request carries no API key.",
            "Send your key in the X-Api-Key header, or as Authorization: Bearer <key>."),

    /** The authentication header cannot be used at all. */
    MALFORMED_REQUEST("malformed_request", 400, "Malformed authentication header",
            "The authentication header could not be read: it holds control characters, more than one key, "
                    + "an unsupported scheme, or is too long.",
            "Send exactly one key, as X-Api-Key: <key> or Authorization: Bearer <key>, and nothing else in "
                    + "that header."),

    /** The value is not shaped like a key, or its checksum is wrong. */
    MALFORMED_API_KEY("malformed_api_key", 401, "Malformed API key",
            "The value sent is not a well-formed API key: its format or checksum is wrong.",
            "Copy the key again in full, without quotes, spaces or line breaks. If it still fails, the stored "
                    + "copy is damaged: create a new key."),

    /** A well-formed key of another environment, e.g. a test key sent to production. */
    WRONG_ENVIRONMENT("wrong_environment", 401, "API key of another environment",
            "The key is well-formed but was issued for another environment: its prefix is not this one's.",
            "Use a key created for this environment (live keys for production, test keys for the sandbox)."),

    /** Unknown key id or wrong secret; the two are deliberately indistinguishable. */
    INVALID_API_KEY("invalid_api_key", 401, "Invalid API key",
            "The API key is not valid.",
            "Check that you send the full, current key. If it was rotated or deleted, create a new key in the "
                    + "API keys settings."),

    /** The key was revoked; said only after its secret matched. */
    REVOKED_API_KEY("revoked_api_key", 401, "API key revoked",
            "This API key was revoked and can no longer be used.",
            "Create a new key in the API keys settings and replace the revoked one wherever it is configured."),

    /** The key passed its expiry; said only after its secret matched. */
    EXPIRED_API_KEY("expired_api_key", 401, "API key expired",
            "This API key has passed its expiry date.",
            "Create a new key, or rotate keys before they expire, and update your configuration."),

    /** The key belongs to another tenant than the resource asked for. */
    TENANT_MISMATCH("tenant_mismatch", 403, "Resource of another tenant",
            "The key belongs to a different tenant than the resource requested.",
            "Use a key issued for the tenant that owns this resource, or ask only for your own tenant's "
                    + "resources."),

    /** The key lacks the scope the operation requires. */
    INSUFFICIENT_SCOPE("insufficient_scope", 403, "Insufficient scope",
            "The key lacks a scope this operation requires.",
            "Use a key that holds the missing scope, or ask an administrator to create one with it."),

    /** The key may only be used from listed addresses, and this request came from another. */
    IP_NOT_ALLOWED("ip_not_allowed", 403, "Address not allowed for this key",
            "This key may only be used from a list of addresses, and this request came from another one.",
            "Call from an address on the key's allow list, or ask its owner to add yours."),

    /** The key made more requests than its rate limit allows. */
    RATE_LIMITED("rate_limited", 429, "Rate limit exceeded",
            "This key made more requests than its rate limit allows.",
            "Wait the number of seconds in Retry-After, then slow down; ask for a higher limit if you need one."),

    /** The key store could not be reached; the key was not judged. */
    STORE_UNAVAILABLE("store_unavailable", 503, "Authentication temporarily unavailable",
            "The key could not be checked because the key store is unreachable. The key was not rejected.",
            "Retry later with exponential backoff. Do not discard or rotate your key."),

    /** Too many slow verifies at once; the key was not judged. */
    OVERLOADED("overloaded", 503, "Authentication overloaded",
            "Too many keys are being checked at once. The key was not rejected.",
            "Retry after the number of seconds in Retry-After, with backoff.");

    private final String code;
    private final int httpStatus;
    private final String title;
    private final String detail;
    private final String resolution;

    Failure(String code, int httpStatus, String title, String detail, String resolution) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.title = title;
        this.detail = detail;
        this.resolution = resolution;
    }

    /** The machine-readable code, e.g. {@code revoked_api_key}. */
    public String code() {
        return code;
    }

    /** The HTTP status a server should answer with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** A short human-readable summary. */
    public String title() {
        return title;
    }

    /** What is wrong, without anything from the request. */
    public String detail() {
        return detail;
    }

    /** What the key's holder can do about it. */
    public String resolution() {
        return resolution;
    }

    /** Whether the client should retry later rather than give up: an outage, overload or rate limit. */
    public boolean isTransient() {
        return httpStatus == 503 || httpStatus == 429;
    }
}
