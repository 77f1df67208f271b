package dev.apikey.model;

import dev.apikey.internal.Printable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every way a verify can fail: the one table that the filter, logs, metrics and diagnostics all read, open to
 * failures a host defines for its own checks ({@link #of}, used by a {@link dev.apikey.spi.AccessPolicy}).
 *
 * <p>Each failure has a machine-readable {@link #code()}, an HTTP status, a short title, a detail and a
 * resolution the key's holder can act on. Details that would help a guesser (revoked, expired) are only
 * produced after the presented secret matched.
 *
 * <p>Immutable and thread-safe. Two failures are equal when their codes are.
 */
public final class Failure {

    private static final List<Failure> BUILT_IN = new ArrayList<>();
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{1,63}");


    /** No key was sent. */
    public static final Failure MISSING_API_KEY = builtIn("missing_api_key", 401, "API key missing",
            "The request carries no API key.",
            "Send your key in the X-Api-Key header, or as Authorization: Bearer <key>.");

    /** The authentication header cannot be used at all. */
    public static final Failure MALFORMED_REQUEST = builtIn("malformed_request", 400, "Malformed authentication header",
            "The authentication header could not be read: it holds control characters, more than one key, "
                    + "an unsupported scheme, or is too long.",
            "Send exactly one key, as X-Api-Key: <key> or Authorization: Bearer <key>, and nothing else in "
                    + "that header.");

    /** The value is not shaped like a key, or its checksum is wrong. */
    public static final Failure MALFORMED_API_KEY = builtIn("malformed_api_key", 401, "Malformed API key",
            "The value sent is not a well-formed API key: its format or checksum is wrong.",
            "Copy the key again in full, without quotes, spaces or line breaks. If it still fails, the stored "
                    + "copy is damaged: create a new key.");

    /** A well-formed key of another environment, e.g. a test key sent to production. */
    public static final Failure WRONG_ENVIRONMENT = builtIn("wrong_environment", 401, "API key of another environment",
            "The key is well-formed but was issued for another environment: its prefix is not this one's.",
            "Use a key created for this environment (live keys for production, test keys for the sandbox).");

    /** Unknown key id or wrong secret; the two are deliberately indistinguishable. */
    public static final Failure INVALID_API_KEY = builtIn("invalid_api_key", 401, "Invalid API key",
            "The API key is not valid.",
            "Check that you send the full, current key. If it was rotated or deleted, create a new key in the "
                    + "API keys settings.");

    /** The key was revoked; said only after its secret matched. */
    public static final Failure REVOKED_API_KEY = builtIn("revoked_api_key", 401, "API key revoked",
            "This API key was revoked and can no longer be used.",
            "Create a new key in the API keys settings and replace the revoked one wherever it is configured.");

    /** The key passed its expiry; said only after its secret matched. */
    public static final Failure EXPIRED_API_KEY = builtIn("expired_api_key", 401, "API key expired",
            "This API key has passed its expiry date.",
            "Create a new key, or rotate keys before they expire, and update your configuration.");

    /** The key was disabled (reversibly, unlike a revoke); said only after its secret matched. */
    public static final Failure DISABLED_API_KEY = builtIn("disabled_api_key", 401, "API key disabled",
            "This API key is disabled: it was switched off, by an administrator or by the policy for unused keys, "
                    + "and can be switched on again.",
            "Ask your admin to enable it, or use another key.");

    /**
     * The key's tenant (the organization it belongs to) is suspended: every key of it is refused until it is resumed,
     * the keys themselves untouched. Said only after the secret matched.
     */
    public static final Failure TENANT_SUSPENDED = builtIn("tenant_suspended", 403, "Organization suspended",
            "The organization this key belongs to is suspended, so all of its keys are refused for now. The key was "
                    + "not revoked.",
            "Ask your organization's account owner to contact the service (for example about billing); keep the "
                    + "key: it works again, unchanged, once the organization is resumed.");

    /** The key belongs to another tenant than the resource asked for. */
    public static final Failure TENANT_MISMATCH = builtIn("tenant_mismatch", 403, "Resource of another tenant",
            "The key belongs to a different tenant than the resource requested.",
            "Use a key issued for the tenant that owns this resource, or ask only for your own tenant's "
                    + "resources.");

    /** The key lacks the scope the operation requires. */
    public static final Failure INSUFFICIENT_SCOPE = builtIn("insufficient_scope", 403, "Insufficient scope",
            "The key lacks a scope this operation requires.",
            "Use a key that holds the missing scope, or ask an administrator to create one with it.");

    /**
     * The key holds the scope the operation requires, but its tenant's plan does not include it (any more): the scope
     * is not granted.
     */
    public static final Failure SCOPE_NOT_IN_PLAN = builtIn("scope_not_in_plan", 403, "Scope not enabled for your plan",
            "The key holds a scope this operation requires, but your organization's plan does not include it.",
            "Ask your organization's account owner to change to a plan that includes the scope, or use an operation "
                    + "your plan includes.");

    /** The key may only be used from listed addresses, and this request came from another. */
    public static final Failure IP_NOT_ALLOWED = builtIn("ip_not_allowed", 403, "Address not allowed for this key",
            "This key may only be used from a list of addresses, and this request came from another one.",
            "Call from an address on the key's allow list, or ask its owner to add yours.");

    /**
     * The key (or its tenant) may only be used from listed countries, and this request came from another one, or
     * from one that could not be told (refused unless the host allows unknown countries).
     */
    public static final Failure COUNTRY_NOT_ALLOWED = builtIn("country_not_allowed", 403,
            "Country not allowed for this key",
            "This key may only be used from a list of countries, and this request came from another one, or from "
                    + "one that could not be determined.",
            "Call from a country on the key's list, or ask its owner to add yours; a VPN or proxy can make your "
                    + "country look different or unknown.");

    /** The key made more requests than its rate limit allows. */
    public static final Failure RATE_LIMITED = builtIn("rate_limited", 429, "Rate limit exceeded",
            "This key made more requests than its rate limit allows.",
            "Wait the number of seconds in Retry-After, then slow down; ask for a higher limit if you need one.");

    /** The key used up its calls for the day or month; said with when the count starts again. */
    public static final Failure QUOTA_EXCEEDED = builtIn("quota_exceeded", 429, "Quota exceeded",
            "This key has used all the calls its quota allows for this period.",
            "Wait until the quota resets (Retry-After, and the detail, say when), or ask for a larger quota.");

    /**
     * Too many wrong secrets for this key id from this address: its secret is not checked until the throttle
     * ends. Said before the secret is checked, so it tells nothing about the secret; the key was not rejected.
     */
    public static final Failure TOO_MANY_FAILED_ATTEMPTS = builtIn("too_many_failed_attempts", 429,
            "Too many failed attempts",
            "Too many wrong secrets were sent for this key from this address. The key was not rejected.",
            "Wait the number of seconds in Retry-After, then send the full, current key once.");

    /** The key store could not be reached; the key was not judged. */
    public static final Failure STORE_UNAVAILABLE = builtIn("store_unavailable", 503, "Authentication temporarily unavailable",
            "The key could not be checked because the key store is unreachable. The key was not rejected.",
            "Retry later with exponential backoff. Do not discard or rotate your key.");

    /**
     * The shared rate limiter (Redis, the database) failed or was too slow, and the host chose to fail closed; the
     * key was not rejected.
     */
    public static final Failure RATE_LIMIT_UNAVAILABLE = builtIn("rate_limit_unavailable", 503,
            "Rate limit temporarily unavailable",
            "The key's rate limit could not be checked because the meter did not answer. The key was not "
                    + "rejected.",
            "Retry after the number of seconds in Retry-After, with backoff. Do not discard or rotate your key.");

    /**
     * The meter that counts quotas (the database, Redis) failed or was too slow, and the host chose to fail closed;
     * the key was not rejected.
     */
    public static final Failure QUOTA_UNAVAILABLE = builtIn("quota_unavailable", 503,
            "Quota temporarily unavailable",
            "The key's quota could not be counted because the meter did not answer. The key was not rejected.",
            "Retry after the number of seconds in Retry-After, with backoff. Do not discard or rotate your key.");

    /**
     * The host's {@link dev.apikey.spi.AccessPolicy} threw instead of answering; the key was not judged, and a
     * broken policy never grants.
     */
    public static final Failure POLICY_UNAVAILABLE = builtIn("policy_unavailable", 503,
            "Access check temporarily unavailable",
            "The service's own access check for this key failed to answer. The key was not rejected.",
            "Retry after the number of seconds in Retry-After, with backoff. Do not discard or rotate your key.");

    /** Too many slow verifies at once; the key was not judged. */
    public static final Failure OVERLOADED = builtIn("overloaded", 503, "Authentication overloaded",
            "Too many keys are being checked at once. The key was not rejected.",
            "Retry after the number of seconds in Retry-After, with backoff.");

    /** The request path is not canonical; refused by the servlet filter before any route is looked at. */
    public static final Failure NON_CANONICAL_PATH = builtIn("non_canonical_path", 400, "Path not in canonical form",
            "The request path is not in canonical form: it holds double slashes, ';', encoded '.', '/', '\\' or "
                    + "'%', dot segments, whitespace or control characters.",
            "Send the path exactly as the API reference writes it, without encoding or extra characters.");

    /** A key was sent in the query string, where it would end up in logs and browser history. */
    public static final Failure API_KEY_IN_URL = builtIn("api_key_in_url", 400, "API key in the URL",
            "API keys are not accepted in the URL, where proxies, logs and browser history keep them.",
            "Send the key in the X-Api-Key header (or Authorization: Bearer), and treat the key that was in the "
                    + "URL as leaked: rotate it.");

    private final String code;
    private final int httpStatus;
    private final String title;
    private final String detail;
    private final String resolution;
    /** The position in {@link #builtIns()}, or -1 for a host's failure. */
    private final int index;

    private Failure(String code, int httpStatus, String title, String detail, String resolution, int index) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.title = title;
        this.detail = detail;
        this.resolution = resolution;
        this.index = index;
    }

    private static Failure builtIn(String code, int httpStatus, String title, String detail, String resolution) {
        Failure f = new Failure(code, httpStatus, title, detail, resolution, BUILT_IN.size());
        BUILT_IN.add(f);
        return f;
    }

    /**
     * A failure of the host's own, e.g. {@code plan_without_api_access} (403) from an
     * {@link dev.apikey.spi.AccessPolicy}. It reaches the filter's problem answers, the counters and
     * {@code apikey diagnose} as the built-in ones do. Build each once and reuse it.
     *
     * @return the failure, equal to any other of the same code
     * @param code       2 to 64 of {@code [a-z0-9_]}, starting with a letter, not a built-in code
     * @param httpStatus 400 to 499, or 503
     * @param title      a short summary, 1 to 100 printable characters
     * @param detail     what is wrong, 1 to 500 printable characters, nothing from the request
     * @param resolution what the key's holder can do, 1 to 500 printable characters
     * @throws IllegalArgumentException if an argument breaks its rule, naming it
     * @throws NullPointerException     if an argument is null
     */
    public static Failure of(String code, int httpStatus, String title, String detail, String resolution) {
        Objects.requireNonNull(code, "code");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("code must be 2 to 64 of [a-z0-9_] starting with a letter, was '"
                    + code + "'");
        }
        for (Failure f : BUILT_IN) {
            if (f.code.equals(code)) {
                throw new IllegalArgumentException("code '" + code + "' is a built-in failure; use Failure."
                        + code.toUpperCase(java.util.Locale.ROOT));
            }
        }
        if (!(httpStatus >= 400 && httpStatus <= 499) && httpStatus != 503) {
            throw new IllegalArgumentException("httpStatus must be 400 to 499 or 503, was " + httpStatus);
        }
        requireText("title", title, 100);
        requireText("detail", detail, 500);
        requireText("resolution", resolution, 500);
        return new Failure(code, httpStatus, title, detail, resolution, -1);
    }

    private static void requireText(String name, String text, int max) {
        Objects.requireNonNull(text, name);
        String problem = Printable.problem(text, max);
        if (problem != null) {
            throw new IllegalArgumentException(name + " " + problem);
        }
    }

    /** {@return the failures this library produces, in the order of the table in docs/FAILURES.md; unmodifiable} */
    public static List<Failure> builtIns() {
        return Collections.unmodifiableList(BUILT_IN);
    }

    /** {@return the machine-readable code, e.g. {@code revoked_api_key}} */
    public String code() {
        return code;
    }

    /** {@return the HTTP status a server should answer with} */
    public int httpStatus() {
        return httpStatus;
    }

    /** {@return a short human-readable summary} */
    public String title() {
        return title;
    }

    /** {@return what is wrong, without anything from the request} */
    public String detail() {
        return detail;
    }

    /** {@return what the key's holder can do about it} */
    public String resolution() {
        return resolution;
    }

    /** {@return whether the client should retry later rather than give up: an outage, overload or rate limit} */
    public boolean isTransient() {
        return httpStatus == 503 || httpStatus == 429;
    }

    /** {@return whether this library defines the failure (as opposed to a host's {@link #of})} */
    public boolean isBuiltIn() {
        return index >= 0;
    }

    /** The position among the built-in failures, -1 for a host's; for counters. */
    int index() {
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Failure && ((Failure) o).code.equals(code);
    }

    @Override
    public int hashCode() {
        return code.hashCode();
    }

    @Override
    public String toString() {
        return code;
    }
}
