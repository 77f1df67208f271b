package dev.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is known about a key, for lists and dashboards: everything but its secret and hash. A snapshot
 * taken at {@code ApiKeys} call time; {@link #status()} is as of that moment.
 *
 * @param keyId       the public key id, e.g. {@code 3kTz9QbC}
 * @param hint        the loggable hint, {@code <prefix>_[<tenant>_]<key id>}
 * @param tenantId    the tenant, or {@code null} for a tenant-less key
 * @param name        the key's name
 * @param scopes      the scopes granted, sorted; unmodifiable
 * @param createdUtc  when the key was created
 * @param expiresUtc  when it stops working, or {@code null} if never
 * @param revokedUtc  when it was revoked, or {@code null}
 * @param lastUsedUtc when it was last granted access, or {@code null} if never (or not yet recorded)
 * @param metadata    its metadata, sorted by key; unmodifiable
 * @param status      active, revoked or expired at snapshot time
 * @param environment the environment the key is for, or {@code null}
 * @param owner       who answers for the key, or {@code null}
 * @param rotateByUtc when the key should be rotated by, or {@code null}
 * @param allowedAddresses the address ranges the key may be used from; empty means anywhere
 * @param rateLimit   the key's own rate limit, or {@code null} for the configured default
 */
public record ApiKeyInfo(
        String keyId,
        String hint,
        String tenantId,
        String name,
        Set<String> scopes,
        Instant createdUtc,
        Instant expiresUtc,
        Instant revokedUtc,
        Instant lastUsedUtc,
        Map<String, String> metadata,
        Status status,
        String environment,
        String owner,
        Instant rotateByUtc,
        List<String> allowedAddresses,
        RateLimit rateLimit) {

    /** Where a key stands. */
    public enum Status {
        /** It verifies. */
        ACTIVE,
        /** It was revoked. */
        REVOKED,
        /** It passed its expiry. */
        EXPIRED
    }

    /** Whether the key verified at snapshot time: neither revoked nor expired. */
    public boolean isActive() {
        return status == Status.ACTIVE;
    }
}
