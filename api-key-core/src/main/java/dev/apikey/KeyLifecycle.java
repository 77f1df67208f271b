package dev.apikey;

import dev.apikey.internal.HashPolicy;
import dev.apikey.internal.Instants;
import dev.apikey.internal.KeyGenerator;
import dev.apikey.internal.KeyLayout;
import dev.apikey.internal.KeyParser;
import dev.apikey.internal.ParsedKey;
import dev.apikey.internal.Printable;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.StoredKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create, read, edit, disable, enable, revoke and rotate keys, keeping the verifier's cache in step.
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
    private final KeyCache cache;
    private final KeyEventListener listener;
    private final KeyParser parser;
    private final dev.apikey.spi.QuotaCounter quotaCounter;

    KeyLifecycle(ApiKeysConfig config, KeyCache cache) {
        this.prefix = config.prefix();
        this.store = config.store();
        this.catalog = config.catalog();
        this.hashing = config.hashing();
        this.generator = new KeyGenerator(config.prefix(), config.random());
        this.clock = config.clock();
        this.cache = cache;
        this.listener = config.listener();
        this.parser = new KeyParser(config.prefix());
        this.quotaCounter = config.quotaCounter();
    }

    IssuedKey create(KeySpec spec) {
        Objects.requireNonNull(spec, "spec");
        catalog.requireDeclared(spec.scopes());
        Instant now = now();
        Instant expires = spec.expiresAt().orElse(null);
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expiresAt must be in the future, was " + expires);
        }
        String tenant = spec.tenantId().orElse(null);
        IssuedKey issued = issue(tenant, (id, hash) -> StoredKey.builder(id).tenantId(tenant).name(spec.name())
                .secretHash(hash).scopes(spec.scopes()).createdAt(now).expiresAt(expires).metadata(spec.metadata())
                .environment(spec.environment().orElse(null)).owner(spec.owner().orElse(null))
                .rotateBy(spec.rotateBy().orElse(null)).allowedAddresses(spec.allowedAddresses())
                .rateLimit(spec.rateLimit().orElse(null)).quota(spec.quota().orElse(null)).build(), record -> {
                    store.insert(record);
                    return true;
                });
        LOG.debug("created key {}", issued.info().hint());
        emit(l -> l.created(issued.info()));
        return issued;
    }

    Optional<ApiKeyInfo> get(String keyId) {
        requireKeyId(keyId);
        return store.findById(keyId).map(this::info);
    }

    List<ApiKeyInfo> list(KeyQuery query) {
        Objects.requireNonNull(query, "query");
        List<StoredKey> keys = query.tenantId().map(store::findByTenant).orElseGet(store::findAll);
        Instant now = now();
        return keys.stream().map(k -> info(k, now)).filter(k -> query.matches(k, now)).toList();
    }

    /**
     * One page, filtered, sorted and cut by the store: {@code limit + 1} keys read, the one past the limit only to
     * tell whether there is a next page. The last-use times this instance has not written yet are applied after.
     */
    KeyPage listPage(KeyQuery query, String afterKeyId, int limit) {
        Objects.requireNonNull(query, "query");
        String cursorProblem = afterKeyId == null ? null : KeyLayout.keyIdProblem(afterKeyId);
        if (cursorProblem != null) {
            throw new IllegalArgumentException("afterKeyId " + cursorProblem);
        }
        if (limit < 1 || limit > ApiKeys.MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + ApiKeys.MAX_PAGE + ", was " + limit);
        }
        Instant now = now();
        List<StoredKey> read = store.findPage(query.filter(now, afterKeyId), limit + 1);
        boolean more = read.size() > limit;
        List<StoredKey> page = more ? read.subList(0, limit) : read;
        List<ApiKeyInfo> keys = page.stream().map(k -> info(k, now)).filter(k -> query.matches(k, now)).toList();
        return new KeyPage(keys, more ? Optional.of(page.get(page.size() - 1).keyId()) : Optional.empty());
    }

    ApiKeyInfo revoke(String keyId) {
        requireKeyId(keyId);
        StoredKey before = store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId));
        if (before.revokedAt() != null) {
            LOG.debug("key {} was revoked already at {}", hint(before), before.revokedAt());
            return info(before);
        }
        Instant at = now();
        StoredKey revoked = store.revoke(keyId, at).orElseThrow(() -> new KeyNotFoundException(keyId));
        cache.invalidate(keyId);
        if (!at.equals(revoked.revokedAt())) {
            // Revoked before: nothing changed, and no second event.
            LOG.debug("key {} was revoked already at {}", hint(revoked), revoked.revokedAt());
            return info(revoked);
        }
        LOG.debug("revoked key {}", hint(revoked));
        ApiKeyInfo info = info(revoked);
        emit(l -> l.revoked(info));
        return info;
    }

    /**
     * Disables a key (reason: why, for the event: {@code manual}, {@code unused}, {@code leaked}); a disabled key
     * stays disabled and keeps its first time.
     */
    ApiKeyInfo disable(String keyId, String reason) {
        return switchKey(keyId, reason);
    }

    ApiKeyInfo enable(String keyId) {
        return switchKey(keyId, null);
    }

    /** Disables (reason given) or enables (reason null) a key that is neither revoked nor expired. */
    private ApiKeyInfo switchKey(String keyId, String reason) {
        requireKeyId(keyId);
        boolean disable = reason != null;
        String action = disable ? "disabled" : "enabled";
        Instant now = now();
        StoredKey before = store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId));
        requireSwitchable(before, now, action);
        if ((before.disabledAt() != null) == disable) {
            LOG.debug("key {} was {} already", hint(before), action);
            return info(before, now);
        }
        StoredKey after = store.setDisabled(keyId, disable ? now : null)
                .orElseThrow(() -> new KeyNotFoundException(keyId));
        cache.invalidate(keyId);
        requireSwitchable(after, now, action);
        boolean changed = disable ? now.equals(after.disabledAt()) : before.disabledAt() != null && after.disabledAt() == null;
        ApiKeyInfo info = info(after, now);
        if (!changed) {
            // Another caller switched it meanwhile: nothing changed here, and no second event.
            return info;
        }
        LOG.debug("{} key {}{}", action, hint(after), disable ? " (" + reason + ")" : "");
        emit(disable ? l -> l.disabled(info, reason) : l -> l.enabled(info));
        return info;
    }

    /** Revoked and expired keys are final: a switch would bring nothing back. */
    private static void requireSwitchable(StoredKey key, Instant now, String action) {
        ApiKeyInfo.Status status = status(key, now);
        if (status == ApiKeyInfo.Status.REVOKED || status == ApiKeyInfo.Status.EXPIRED) {
            throw new KeyNotActiveException(key.keyId(), status, action);
        }
    }

    /**
     * Answers a leak report: the token is one of our keys if it parses for this prefix, its key id exists, and
     * its secret and tenant segment match the stored hash; then it is revoked or only flagged.
     *
     * @return the key after the response, or empty for a false positive
     */
    Optional<ApiKeyInfo> reportLeak(String token, String source, boolean revoke) {
        Objects.requireNonNull(token, "token");
        if (source != null) {
            String problem = Printable.problem(source, 2000);
            if (problem != null) {
                throw new IllegalArgumentException("source " + problem);
            }
        }
        ParsedKey key = new ParsedKey();
        String keyId;
        try {
            if (parser.parse(token, key) != KeyParser.Outcome.OK) {
                return Optional.empty();
            }
            keyId = key.keyId();
            StoredKey record = store.findById(keyId).orElse(null);
            if (record == null || !key.tenantEquals(record.tenantId())) {
                return Optional.empty();
            }
            byte[] secret = key.copySecret();
            try {
                if (!hashing.verify(record.keyId(), secret, record.secretHash())) {
                    return Optional.empty();
                }
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        } finally {
            key.clear();
        }
        // Flagged: the leaked event (the audit log's WARN line by default) is the flag.
        ApiKeyInfo after = revoke ? revoke(keyId)
                : info(store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId)));
        LOG.debug("leak reported for key {}, {}", after.hint(), revoke ? "revoked" : "flagged");
        emit(l -> l.leaked(after, source, revoke));
        return Optional.of(after);
    }

    ApiKeyInfo update(String keyId, KeyUpdate update) {
        requireKeyId(keyId);
        Objects.requireNonNull(update, "update");
        if (update.scopesOrNull() != null) {
            catalog.requireDeclared(update.scopesOrNull());
        }
        Instant now = now();
        if (update.changesExpiry() && update.expiresAtOrNull() != null && !update.expiresAtOrNull().isAfter(now)) {
            throw new IllegalArgumentException("expiresAt must be in the future, was " + update.expiresAtOrNull());
        }
        StoredKey before = store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId));
        requireEditable(before, update, now);
        StoredKey after = store.update(update.applyTo(before)).orElseThrow(() -> {
            // Revoked (or deleted) between the read and the write.
            StoredKey current = store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId));
            return new KeyNotActiveException(keyId, status(current, now), "edited");
        });
        cache.invalidate(keyId);
        LOG.debug("updated key {}: {}", hint(after), update);
        ApiKeyInfo beforeInfo = info(before, now);
        ApiKeyInfo afterInfo = info(after, now);
        emit(l -> l.updated(beforeInfo, afterInfo));
        return afterInfo;
    }

    /** Revoked and expired keys are final; a replaced key's expiry is the end of its rotation's overlap. */
    private static void requireEditable(StoredKey key, KeyUpdate update, Instant now) {
        ApiKeyInfo.Status status = status(key, now);
        if (status == ApiKeyInfo.Status.REVOKED || status == ApiKeyInfo.Status.EXPIRED) {
            throw new KeyNotActiveException(key.keyId(), status, "edited");
        }
        if (key.replacedBy() != null && update.changesExpiry()) {
            throw new IllegalArgumentException("expiresAt of key " + key.keyId() + " is the end of its rotation's overlap"
                    + " (replaced by " + key.replacedBy() + "); revoke it to end the overlap early");
        }
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
        requireRotatable(old, now);
        Instant oldExpires = Instants.plusClamped(now, overlap);
        if (old.expiresAt() != null && old.expiresAt().isBefore(oldExpires)) {
            oldExpires = old.expiresAt();
        }
        // The replacement keeps the old key's settings, its absolute expiry date included.
        Instant newExpires = old.expiresAt();
        Instant newRotateBy = old.rotateBy() == null ? null
                : Instants.plusClamped(now, Duration.between(old.createdAt(), old.rotateBy()).abs());
        Instant oldKeyEnd = oldExpires;
        IssuedKey issued = issue(old.tenantId(), (id, hash) -> old.toBuilder().secretHash(hash).createdAt(now)
                .expiresAt(newExpires).rotateBy(newRotateBy).revokedAt(null).lastUsedAt(null)
                .replacedBy(null).lineageId(old.lineage()).build().withKeyId(id), record -> store.rotate(keyId, oldKeyEnd, record));
        if (issued == null) {
            // Another caller revoked or rotated it between the read and the write.
            requireRotatable(store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId)), now);
            throw new ApiKeyException("the store declined to rotate key " + keyId + " without saying why");
        }
        cache.invalidate(keyId);
        LOG.debug("rotated key {} to {}", hint(old), issued.info().hint());
        ApiKeyInfo oldInfo = store.findById(keyId).map(this::info).orElseGet(() -> info(old.withExpiresAt(oldKeyEnd)));
        emit(l -> l.rotated(oldInfo, issued.info()));
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
                cache.invalidate(record.keyId());
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
        return info(r, now());
    }

    private ApiKeyInfo info(StoredKey r, Instant now) {
        Instant lastUsed = r.lastUsedAt();
        long unflushed = cache.unflushedLastUse(r.keyId());
        if (unflushed > 0 && (lastUsed == null || lastUsed.toEpochMilli() < unflushed)) {
            lastUsed = Instant.ofEpochMilli(unflushed);
        }
        return new ApiKeyInfo(r, hint(r), lastUsed, status(r, now), quotaRemaining(r, now));
    }

    /** The calls left in the key's quota now, or -1 without a quota or when the counter cannot say. */
    private long quotaRemaining(StoredKey r, Instant now) {
        Quota quota = r.quota();
        if (quota == null) {
            return -1;
        }
        try {
            return Math.max(0, quota.calls() - quotaCounter.used(r.lineage(), quota, quota.periodIndex(now)));
        } catch (RuntimeException e) {
            LOG.debug("quota counter unreadable for key {}: {}", r.keyId(), e.toString());
            return -1;
        }
    }

    private void emit(java.util.function.Consumer<KeyEventListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("key event listener failed: {}", e.toString());
        }
    }

    static ApiKeyInfo.Status status(StoredKey r, Instant now) {
        // One rule, the one stores filter pages by.
        return dev.apikey.spi.KeyFilter.status(r, now);
    }

    /**
     * Only the newest key of a rotation chain rotates: rotating a key in its overlap again would leave two live
     * successors.
     */
    private static void requireRotatable(StoredKey key, Instant now) {
        ApiKeyInfo.Status status = status(key, now);
        if (status == ApiKeyInfo.Status.EXPIRING) {
            throw new KeyAlreadyRotatedException(key.keyId(), key.replacedBy(), key.expiresAt());
        }
        if (status != ApiKeyInfo.Status.ACTIVE) {
            throw new KeyNotActiveException(key.keyId(), status, "rotated");
        }
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
