package dev.apikey.forwarded;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The names of the headers a gateway forwards its verified caller in, the same on both sides. The defaults all start
 * with {@value #DEFAULT_PREFIX}: {@code X-ApiKey-Key-Id}, {@code X-ApiKey-Tenant}, {@code X-ApiKey-Scopes},
 * {@code X-ApiKey-Timestamp}, {@code X-ApiKey-Signature}.
 *
 * @param keyId     the key id's header
 * @param tenant    the tenant's header (absent for a tenant-less key)
 * @param scopes    the scopes' header (sorted, separated by one space; empty for none)
 * @param timestamp the signing time's header (seconds since the epoch)
 * @param signature the signature's header ({@code v1=} and the base64url HMAC-SHA256, unpadded)
 */
public record ForwardedHeaders(String keyId, String tenant, String scopes, String timestamp, String signature) {

    /** What every default name starts with, and what a gateway strips from every incoming request besides. */
    public static final String DEFAULT_PREFIX = "X-ApiKey-";

    /** The default names. */
    public static final ForwardedHeaders DEFAULTS = new ForwardedHeaders(DEFAULT_PREFIX + "Key-Id",
            DEFAULT_PREFIX + "Tenant", DEFAULT_PREFIX + "Scopes", DEFAULT_PREFIX + "Timestamp",
            DEFAULT_PREFIX + "Signature");

    /**
     * Checks the names.
     *
     * @param keyId     the key id's header
     * @param tenant    the tenant's header
     * @param scopes    the scopes' header
     * @param timestamp the signing time's header
     * @param signature the signature's header
     * @throws IllegalArgumentException naming the header whose name is not 1 to 64 of {@code [A-Za-z0-9-]}, or when two
     *                                  names are the same (case-insensitively)
     * @throws NullPointerException     if a name is null
     */
    public ForwardedHeaders {
        Set<String> seen = new HashSet<>();
        String[][] named = {{"keyId", keyId}, {"tenant", tenant}, {"scopes", scopes}, {"timestamp", timestamp},
            {"signature", signature}};
        for (String[] n : named) {
            Objects.requireNonNull(n[1], n[0]);
            if (!n[1].matches("[A-Za-z0-9-]{1,64}")) {
                throw new IllegalArgumentException("header name " + n[0] + " must be 1 to 64 of [A-Za-z0-9-]");
            }
            if (!seen.add(n[1].toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header name " + n[0] + " repeats another header's name");
            }
        }
    }

    /** {@return the five names, in signing order} */
    public List<String> all() {
        return List.of(keyId, tenant, scopes, timestamp, signature);
    }

    /**
     * Whether an incoming header must be removed before the gateway adds its own: one of the five names, or any name
     * starting with {@value #DEFAULT_PREFIX}, case-insensitively.
     *
     * @param name a header name
     * @return whether to strip it
     */
    public boolean strips(String name) {
        // Asked of every header of every request a gateway passes: the five names one by one, no list made.
        return name.regionMatches(true, 0, DEFAULT_PREFIX, 0, DEFAULT_PREFIX.length()) || keyId.equalsIgnoreCase(name)
                || tenant.equalsIgnoreCase(name) || scopes.equalsIgnoreCase(name)
                || timestamp.equalsIgnoreCase(name) || signature.equalsIgnoreCase(name);
    }
}
