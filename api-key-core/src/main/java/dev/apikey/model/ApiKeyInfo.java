package dev.apikey.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about a key, for lists and dashboards: everything but its secret and hash. A snapshot taken
 * when an {@link dev.apikey.ApiKeys} method returned it; {@link #status()} is as of that moment.
 *
 * <p>Immutable and thread-safe; collections are unmodifiable copies. Absent values are empty
 * {@link Optional}s, never {@code null}. Only {@link dev.apikey.ApiKeys} creates instances.
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

    private final String keyId;
    private final KeySpec attributes;
    private final Instant createdAt;
    private final Instant revokedAt;
    private final Instant disabledAt;
    private final String replacedBy;
    private final long version;
    private final String hint;
    private final Instant lastUsedAt;
    private final Status status;
    private final long quotaRemaining;
    private final boolean legacy;

    ApiKeyInfo(String keyId, KeySpec attributes, Instant createdAt, Instant revokedAt, Instant disabledAt,
            String replacedBy, long version, String hint, Instant lastUsedAt, Status status, long quotaRemaining,
            boolean legacy) {
        this.keyId = Objects.requireNonNull(keyId);
        this.attributes = Objects.requireNonNull(attributes);
        this.createdAt = Objects.requireNonNull(createdAt);
        this.revokedAt = revokedAt;
        this.disabledAt = disabledAt;
        this.replacedBy = replacedBy;
        this.version = version;
        this.hint = Objects.requireNonNull(hint);
        this.lastUsedAt = lastUsedAt;
        this.status = Objects.requireNonNull(status);
        this.quotaRemaining = quotaRemaining;
        this.legacy = legacy;
    }

    /**
     * {@return whether this is a legacy key: one handed out before the host used this library, in a format it
     * declared, verified by a digest or salted hash of the whole key} Such a key works like ours; it should be
     * rotated (by {@link KeySpec#rotateBy()}, where the import set one), which issues a key of this library's format.
     */
    public boolean legacy() {
        return legacy;
    }

    /** {@return the public key id} */
    public String keyId() {
        return keyId;
    }

    /** {@return {@code <prefix>_[<tenant>_]<key id>}: safe to log and show, not a credential} */
    public String hint() {
        return hint;
    }

    /** {@return what the key is allowed and described by} */
    public KeySpec attributes() {
        return attributes;
    }

    /** {@return when the key was created} */
    public Instant createdAt() {
        return createdAt;
    }

    /** {@return when the key was revoked, if it was} */
    public Optional<Instant> revokedAt() {
        return Optional.ofNullable(revokedAt);
    }

    /** {@return when the key was disabled, while it is} */
    public Optional<Instant> disabledAt() {
        return Optional.ofNullable(disabledAt);
    }

    /** {@return the id of the key a rotation replaced this one with, if any} */
    public Optional<String> replacedBy() {
        return Optional.ofNullable(replacedBy);
    }

    /** {@return when the key was last granted access, as far as this instance knows} */
    public Optional<Instant> lastUsedAt() {
        return Optional.ofNullable(lastUsedAt);
    }

    /** {@return the key's version: 1 when created, one more at each change of state or attributes} */
    public long version() {
        return version;
    }

    /** {@return where the key stands, as of when this snapshot was taken} */
    public Status status() {
        return status;
    }

    /** {@return whether the key verifies: {@link Status#ACTIVE} or {@link Status#EXPIRING}} */
    public boolean isActive() {
        return status == Status.ACTIVE || status == Status.EXPIRING;
    }

    /** {@return the calls left in the key's quota for the current period; empty without a quota, or unreadable} */
    public java.util.OptionalLong quotaRemaining() {
        return quotaRemaining < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(quotaRemaining);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ApiKeyInfo)) {
            return false;
        }
        ApiKeyInfo other = (ApiKeyInfo) o;
        return keyId.equals(other.keyId) && attributes.equals(other.attributes) && createdAt.equals(other.createdAt)
                && Objects.equals(revokedAt, other.revokedAt) && Objects.equals(disabledAt, other.disabledAt)
                && Objects.equals(replacedBy, other.replacedBy) && version == other.version
                && hint.equals(other.hint) && Objects.equals(lastUsedAt, other.lastUsedAt)
                && status == other.status && quotaRemaining == other.quotaRemaining && legacy == other.legacy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, version, lastUsedAt, status);
    }

    @Override
    public String toString() {
        return "ApiKeyInfo[" + hint + (legacy ? ", legacy" : "") + ", status=" + status + ", version=" + version + ", revokedAt="
                + revokedAt + ", disabledAt=" + disabledAt + ", lastUsedAt=" + lastUsedAt + ", "
                + attributes + "]";
    }
}
