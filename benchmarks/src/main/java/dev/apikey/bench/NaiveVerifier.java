package dev.apikey.bench;

import dev.apikey.spi.KeyStore;
import dev.apikey.spi.SecretHasher;
import dev.apikey.spi.StoredKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Baselines: what a team writes instead of this library. {@link #verifyCached} is the common hand-rolled
 * cache (split, {@code MessageDigest.getInstance} and {@code getBytes} per call, String keys, a result
 * object per call); {@link #verifyUncached} has no cache at all (store lookup + stored-hash check per
 * request).
 */
final class NaiveVerifier {

    /** The verdict a hand-rolled verifier typically returns. */
    record Result(boolean granted, String keyId, String tenant, int status) {
    }

    private record Entry(byte[] secretDigest, Set<String> scopes, String tenant, boolean revoked, Instant expires) {
    }

    private final KeyStore store;
    private final SecretHasher hasher;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    NaiveVerifier(KeyStore store, SecretHasher hasher) {
        this.store = store;
        this.hasher = hasher;
    }

    Result verifyCached(String header, String scope) {
        if (header == null || header.isBlank()) {
            return new Result(false, null, null, 401);
        }
        String key = header.startsWith("Bearer ") ? header.substring(7).trim() : header.trim();
        String[] parts = key.split("_");
        if (parts.length < 2) {
            return new Result(false, null, null, 401);
        }
        String token = parts[parts.length - 1];
        if (token.length() != 46) {
            return new Result(false, null, null, 401);
        }
        String id = token.substring(0, 8);
        String secret = token.substring(8, 40);
        byte[] digest = sha256(secret.getBytes(StandardCharsets.UTF_8));
        Entry entry = cache.get(id);
        if (entry == null) {
            Optional<StoredKey> record = store.findById(id);
            if (record.isEmpty() || !hasher.verify(secret.getBytes(StandardCharsets.UTF_8), record.get().secretHash())) {
                return new Result(false, id, null, 401);
            }
            StoredKey r = record.get();
            entry = new Entry(digest, r.attributes().scopes(), r.tenantId(), r.revokedAt() != null, r.expiresAt());
            cache.put(id, entry);
        }
        if (!MessageDigest.isEqual(digest, entry.secretDigest())) {
            return new Result(false, id, null, 401);
        }
        if (entry.revoked() || (entry.expires() != null && Instant.now().isAfter(entry.expires()))) {
            return new Result(false, id, entry.tenant(), 401);
        }
        if (!entry.scopes().contains(scope)) {
            return new Result(false, id, entry.tenant(), 403);
        }
        return new Result(true, id, entry.tenant(), 200);
    }

    Result verifyUncached(String header, String scope) {
        String key = header.startsWith("Bearer ") ? header.substring(7).trim() : header.trim();
        String[] parts = key.split("_");
        String token = parts[parts.length - 1];
        String id = token.substring(0, 8);
        Optional<StoredKey> record = store.findById(id);
        if (record.isEmpty()
                || !hasher.verify(token.substring(8, 40).getBytes(StandardCharsets.UTF_8), record.get().secretHash())) {
            return new Result(false, id, null, 401);
        }
        StoredKey r = record.get();
        if (r.revokedAt() != null || (r.expiresAt() != null && Instant.now().isAfter(r.expiresAt()))) {
            return new Result(false, id, r.tenantId(), 401);
        }
        return r.attributes().scopes().contains(scope) ? new Result(true, id, r.tenantId(), 200)
                : new Result(false, id, r.tenantId(), 403);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
