package dev.apikey.spi;

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
 * @param createdUtc   when the key was created
 * @param expiresUtc   when the key stops working, or {@code null} if it does not expire
 * @param revokedUtc   when the key was revoked, or {@code null}
 * @param lastUsedUtc  when the key was last granted access, or {@code null}
 * @param metadata     free-form string pairs, sorted by key
 * @param environment  the environment the key is for, e.g. {@code prod}, or {@code null}
 * @param owner        who answers for the key, e.g. a team or an e-mail address, or {@code null}
 * @param rotateByUtc  when the key should have been rotated, or {@code null}
 * @param allowedCidrs the address ranges the key may be used from (CIDR); empty means anywhere
 * @param rateLimit    the key's own rate limit, or {@code null} to use the configured default
 */
public record StoredKey(
        String keyId,
        String tenantId,
        String name,
        String secretHash,
        Set<String> scopes,
        Instant createdUtc,
        Instant expiresUtc,
        Instant revokedUtc,
        Instant lastUsedUtc,
        Map<String, String> metadata,
        String environment,
        String owner,
        Instant rotateByUtc,
        List<String> allowedCidrs,
        RateLimit rateLimit) {

    /**
     * Checks for nulls where none are allowed and copies the collections.
     *
     * @throws NullPointerException if keyId, name, secretHash, scopes, createdUtc, metadata or allowedCidrs is
     *                              null
     */
    public StoredKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdUtc, "createdUtc");
        scopes = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(scopes, "scopes")));
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(metadata, "metadata")));
        allowedCidrs = List.copyOf(Objects.requireNonNull(allowedCidrs, "allowedCidrs"));
    }

    /** Starts a key with this id; name, secret hash, scopes and creation time must be set before build. */
    public static Builder builder(String keyId) {
        return new Builder(keyId);
    }

    /** A builder holding every field of this key. */
    public Builder toBuilder() {
        Builder b = new Builder(keyId);
        b.tenantId = tenantId;
        b.name = name;
        b.secretHash = secretHash;
        b.scopes = scopes;
        b.createdUtc = createdUtc;
        b.expiresUtc = expiresUtc;
        b.revokedUtc = revokedUtc;
        b.lastUsedUtc = lastUsedUtc;
        b.metadata = metadata;
        b.environment = environment;
        b.owner = owner;
        b.rotateByUtc = rotateByUtc;
        b.allowedCidrs = allowedCidrs;
        b.rateLimit = rateLimit;
        return b;
    }

    /** A copy revoked at the given time. */
    public StoredKey withRevokedUtc(Instant revoked) {
        return toBuilder().revokedUtc(revoked).build();
    }

    /** A copy expiring at the given time ({@code null}: never). */
    public StoredKey withExpiresUtc(Instant expires) {
        return toBuilder().expiresUtc(expires).build();
    }

    /** A copy with another secret hash (same secret, new hashing policy). */
    public StoredKey withSecretHash(String hash) {
        return toBuilder().secretHash(hash).build();
    }

    /** A copy under another key id (a rotation's replacement). */
    public StoredKey withKeyId(String id) {
        return new StoredKey(id, tenantId, name, secretHash, scopes, createdUtc, expiresUtc, revokedUtc, lastUsedUtc,
                metadata, environment, owner, rotateByUtc, allowedCidrs, rateLimit);
    }

    /** A copy last used at the given time. */
    public StoredKey withLastUsedUtc(Instant lastUsed) {
        return toBuilder().lastUsedUtc(lastUsed).build();
    }

    @Override
    public String toString() {
        return "StoredKey[keyId=" + keyId + ", tenantId=" + tenantId + ", name=" + name + ", scopes=" + scopes
                + ", createdUtc=" + createdUtc + ", expiresUtc=" + expiresUtc + ", revokedUtc=" + revokedUtc
                + ", lastUsedUtc=" + lastUsedUtc + ", metadata=" + metadata + ", environment=" + environment
                + ", owner=" + owner + ", rotateByUtc=" + rotateByUtc + ", allowedCidrs=" + allowedCidrs
                + ", rateLimit=" + rateLimit + ", secretHash=redacted]";
    }

    /** Collects the fields of a {@link StoredKey}. Not thread-safe. */
    public static final class Builder {
        private final String keyId;
        private String tenantId;
        private String name;
        private String secretHash;
        private Set<String> scopes = Set.of();
        private Instant createdUtc;
        private Instant expiresUtc;
        private Instant revokedUtc;
        private Instant lastUsedUtc;
        private Map<String, String> metadata = Map.of();
        private String environment;
        private String owner;
        private Instant rotateByUtc;
        private List<String> allowedCidrs = List.of();
        private RateLimit rateLimit;

        private Builder(String keyId) {
            this.keyId = Objects.requireNonNull(keyId, "keyId");
        }

        /** @param v the tenant, or {@code null} */
        public Builder tenantId(String v) {
            tenantId = v;
            return this;
        }

        /** @param v the name */
        public Builder name(String v) {
            name = v;
            return this;
        }

        /** @param v the PHC hash */
        public Builder secretHash(String v) {
            secretHash = v;
            return this;
        }

        /** @param v the scopes */
        public Builder scopes(Set<String> v) {
            scopes = v;
            return this;
        }

        /** @param v creation time */
        public Builder createdUtc(Instant v) {
            createdUtc = v;
            return this;
        }

        /** @param v expiry, or {@code null} */
        public Builder expiresUtc(Instant v) {
            expiresUtc = v;
            return this;
        }

        /** @param v revocation time, or {@code null} */
        public Builder revokedUtc(Instant v) {
            revokedUtc = v;
            return this;
        }

        /** @param v last use, or {@code null} */
        public Builder lastUsedUtc(Instant v) {
            lastUsedUtc = v;
            return this;
        }

        /** @param v metadata */
        public Builder metadata(Map<String, String> v) {
            metadata = v;
            return this;
        }

        /** @param v environment, or {@code null} */
        public Builder environment(String v) {
            environment = v;
            return this;
        }

        /** @param v owner, or {@code null} */
        public Builder owner(String v) {
            owner = v;
            return this;
        }

        /** @param v rotate-by time, or {@code null} */
        public Builder rotateByUtc(Instant v) {
            rotateByUtc = v;
            return this;
        }

        /** @param v allowed CIDR ranges, empty for anywhere */
        public Builder allowedCidrs(List<String> v) {
            allowedCidrs = v;
            return this;
        }

        /** @param v the key's own rate limit, or {@code null} */
        public Builder rateLimit(RateLimit v) {
            rateLimit = v;
            return this;
        }

        /**
         * @throws NullPointerException if a required field is missing
         */
        public StoredKey build() {
            return new StoredKey(keyId, tenantId, name, secretHash, scopes, createdUtc, expiresUtc, revokedUtc,
                    lastUsedUtc, metadata, environment, owner, rotateByUtc, allowedCidrs, rateLimit);
        }
    }
}
