package dev.apikey.spi;

import dev.apikey.model.KeySpec;
import java.time.Instant;
import java.util.Objects;

/**
 * One key as a {@link KeyStore} holds it: its id, the hash of its secret (the secret itself is never kept), its
 * state, and its attributes ({@link KeySpec}). Build one with {@link #builder(String)}; change one with the
 * {@code with...} methods, which count the {@link #version()} up when state or attributes change.
 *
 * <p>Immutable. {@link #toString()} leaves out the hash.
 *
 * @param keyId      the public lookup id, 8 base62 characters, unique in the store
 * @param secretHash the secret's hash as a self-describing PHC string
 * @param attributes what the key is allowed and described by
 * @param createdAt  when the key was created
 * @param revokedAt  when the key was revoked, or {@code null}
 * @param disabledAt when the key was disabled (refused until enabled again), or {@code null} if it is enabled
 * @param replacedBy the id of the key that replaced this one in a rotation, or {@code null} if it was not rotated; a
 *                   replaced key works until its {@code expiresAt} (the overlap) and is not rotated again
 * @param lastUsedAt when the key was last granted access, or {@code null}; a side write that leaves the version
 * @param lineageId  the id of the first key of this key's rotations, which its successors share, so that a rotation
 *                   starts neither a new quota nor a new rate-limit window; {@code null} for a key never rotated into
 *                   (its lineage is its own id, see {@link #lineage()})
 * @param externalId the id the system a key was imported from knew it by ({@code apikey import}'s
 *                   {@code external_id}), unique in a store that is an {@link ExternalIdLookup}, kept through every
 *                   change and every move between stores; {@code null} for a key not imported with one
 * @param version    1 when created, one more at each change of state or attributes (not of the last use, nor of a
 *                   hash upgrade): what a store's replace compares, so that a lost race is seen, never overwritten
 */
public record StoredKey(
        String keyId,
        String secretHash,
        KeySpec attributes,
        Instant createdAt,
        Instant revokedAt,
        Instant disabledAt,
        String replacedBy,
        Instant lastUsedAt,
        String lineageId,
        String externalId,
        long version) {

    /** The longest {@link #externalId()}, in characters: the width of the JDBC stores' column. */
    public static final int MAX_EXTERNAL_ID = 200;

    /**
     * Checks for nulls where none are allowed.
     *
     * @param keyId      the public lookup id
     * @param secretHash the secret's hash
     * @param attributes the attributes
     * @param createdAt  when the key was created
     * @param revokedAt  when the key was revoked, or {@code null}
     * @param disabledAt when the key was disabled, or {@code null}
     * @param replacedBy the id of the key that replaced this one, or {@code null}
     * @param lastUsedAt when the key was last granted access, or {@code null}
     * @param lineageId  the id of the first key of this key's rotations, or {@code null} for this key's own
     * @param externalId the id the source of an import knew the key by, or {@code null}
     * @param version    1 or more
     * @throws NullPointerException     if keyId, secretHash, attributes or createdAt is null
     * @throws IllegalArgumentException if version is below 1, or externalId breaks {@link #checkExternalId}'s rule
     */
    public StoredKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(createdAt, "createdAt");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        if (externalId != null) {
            checkExternalId(externalId);
        }
    }

    /**
     * Checks an external id: 1 to {@value #MAX_EXTERNAL_ID} printable ASCII characters, no space at either end. ASCII
     * only, so that two ids that look the same are the same (no Unicode look-alikes or normal forms), and trimmed, so
     * that {@code "cust-1"} and {@code "cust-1 "} from two exports are not two keys.
     *
     * @param externalId the id
     * @return the id
     * @throws IllegalArgumentException naming the field ({@code external_id}) and the rule, never echoing the value
     */
    public static String checkExternalId(String externalId) {
        int n = externalId.length();
        boolean ok = n >= 1 && n <= MAX_EXTERNAL_ID && externalId.charAt(0) != ' ' && externalId.charAt(n - 1) != ' ';
        for (int i = 0; ok && i < n; i++) {
            char c = externalId.charAt(i);
            ok = c >= 0x20 && c < 0x7f;
        }
        if (!ok) {
            throw new IllegalArgumentException("external_id must be 1 to " + MAX_EXTERNAL_ID
                    + " printable ASCII characters without a space at either end");
        }
        return externalId;
    }

    /**
     * Starts a key with this id; secret hash, attributes and creation time must be set before build.
     *
     * @param keyId the public lookup id, 8 base62 characters, unique in the store
     * @return a builder with the id set and version 1
     */
    public static Builder builder(String keyId) {
        return new Builder(keyId);
    }

    /** {@return the tenant the key belongs to, or {@code null} for a tenant-less key} */
    public String tenantId() {
        return attributes.tenantId().orElse(null);
    }

    /** {@return when the key stops working, or {@code null} if never} */
    public Instant expiresAt() {
        return attributes.expiresAt().orElse(null);
    }

    /**
     * {@return the id its quota and rate limit are counted under: the first key of its rotations}, this key's own id
     * unless it was issued by a rotation
     */
    public String lineage() {
        return lineageId != null ? lineageId : keyId;
    }

    /**
     * {@return a copy with other attributes, one version on}
     *
     * @param next the attributes
     */
    public StoredKey withAttributes(KeySpec next) {
        return new StoredKey(keyId, secretHash, next, createdAt, revokedAt, disabledAt, replacedBy, lastUsedAt,
                lineageId, externalId, version + 1);
    }

    /**
     * {@return a copy revoked at the given time, one version on}
     *
     * @param revoked the revocation time
     */
    public StoredKey withRevokedAt(Instant revoked) {
        return new StoredKey(keyId, secretHash, attributes, createdAt, revoked, disabledAt, replacedBy, lastUsedAt,
                lineageId, externalId, version + 1);
    }

    /**
     * {@return a copy disabled at the given time, or enabled ({@code null}), one version on}
     *
     * @param disabled when it was disabled, or {@code null} to enable it
     */
    public StoredKey withDisabledAt(Instant disabled) {
        return new StoredKey(keyId, secretHash, attributes, createdAt, revokedAt, disabled, replacedBy, lastUsedAt,
                lineageId, externalId, version + 1);
    }

    /**
     * {@return a copy replaced by the given key, working until the given time: the old side of a rotation, one
     * version on}
     *
     * @param replacementId the id of the replacement
     * @param worksUntil the end of the overlap
     */
    public StoredKey rotatedTo(String replacementId, Instant worksUntil) {
        KeySpec until = attributes.toBuilder().expiresAt(Objects.requireNonNull(worksUntil, "worksUntil")).build();
        return new StoredKey(keyId, secretHash, until, createdAt, revokedAt, disabledAt,
                Objects.requireNonNull(replacementId, "replacementId"), lastUsedAt, lineageId, externalId,
                version + 1);
    }

    /**
     * {@return a copy with another secret hash (same secret, new hashing policy), same version}
     *
     * @param hash the new PHC hash
     */
    public StoredKey withSecretHash(String hash) {
        return new StoredKey(keyId, hash, attributes, createdAt, revokedAt, disabledAt, replacedBy, lastUsedAt,
                lineageId, externalId, version);
    }

    /**
     * {@return a copy last used at the given time, same version}
     *
     * @param lastUsed the last use
     */
    public StoredKey withLastUsedAt(Instant lastUsed) {
        return new StoredKey(keyId, secretHash, attributes, createdAt, revokedAt, disabledAt, replacedBy, lastUsed,
                lineageId, externalId, version);
    }

    @Override
    public String toString() {
        return "StoredKey[keyId=" + keyId + ", version=" + version + ", createdAt=" + createdAt + ", revokedAt="
                + revokedAt + ", disabledAt=" + disabledAt + ", replacedBy=" + replacedBy + ", lastUsedAt="
                 + lastUsedAt + ", lineageId=" + lineageId + ", externalId=" + externalId + ", attributes=" + attributes + ", secretHash=redacted]";
    }

    /** Collects the fields of a {@link StoredKey}. Not thread-safe. */
    public static final class Builder {
        private final String keyId;
        private String secretHash;
        private KeySpec attributes;
        private Instant createdAt;
        private Instant revokedAt;
        private Instant disabledAt;
        private String replacedBy;
        private Instant lastUsedAt;
        private String lineageId;
        private String externalId;
        private long version = 1;

        private Builder(String keyId) {
            this.keyId = Objects.requireNonNull(keyId, "keyId");
        }

        /**
         * @param v the PHC hash
         * @return this builder
         */
        public Builder secretHash(String v) {
            secretHash = v;
            return this;
        }

        /**
         * @param v the attributes
         * @return this builder
         */
        public Builder attributes(KeySpec v) {
            attributes = v;
            return this;
        }

        /**
         * @param v creation time
         * @return this builder
         */
        public Builder createdAt(Instant v) {
            createdAt = v;
            return this;
        }

        /**
         * @param v revocation time, or {@code null}
         * @return this builder
         */
        public Builder revokedAt(Instant v) {
            revokedAt = v;
            return this;
        }

        /**
         * @param v when the key was disabled, or {@code null} for enabled
         * @return this builder
         */
        public Builder disabledAt(Instant v) {
            disabledAt = v;
            return this;
        }

        /**
         * @param v the id of the key that replaced this one, or {@code null}
         * @return this builder
         */
        public Builder replacedBy(String v) {
            replacedBy = v;
            return this;
        }

        /**
         * @param v last use, or {@code null}
         * @return this builder
         */
        public Builder lastUsedAt(Instant v) {
            lastUsedAt = v;
            return this;
        }

        /**
         * @param v the id of the first key of this key's rotations, or {@code null} for this key's own
         * @return this builder
         */
        public Builder lineageId(String v) {
            lineageId = v;
            return this;
        }

        /**
         * @param v the id the source of an import knew the key by, or {@code null}
         * @return this builder
         */
        public Builder externalId(String v) {
            externalId = v;
            return this;
        }

        /**
         * @param v the version, 1 or more; 1 if not set
         * @return this builder
         */
        public Builder version(long v) {
            version = v;
            return this;
        }

        /**
         * @return the key
         * @throws NullPointerException if a required field is missing
         */
        public StoredKey build() {
            return new StoredKey(keyId, secretHash, attributes, createdAt, revokedAt, disabledAt, replacedBy,
                    lastUsedAt, lineageId, externalId, version);
        }
    }
}
