package dev.apikey;

import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What is known about a key, for lists and dashboards: everything but its secret and hash. A snapshot taken
 * when an {@link ApiKeys} method returned it; {@link #status()} is as of that moment.
 *
 * <p>Immutable and thread-safe; collections are unmodifiable copies. Absent values are empty
 * {@link Optional}s, never {@code null}. Only {@link ApiKeys} creates instances.
 */
public final class ApiKeyInfo {

    /** Where a key stands. */
    public enum Status {
        /** It verifies. */
        ACTIVE,
        /**
         * It verifies, but a rotation replaced it: it stops at its expiry, the end of the overlap. Rotate its
         * replacement, not this key.
         */
        EXPIRING,
        /** It was revoked. */
        REVOKED,
        /** It passed its expiry. */
        EXPIRED,
        /**
         * It was disabled: refused with {@code disabled_api_key} until it is enabled again. Unlike a revoke, this
         * can be undone.
         */
        DISABLED
    }

    /** The record with its hash replaced: an info never holds the hash. */
    private static final String REDACTED = "redacted";

    private final StoredKey key;
    private final String hint;
    private final Instant lastUsedAt;
    private final Status status;
    /** Calls left in the quota's current period, or -1 when the key has no quota or the count is unknown. */
    private final long quotaRemaining;

    ApiKeyInfo(StoredKey key, String hint, Instant lastUsedAt, Status status, long quotaRemaining) {
        this.key = key.withSecretHash(REDACTED);
        this.hint = Objects.requireNonNull(hint);
        this.lastUsedAt = lastUsedAt;
        this.status = Objects.requireNonNull(status);
        this.quotaRemaining = quotaRemaining;
    }

    /** {@return the public key id, e.g. {@code 3kTz9QbC}} */
    public String keyId() {
        return key.keyId();
    }

    /** {@return the loggable hint, {@code <prefix>_[<tenant>_]<key id>}} */
    public String hint() {
        return hint;
    }

    /** {@return the tenant; empty for a tenant-less key} */
    public Optional<String> tenantId() {
        return Optional.ofNullable(key.tenantId());
    }

    /** {@return the key's name} */
    public String name() {
        return key.name();
    }

    /** {@return the scopes granted, sorted; unmodifiable} */
    public Set<String> scopes() {
        return key.scopes();
    }

    /** {@return when the key was created} */
    public Instant createdAt() {
        return key.createdAt();
    }

    /** {@return when it stops working; empty if never} */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(key.expiresAt());
    }

    /** {@return when it was revoked; empty if it was not} */
    public Optional<Instant> revokedAt() {
        return Optional.ofNullable(key.revokedAt());
    }

    /** {@return when it was disabled; empty while it is enabled} */
    public Optional<Instant> disabledAt() {
        return Optional.ofNullable(key.disabledAt());
    }

    /**
     * When it was last granted access, including uses this instance has not written to the store yet; empty if
     * never (or not yet recorded anywhere this instance can see).
     *
     * @return the last use, or empty
     */
    public Optional<Instant> lastUsedAt() {
        return Optional.ofNullable(lastUsedAt);
    }

    /** {@return its metadata, sorted by key; unmodifiable} */
    public Map<String, String> metadata() {
        return key.metadata();
    }

    /** {@return active, expiring (replaced, in its overlap), revoked, expired or disabled at snapshot time} */
    public Status status() {
        return status;
    }

    /** {@return whether the key verified at snapshot time: not revoked, expired or disabled (active or expiring)} */
    public boolean isActive() {
        return status == Status.ACTIVE || status == Status.EXPIRING;
    }

    /** {@return the id of the key that replaced this one in a rotation; empty if it was not rotated} */
    public Optional<String> replacedBy() {
        return Optional.ofNullable(key.replacedBy());
    }

    /** {@return the environment the key is for, e.g. {@code prod}} */
    public Optional<String> environment() {
        return Optional.ofNullable(key.environment());
    }

    /** {@return who answers for the key} */
    public Optional<String> owner() {
        return Optional.ofNullable(key.owner());
    }

    /** {@return when the key should be rotated by} */
    public Optional<Instant> rotateBy() {
        return Optional.ofNullable(key.rotateBy());
    }

    /** {@return the address ranges the key may be used from; empty means anywhere} Unmodifiable. */
    public List<String> allowedAddresses() {
        return key.allowedAddresses();
    }

    /** {@return the key's allowance of calls per day or month; empty for none} */
    public Optional<Quota> quota() {
        return Optional.ofNullable(key.quota());
    }

    /**
     * {@return the calls left in the quota's current period when this snapshot was taken, as this instance's quota
     * counter knows them; empty without a quota (or if the counter could not be read)}
     */
    public java.util.OptionalLong quotaRemaining() {
        return quotaRemaining < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(quotaRemaining);
    }

    /** {@return the key's own rate limit; empty when it uses its tenant's or the configured default} */
    public Optional<RateLimit> rateLimit() {
        return Optional.ofNullable(key.rateLimit());
    }

    /**
     * The key as the documented JSON object (docs/JSON.md), for the CLI's {@code --json}, the admin API and any
     * host that prints keys: snake_case names in a fixed order, times as ISO-8601 strings, absent values as
     * {@code null}, the rate limit as {@code {requests, period_seconds}}. Never the secret or its hash.
     *
     * @return a new mutable map of strings, numbers, lists, maps and nulls
     */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key_id", keyId());
        m.put("hint", hint);
        m.put("tenant_id", key.tenantId());
        m.put("name", key.name());
        m.put("scopes", List.copyOf(key.scopes()));
        m.put("status", status.name().toLowerCase(Locale.ROOT));
        m.put("created_at", text(key.createdAt()));
        m.put("expires_at", text(key.expiresAt()));
        m.put("revoked_at", text(key.revokedAt()));
        m.put("disabled_at", text(key.disabledAt()));
        m.put("replaced_by", key.replacedBy());
        m.put("last_used_at", text(lastUsedAt));
        m.put("environment", key.environment());
        m.put("owner", key.owner());
        m.put("rotate_by", text(key.rotateBy()));
        m.put("allowed_addresses", key.allowedAddresses());
        RateLimit limit = key.rateLimit();
        m.put("rate_limit", limit == null ? null
                : Map.of("requests", limit.requests(), "period_seconds", limit.period().toSeconds()));
        Quota quota = key.quota();
        m.put("quota", quota == null ? null
                : Map.of("calls", quota.calls(), "period", quota.period().name().toLowerCase(Locale.ROOT)));
        m.put("quota_remaining", quotaRemaining < 0 ? null : quotaRemaining);
        m.put("metadata", key.metadata());
        return m;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ApiKeyInfo)) {
            return false;
        }
        ApiKeyInfo other = (ApiKeyInfo) o;
        return key.equals(other.key) && hint.equals(other.hint) && Objects.equals(lastUsedAt, other.lastUsedAt)
                && status == other.status;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, lastUsedAt, status);
    }

    @Override
    public String toString() {
        return "ApiKeyInfo[" + hint + ", name=" + key.name() + ", status=" + status + ", scopes=" + key.scopes()
                + ", expiresAt=" + key.expiresAt() + ", revokedAt=" + key.revokedAt() + ", disabledAt=" + key.disabledAt()
                + ", lastUsedAt=" + lastUsedAt + "]";
    }
}
