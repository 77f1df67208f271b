package dev.apikey;

import dev.apikey.internal.HashPolicy;
import dev.apikey.internal.KeyGenerator;
import dev.apikey.internal.KeyLayout;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.StoredKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create, read, revoke and rotate keys, keeping the verifier's cache in step.
 *
 * <p>Thread-safe. Package-private: {@link ApiKeys} is the API.
 */
final class KeyLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.lifecycle");
    private static final int ID_ATTEMPTS = 3;

    /** Longest overlap a rotation accepts. */
    static final Duration MAX_OVERLAP = Duration.ofDays(365);

    private final String prefix;
    private final KeyStore store;
    private final ScopeCatalog catalog;
    private final HashPolicy hashing;
    private final KeyGenerator generator;
    private final Clock clock;
    private final VerifyEngine engine;

    KeyLifecycle(ApiKeys.Builder config, HashPolicy hashing, VerifyEngine engine) {
        this.prefix = config.prefix;
        this.store = config.store;
        this.catalog = config.catalog;
        this.hashing = hashing;
        this.generator = new KeyGenerator(config.prefix, config.random);
        this.clock = config.clock;
        this.engine = engine;
    }

    IssuedKey create(KeySpec spec) {
        Objects.requireNonNull(spec, "spec");
        catalog.requireDeclared(spec.scopes());
        Instant now = now();
        Instant expires = spec.expiresUtc().orElse(null);
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expiresUtc must be in the future, was " + expires);
        }
        String tenant = spec.tenantId().orElse(null);
        IssuedKey issued = issue(tenant, (id, hash) -> new StoredKey(id, tenant, spec.name(), hash, spec.scopes(), now,
                expires, null, null, spec.metadata()), record -> {
                    store.insert(record);
                    return true;
                });
        LOG.info("created key {} name='{}' scopes={} expiresUtc={}", issued.info().hint(), spec.name(),
                spec.scopes(), expires);
        return issued;
    }

    Optional<ApiKeyInfo> get(String keyId) {
        requireKeyId(keyId);
        return store.findById(keyId).map(this::info);
    }

    List<ApiKeyInfo> list(String tenantId) {
        String problem = KeyLayout.tenantProblem(tenantId);
        if (problem != null) {
            throw new IllegalArgumentException("tenantId " + problem);
        }
        return store.findByTenant(tenantId).stream().map(this::info).toList();
    }

    List<ApiKeyInfo> listAll() {
        return store.findAll().stream().map(this::info).toList();
    }

    ApiKeyInfo revoke(String keyId) {
        requireKeyId(keyId);
        StoredKey revoked = store.revoke(keyId, now()).orElseThrow(() -> new KeyNotFoundException(keyId));
        engine.invalidate(keyId);
        LOG.info("revoked key {} at {}", hint(revoked), revoked.revokedUtc());
        return info(revoked);
    }

    IssuedKey rotate(String keyId, Duration overlap) {
        requireKeyId(keyId);
        Objects.requireNonNull(overlap, "overlap");
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw new IllegalArgumentException("overlap must be between 0 and " + MAX_OVERLAP.toDays()
                    + " days, was " + overlap);
        }
        StoredKey old = store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId));
        Instant now = now();
        ApiKeyInfo.Status status = status(old, now);
        if (status != ApiKeyInfo.Status.ACTIVE) {
            throw new KeyNotActiveException(keyId, status);
        }
        Instant oldExpires = now.plus(overlap);
        if (old.expiresUtc() != null && old.expiresUtc().isBefore(oldExpires)) {
            oldExpires = old.expiresUtc();
        }
        // The new key keeps the old one's lifetime, counted from now.
        Instant newExpires = old.expiresUtc() == null ? null
                : now.plus(Duration.between(old.createdUtc(), old.expiresUtc()));
        Instant oldKeyEnd = oldExpires;
        IssuedKey issued = issue(old.tenantId(), (id, hash) -> new StoredKey(id, old.tenantId(), old.name(), hash,
                old.scopes(), now, newExpires, null, null, old.metadata()),
                record -> store.rotate(keyId, oldKeyEnd, record));
        if (issued == null) {
            StoredKey current = store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId));
            throw new KeyNotActiveException(keyId, status(current, now));
        }
        engine.invalidate(keyId);
        LOG.info("rotated key {} to {}; the old key expires at {}", hint(old), issued.info().hint(), oldKeyEnd);
        return issued;
    }

    /**
     * Generates a key, hashes its secret into the record the template builds, and writes it; retries with a
     * fresh id if the id is taken. Returns {@code null} if the write declined.
     */
    private IssuedKey issue(String tenant, BiFunction<String, String, StoredKey> template, Function<StoredKey, Boolean> write) {
        for (int attempt = 1; attempt <= ID_ATTEMPTS; attempt++) {
            KeyGenerator.Generated generated = generator.generate(tenant);
            try {
                StoredKey record = template.apply(generated.keyId(), hashing.hash(generated.secret()));
                if (!write.apply(record)) {
                    return null;
                }
                engine.invalidate(record.keyId());
                return new IssuedKey(generated.plaintext(), info(record));
            } catch (DuplicateKeyException e) {
                LOG.debug("generated key id {} exists already; generating another", generated.keyId());
            } finally {
                generated.destroy();
            }
        }
        throw new ApiKeyException("no free key id after " + ID_ATTEMPTS + " attempts; is the random source broken?");
    }

    ApiKeyInfo info(StoredKey r) {
        return new ApiKeyInfo(r.keyId(), hint(r), r.tenantId(), r.name(), r.scopes(), r.createdUtc(), r.expiresUtc(),
                r.revokedUtc(), r.lastUsedUtc(), r.metadata(), status(r, now()));
    }

    private static ApiKeyInfo.Status status(StoredKey r, Instant now) {
        if (r.revokedUtc() != null) {
            return ApiKeyInfo.Status.REVOKED;
        }
        if (r.expiresUtc() != null && !now.isBefore(r.expiresUtc())) {
            return ApiKeyInfo.Status.EXPIRED;
        }
        return ApiKeyInfo.Status.ACTIVE;
    }

    private String hint(StoredKey r) {
        return KeyLayout.hint(prefix, r.tenantId(), r.keyId());
    }

    /** Stores keep millisecond precision, so every instant the lifecycle writes has it too. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void requireKeyId(String keyId) {
        String problem = KeyLayout.keyIdProblem(keyId);
        if (problem != null) {
            throw new IllegalArgumentException("keyId " + problem);
        }
    }
}
