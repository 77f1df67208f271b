package dev.apikey.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One key as a {@link KeyStore} holds it: everything but the secret, which is kept only as a hash.
 *
 * <p>Immutable; collections are copied and unmodifiable. {@link #toString()} leaves out the hash.
 *
 * @param keyId       the public lookup id, 8 base62 characters, unique in the store
 * @param tenantId    the tenant the key belongs to, or {@code null} for a tenant-less key
 * @param name        the key's name, e.g. {@code crm-sync-prod}
 * @param secretHash  the secret's hash as a self-describing PHC string
 * @param scopes      the scopes granted
 * @param createdUtc  when the key was created
 * @param expiresUtc  when the key stops working, or {@code null} if it does not expire
 * @param revokedUtc  when the key was revoked, or {@code null}
 * @param lastUsedUtc when the key was last granted access, or {@code null}
 * @param metadata    free-form string pairs (environment, owner, ...)
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
        Map<String, String> metadata) {

    /**
     * Checks for nulls where none are allowed and copies the collections.
     *
     * @throws NullPointerException if keyId, name, secretHash, scopes, createdUtc or metadata is null
     */
    public StoredKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdUtc, "createdUtc");
        SortedSet<String> scopeCopy = new TreeSet<>(Objects.requireNonNull(scopes, "scopes"));
        scopes = Collections.unmodifiableSortedSet(scopeCopy);
        SortedMap<String, String> metadataCopy = new TreeMap<>(Objects.requireNonNull(metadata, "metadata"));
        metadata = Collections.unmodifiableSortedMap(metadataCopy);
    }

    /** A copy revoked at the given time. */
    public StoredKey withRevokedUtc(Instant revoked) {
        return new StoredKey(keyId, tenantId, name, secretHash, scopes, createdUtc, expiresUtc, revoked,
                lastUsedUtc, metadata);
    }

    /** A copy expiring at the given time ({@code null}: never). */
    public StoredKey withExpiresUtc(Instant expires) {
        return new StoredKey(keyId, tenantId, name, secretHash, scopes, createdUtc, expires, revokedUtc,
                lastUsedUtc, metadata);
    }

    /** A copy with another secret hash (same secret, new hashing policy). */
    public StoredKey withSecretHash(String hash) {
        return new StoredKey(keyId, tenantId, name, hash, scopes, createdUtc, expiresUtc, revokedUtc,
                lastUsedUtc, metadata);
    }

    @Override
    public String toString() {
        return "StoredKey[keyId=" + keyId + ", tenantId=" + tenantId + ", name=" + name + ", scopes=" + scopes
                + ", createdUtc=" + createdUtc + ", expiresUtc=" + expiresUtc + ", revokedUtc=" + revokedUtc
                + ", lastUsedUtc=" + lastUsedUtc + ", metadata=" + metadata + ", secretHash=redacted]";
    }
}
