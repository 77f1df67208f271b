package dev.apikey.spi;

import dev.apikey.Quota;
import dev.apikey.RateLimit;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One key as a {@link KeyStore} holds it: everything but the secret, which is kept only as a hash. Build
 * one with {@link #builder(String)}; change one with {@link #toBuilder()}.
 *
 * <p>Immutable; collections are copied and unmodifiable. {@link #toString()} leaves out the hash.
 *
 * @param keyId        the public lookup id, 8 base62 characters, unique in the store
 * @param tenantId     the tenant the key belongs to, or {@code null} for a tenant-less key
 * @param name         the key's name, e.g. {@code crm-sync-prod}
 * @param secretHash   the secret's hash as a self-describing PHC string
 * @param scopes       the scopes granted, sorted
 * @param createdAt   when the key was created
 * @param expiresAt   when the key stops working, or {@code null} if it does not expire
 * @param revokedAt   when the key was revoked, or {@code null}
 * @param disabledAt  when the key was disabled (refused until enabled again), or {@code null} if it is enabled
 * @param lastUsedAt  when the key was last granted access, or {@code null}
 * @param metadata     free-form string pairs, sorted by key
 * @param environment  the environment the key is for, e.g. {@code prod}, or {@code null}
 * @param owner        who answers for the key, e.g. a team or an e-mail address, or {@code null}
 * @param rotateBy  when the key should have been rotated, or {@code null}
 * @param allowedAddresses the address ranges the key may be used from (CIDR); empty means anywhere
 * @param rateLimit    the key's own rate limit, or {@code null} to use the configured default
 * @param replacedBy   the id of the key that replaced this one in a rotation, or {@code null} if it was not
 *                     rotated; a replaced key works until its {@code expiresAt} (the overlap) and is not rotated
 *                     again
 * @param quota        the key's allowance of calls per day or month, or {@code null} for none
 * @param lineageId    the id of the first key of this key's rotations, which its successors share, so that a
 *                     rotation starts neither a new quota nor a new rate-limit window; {@code null} for a key never
 *                     rotated into (its lineage is its own id, see {@link #lineage()})
 */
public record StoredKey(
        String keyId,
        String tenantId,
        String name,
        String secretHash,
        Set<String> scopes,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        Instant disabledAt,
        Instant lastUsedAt,
        Map<String, String> metadata,
        String environment,
        String owner,
        Instant rotateBy,
        List<String> allowedAddresses,
        RateLimit rateLimit,
        String replacedBy,
        Quota quota,
        String lineageId) {

    /**
     * Checks for nulls where none are allowed and copies the collections.
     *
     * @param allowedAddresses the address ranges the key may be used from (CIDR); empty means anywhere
     * @param createdAt when the key was created
     * @param environment the environment the key is for, e.g. {@code prod}, or {@code null}
     * @param expiresAt when the key stops working, or {@code null} if it does not expire
     * @param keyId the public lookup id, 8 base62 characters, unique in the store
     * @param lastUsedAt when the key was last granted access, or {@code null}
     * @param metadata free-form string pairs, sorted by key
     * @param name the key's name, e.g. {@code crm-sync-prod}
     * @param owner who answers for the key, e.g. a team or an e-mail address, or {@code null}
     * @param rateLimit the key's own rate limit, or {@code null} to use the configured default
     * @param replacedBy the id of the key that replaced this one in a rotation, or {@code null} if it was not rotated; a replaced key works until its {@code expiresAt} (the overlap) and is not rotated again
     * @param quota the key's allowance of calls per day or month, or {@code null} for none
     * @param lineageId the id of the first key of this key's rotations, or {@code null} for this key's own
     * @param revokedAt when the key was revoked, or {@code null}
     * @param disabledAt when the key was disabled, or {@code null} if it is enabled
     * @param rotateBy when the key should have been rotated, or {@code null}
     * @param scopes the scopes granted, sorted
     * @param secretHash the secret's hash as a self-describing PHC string
     * @param tenantId the tenant the key belongs to, or {@code null} for a tenant-less key
     * @throws NullPointerException if keyId, name, secretHash, scopes, createdAt, metadata or allowedAddresses is
     *                              null
     */
    public StoredKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
        scopes = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(scopes, "scopes")));
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(metadata, "metadata")));
        allowedAddresses = List.copyOf(Objects.requireNonNull(allowedAddresses, "allowedAddresses"));
    }

    /**
     * Starts a key with this id; name, secret hash, scopes and creation time must be set before build.
     *
     * @param keyId the public lookup id, 8 base62 characters, unique in the store
     * @return a builder with the id set
     */
    public static Builder builder(String keyId) {
        return new Builder(keyId);
    }

    /**
     * A builder holding every field of this key.
     *
     * @return this builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(keyId);
        b.tenantId = tenantId;
        b.name = name;
        b.secretHash = secretHash;
        b.scopes = scopes;
        b.createdAt = createdAt;
        b.expiresAt = expiresAt;
        b.revokedAt = revokedAt;
        b.disabledAt = disabledAt;
        b.lastUsedAt = lastUsedAt;
        b.metadata = metadata;
        b.environment = environment;
        b.owner = owner;
        b.rotateBy = rotateBy;
        b.allowedAddresses = allowedAddresses;
        b.rateLimit = rateLimit;
        b.replacedBy = replacedBy;
        b.quota = quota;
        b.lineageId = lineageId;
        return b;
    }

    /**
     * {@return the id its quota and rate limit are counted under: the first key of its rotations}, this key's own id
     * unless it was issued by a rotation
     */
    public String lineage() {
        return lineageId != null ? lineageId : keyId;
    }

    /**
     * {@return a copy revoked at the given time}
     *
     * @param revoked the revocation time
     */
    public StoredKey withRevokedAt(Instant revoked) {
        return toBuilder().revokedAt(revoked).build();
    }

    /**
     * {@return a copy disabled at the given time, or enabled ({@code null})}
     *
     * @param disabled when it was disabled, or {@code null} to enable it
     */
    public StoredKey withDisabledAt(Instant disabled) {
        return toBuilder().disabledAt(disabled).build();
    }

    /**
     * {@return a copy expiring at the given time ({@code null}: never)}
     *
     * @param expires the new expiry, or {@code null} for never
     */
    public StoredKey withExpiresAt(Instant expires) {
        return toBuilder().expiresAt(expires).build();
    }

    /**
     * {@return a copy with another secret hash (same secret, new hashing policy)}
     *
     * @param hash the new PHC hash
     */
    public StoredKey withSecretHash(String hash) {
        return toBuilder().secretHash(hash).build();
    }

    /**
     * {@return a copy under another key id (a rotation's replacement)}
     *
     * @param id the new key id
     */
    public StoredKey withKeyId(String id) {
        return new StoredKey(id, tenantId, name, secretHash, scopes, createdAt, expiresAt, revokedAt, disabledAt,
                lastUsedAt, metadata, environment, owner, rotateBy, allowedAddresses, rateLimit, replacedBy, quota,
                lineageId);
    }

    /**
     * {@return a copy replaced by the given key, working until the given time: the old side of a rotation}
     *
     * @param replacementId the id of the replacement
     * @param worksUntil the end of the overlap
     */
    public StoredKey rotatedTo(String replacementId, Instant worksUntil) {
        return toBuilder().replacedBy(Objects.requireNonNull(replacementId, "replacementId"))
                .expiresAt(Objects.requireNonNull(worksUntil, "worksUntil")).build();
    }

    /**
     * {@return a copy last used at the given time}
     *
     * @param lastUsed the last use
     */
    public StoredKey withLastUsedAt(Instant lastUsed) {
        return toBuilder().lastUsedAt(lastUsed).build();
    }

    @Override
    public String toString() {
        return "StoredKey[keyId=" + keyId + ", tenantId=" + tenantId + ", name=" + name + ", scopes=" + scopes
                + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt + ", revokedAt=" + revokedAt
                + ", disabledAt=" + disabledAt + ", lastUsedAt=" + lastUsedAt + ", metadata=" + metadata
                + ", environment=" + environment
                + ", owner=" + owner + ", rotateBy=" + rotateBy + ", allowedAddresses=" + allowedAddresses
                + ", rateLimit=" + rateLimit + ", replacedBy=" + replacedBy + ", quota=" + quota + ", lineageId=" + lineageId
                + ", secretHash=redacted]";
    }

    /** Collects the fields of a {@link StoredKey}. Not thread-safe. */
    public static final class Builder {
        private final String keyId;
        private String tenantId;
        private String name;
        private String secretHash;
        private Set<String> scopes = Set.of();
        private Instant createdAt;
        private Instant expiresAt;
        private Instant revokedAt;
        private Instant disabledAt;
        private Instant lastUsedAt;
        private Map<String, String> metadata = Map.of();
        private String environment;
        private String owner;
        private Instant rotateBy;
        private List<String> allowedAddresses = List.of();
        private RateLimit rateLimit;
        private String replacedBy;
        private Quota quota;
        private String lineageId;

        private Builder(String keyId) {
            this.keyId = Objects.requireNonNull(keyId, "keyId");
        }

        /**
         * @return this builder
         * @param v the tenant, or {@code null}
         */
        public Builder tenantId(String v) {
            tenantId = v;
            return this;
        }

        /**
         * @return this builder
         * @param v the name
         */
        public Builder name(String v) {
            name = v;
            return this;
        }

        /**
         * @return this builder
         * @param v the PHC hash
         */
        public Builder secretHash(String v) {
            secretHash = v;
            return this;
        }

        /**
         * @return this builder
         * @param v the scopes
         */
        public Builder scopes(Set<String> v) {
            scopes = v;
            return this;
        }

        /**
         * @return this builder
         * @param v creation time
         */
        public Builder createdAt(Instant v) {
            createdAt = v;
            return this;
        }

        /**
         * @return this builder
         * @param v expiry, or {@code null}
         */
        public Builder expiresAt(Instant v) {
            expiresAt = v;
            return this;
        }

        /**
         * @return this builder
         * @param v revocation time, or {@code null}
         */
        public Builder revokedAt(Instant v) {
            revokedAt = v;
            return this;
        }

        /**
         * @return this builder
         * @param v when the key was disabled, or {@code null} for enabled
         */
        public Builder disabledAt(Instant v) {
            disabledAt = v;
            return this;
        }

        /**
         * @return this builder
         * @param v last use, or {@code null}
         */
        public Builder lastUsedAt(Instant v) {
            lastUsedAt = v;
            return this;
        }

        /**
         * @return this builder
         * @param v metadata
         */
        public Builder metadata(Map<String, String> v) {
            metadata = v;
            return this;
        }

        /**
         * @return this builder
         * @param v environment, or {@code null}
         */
        public Builder environment(String v) {
            environment = v;
            return this;
        }

        /**
         * @return this builder
         * @param v owner, or {@code null}
         */
        public Builder owner(String v) {
            owner = v;
            return this;
        }

        /**
         * @return this builder
         * @param v rotate-by time, or {@code null}
         */
        public Builder rotateBy(Instant v) {
            rotateBy = v;
            return this;
        }

        /**
         * @return this builder
         * @param v allowed CIDR ranges, empty for anywhere
         */
        public Builder allowedAddresses(List<String> v) {
            allowedAddresses = v;
            return this;
        }

        /**
         * @return this builder
         * @param v the key's own rate limit, or {@code null}
         */
        public Builder rateLimit(RateLimit v) {
            rateLimit = v;
            return this;
        }

        /**
         * @return this builder
         * @param v the id of the key that replaced this one, or {@code null}
         */
        public Builder replacedBy(String v) {
            replacedBy = v;
            return this;
        }

        /**
         * @return this builder
         * @param v the key's quota, or {@code null}
         */
        public Builder quota(Quota v) {
            quota = v;
            return this;
        }

        /**
         * @return this builder
         * @param v the id of the first key of this key's rotations, or {@code null} for this key's own
         */
        public Builder lineageId(String v) {
            lineageId = v;
            return this;
        }

        /**
         * @return the key
         * @throws NullPointerException if a required field is missing
         */
        public StoredKey build() {
            return new StoredKey(keyId, tenantId, name, secretHash, scopes, createdAt, expiresAt, revokedAt, disabledAt,
                    lastUsedAt, metadata, environment, owner, rotateBy, allowedAddresses, rateLimit, replacedBy, quota,
                    lineageId);
        }
    }
}
