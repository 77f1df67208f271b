package dev.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.apikey.internal.Base62;
import dev.apikey.internal.Bulkhead;
import dev.apikey.internal.ClockTime;
import dev.apikey.internal.FailedAttempts;
import dev.apikey.internal.HashPolicy;
import dev.apikey.internal.KeyLayout;
import dev.apikey.internal.KeyParser;
import dev.apikey.internal.ParsedKey;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.RateLimiter;
import dev.apikey.spi.StoredKey;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verify path, cheapest check first: header and key shape (no allocation, no store, no hash), cache by
 * lookup id with a constant-time SHA-256 compare, single-flight store loads with a short negative cache,
 * the stored-hash check behind a bulkhead, then revoked, expired, tenant and scope.
 *
 * <p>Thread-safe. Package-private: {@link ApiKeys} is the API.
 */
final class VerifyEngine {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.verify");

    private static final Verification MISSING = Verification.failed(Failure.MISSING_API_KEY);
    private static final Verification MALFORMED_REQUEST = Verification.failed(Failure.MALFORMED_REQUEST);
    private static final Verification MALFORMED_KEY = Verification.failed(Failure.MALFORMED_API_KEY);
    private static final Verification WRONG_ENVIRONMENT = Verification.failed(Failure.WRONG_ENVIRONMENT);
    private static final Verification INVALID = Verification.failed(Failure.INVALID_API_KEY);
    private static final Verification REVOKED = Verification.failed(Failure.REVOKED_API_KEY);
    private static final Verification EXPIRED = Verification.failed(Failure.EXPIRED_API_KEY);
    private static final Verification TENANT_MISMATCH = Verification.failed(Failure.TENANT_MISMATCH);
    private static final Verification OVERLOADED =
            Verification.retryLater(Failure.OVERLOADED, Duration.ofSeconds(1));
    private static final Verification STORE_UNAVAILABLE =
            Verification.retryLater(Failure.STORE_UNAVAILABLE, Duration.ofSeconds(5));
    private static final Verification IP_NOT_ALLOWED = Verification.failed(Failure.IP_NOT_ALLOWED);
    private static final Duration VERIFIED_SECRET_RETENTION = Duration.ofHours(24);

    private final String prefix;
    private final KeyParser parser;
    private final KeyStore store;
    private final ScopeCatalog catalog;
    private final HashPolicy hashing;
    private final Bulkhead bulkhead;
    private final Clock clock;
    private final Cache<Long, CachedKey> cache;
    /** Key ids the store did not know, remembered briefly; {@code null} when the negative cache is off. */
    private final Cache<Long, Boolean> unknown;
    private final ConcurrentHashMap<Long, CompletableFuture<CachedKey>> loads = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();
    private final ThreadLocal<ParsedKey> scratch = ThreadLocal.withInitial(ParsedKey::new);
    /** SHA-256 of secrets that matched, kept across cache reloads so a reload costs no second hash check. */
    private final Cache<Long, VerifiedSecret> verifiedSecrets;
    private final FailedAttempts failedAttempts;
    private final RateLimiter rateLimiter;
    private final RateLimit defaultRateLimit;
    private final Map<String, RateLimit> tenantRateLimits;
    private final KeyEventListener listener;
    private final LongAdder[] failures = new LongAdder[Failure.values().length];
    final LastUseTracker lastUse;

    private record VerifiedSecret(String storedHash, byte[] digest) {
    }

    VerifyEngine(ApiKeys.Builder config, HashPolicy hashing) {
        this.prefix = config.prefix;
        this.parser = new KeyParser(config.prefix);
        this.store = config.store;
        this.catalog = config.catalog;
        this.hashing = hashing;
        this.bulkhead = new Bulkhead(config.hashConcurrency, config.hashQueueTimeout);
        this.clock = config.clock;
        Ticker ticker = tickerOf(config.clock);
        // Maintenance runs on the calling thread, amortized: handing it to a pool costs a thread wake-up
        // on the hot path.
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.cacheMaximumSize)
                .expireAfterWrite(config.cacheMaxStaleness)
                .ticker(ticker)
                .executor(Runnable::run)
                .removalListener(this::onRemoval)
                .build();
        this.verifiedSecrets = Caffeine.newBuilder()
                .maximumSize(config.cacheMaximumSize)
                .expireAfterWrite(VERIFIED_SECRET_RETENTION)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
        this.failedAttempts = new FailedAttempts(config.failedAttemptLimit, config.failedAttemptCooldown.toMillis());
        this.rateLimiter = config.rateLimiter;
        this.defaultRateLimit = config.defaultRateLimit;
        this.tenantRateLimits = Map.copyOf(config.tenantRateLimits);
        this.listener = config.listener;
        for (int i = 0; i < failures.length; i++) {
            failures[i] = new LongAdder();
        }
        this.lastUse = new LastUseTracker(config.store, () -> cache.asMap().values());
        this.unknown = config.negativeCacheTtl.isZero() ? null : Caffeine.newBuilder()
                .maximumSize(config.cacheMaximumSize)
                .expireAfterWrite(config.negativeCacheTtl)
                .ticker(ticker)
                .executor(Runnable::run)
                .<Long, Boolean>build();
    }

    private void onRemoval(Long id, CachedKey entry, RemovalCause cause) {
        if (entry != null) {
            lastUse.evicted(entry);
        }
    }

    /**
     * Cache expiry follows the injected clock when it is not the system clock (tests move time); with the
     * system clock it follows the monotonic ticker, which wall-clock jumps cannot stretch.
     */
    private static Ticker tickerOf(Clock clock) {
        return ClockTime.isSystem(clock) ? Ticker.systemTicker() : () -> ClockTime.nanos(clock);
    }

    Verification verify(String header, String requiredScope, String requiredTenant, String remoteAddress) {
        int scopeBit = -1;
        if (requiredScope != null) {
            scopeBit = catalog.bitOf(requiredScope);
            if (scopeBit < 0) {
                throw new IllegalArgumentException("requiredScope '" + requiredScope
                        + "' is not declared in the scope catalog");
            }
        }
        ParsedKey key = scratch.get();
        try {
            switch (parser.parse(header, key)) {
                case OK:
                    break;
                case MISSING:
                    return refused(MISSING, null, remoteAddress);
                case MALFORMED_REQUEST:
                    return refused(MALFORMED_REQUEST, null, remoteAddress);
                case MALFORMED_KEY:
                    return refused(MALFORMED_KEY, null, remoteAddress);
                default:
                    return refused(WRONG_ENVIRONMENT, null, remoteAddress);
            }
            Long id = key.lookupId();
            CachedKey entry = cache.getIfPresent(id);
            if (entry == null && unknown != null && unknown.getIfPresent(id) != null) {
                return refused(INVALID, key, remoteAddress);
            }
            if (entry == null) {
                try {
                    entry = load(id);
                } catch (RuntimeException e) {
                    LOG.warn("key store failed loading key {}: {}", key.keyId(), e.toString());
                    return refused(STORE_UNAVAILABLE, key, remoteAddress);
                }
            }
            if (!entry.exists()) {
                return refused(INVALID, key, remoteAddress);
            }
            long now = clock.millis();
            // The digest binds the secret to the key's tenant segment, so one compare checks both.
            byte[] digest = key.credentialDigest();
            byte[] verified = entry.verifiedDigest;
            if (verified != null) {
                // Cheap to refuse, so not counted: the lock-out protects the stored-hash check only.
                if (!MessageDigest.isEqual(digest, verified)) {
                    return refused(INVALID, key, remoteAddress);
                }
            } else {
                // A forged tenant segment (valid checksum, another tenant) is refused before any hashing, and
                // so a digest is only ever published for the record's own tenant.
                if (!key.tenantEquals(entry.tenant) || failedAttempts.isLockedOut(id, now)) {
                    return refused(INVALID, key, remoteAddress);
                }
                int outcome = checkSecret(entry, key, digest);
                if (outcome != CachedKey.MATCH) {
                    if (outcome == CachedKey.NO_MATCH) {
                        failedAttempts.failed(id, now);
                    }
                    return refused(outcome == CachedKey.OVERLOADED ? OVERLOADED : INVALID, key, remoteAddress);
                }
            }
            failedAttempts.succeeded(id);
            if (entry.revoked) {
                return refused(REVOKED, key, remoteAddress);
            }
            if (now >= entry.expiresAtMillis) {
                return refused(EXPIRED, key, remoteAddress);
            }
            if (entry.allowedAddresses != null && !entry.allowedAddresses.contains(remoteAddress)) {
                return refused(IP_NOT_ALLOWED, key, remoteAddress);
            }
            if (requiredTenant != null && !requiredTenant.equals(entry.record.tenantId())) {
                return refused(TENANT_MISMATCH, key, remoteAddress);
            }
            if (scopeBit >= 0 && !entry.hasScope(scopeBit)) {
                return refused(Verification.insufficientScope(requiredScope), key, remoteAddress);
            }
            if (entry.rateLimit != null) {
                long waitNanos = rateLimit(entry);
                if (waitNanos > 0) {
                    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
                    return refused(Verification.rateLimited(entry.rateLimit, Duration.ofSeconds(seconds)), key,
                            remoteAddress);
                }
            }
            LastUseTracker.used(entry, now);
            if (listener.wantsGrants()) {
                grantEvent(entry, remoteAddress, now);
            }
            return entry.granted;
        } finally {
            key.clear();
        }
    }

    private long rateLimit(CachedKey entry) {
        try {
            return rateLimiter.tryAcquire(entry.record.keyId(), entry.rateLimit);
        } catch (RuntimeException e) {
            LOG.warn("rate limiter failed for key {}; allowing the request: {}", entry.record.keyId(), e.toString());
            return 0;
        }
    }

    private void grantEvent(CachedKey entry, String remoteAddress, long now) {
        try {
            listener.verified(entry.granted.principal().orElseThrow(), remoteAddress, now);
        } catch (RuntimeException e) {
            LOG.warn("key event listener failed on a grant: {}", e.toString());
        }
    }

    private Verification refused(Verification v, ParsedKey key, String remoteAddress) {
        Failure failure = v.failure().orElseThrow();
        failures[failure.ordinal()].increment();
        boolean debug = LOG.isDebugEnabled();
        boolean event = listener.wantsRefusals();
        if (debug || event) {
            String hint = key == null ? null : KeyLayout.hint(prefix, key.tenantId(), key.keyId());
            if (debug) {
                LOG.debug("refused {} key={}", failure.code(), hint);
            }
            if (event) {
                try {
                    listener.refused(failure, hint, remoteAddress, clock.millis());
                } catch (RuntimeException e) {
                    LOG.warn("key event listener failed on a refusal: {}", e.toString());
                }
            }
        }
        return v;
    }

    /** How many verifies failed, per failure, since this instance started. */
    Map<Failure, Long> failureCounts() {
        Map<Failure, Long> counts = new EnumMap<>(Failure.class);
        for (Failure f : Failure.values()) {
            counts.put(f, failures[f.ordinal()].sum());
        }
        return counts;
    }

    /** The last use this instance knows of and has not yet written, epoch millis; 0 if none. */
    long unflushedLastUse(String keyId) {
        return lastUse.unflushed(keyId, cache.getIfPresent(Base62.decode(keyId, 0, KeyLayout.LOOKUP_ID_LENGTH)));
    }

    /**
     * Checks the presented secret against the stored hash. Callers presenting the same secret while a check
     * runs wait for it instead of hashing again; a different secret is checked on its own.
     */
    private int checkSecret(CachedKey entry, ParsedKey key, byte[] scratchDigest) {
        byte[] digest = scratchDigest.clone();
        while (true) {
            byte[] verified = entry.verifiedDigest;
            if (verified != null) {
                return MessageDigest.isEqual(digest, verified) ? CachedKey.MATCH : CachedKey.NO_MATCH;
            }
            CachedKey.PendingCheck running = entry.pending.get();
            if (running != null) {
                if (MessageDigest.isEqual(running.digest, digest)) {
                    return running.await();
                }
                return hashCheck(entry, key, digest);
            }
            CachedKey.PendingCheck mine = new CachedKey.PendingCheck(digest);
            if (entry.pending.compareAndSet(null, mine)) {
                int outcome = CachedKey.OVERLOADED;
                try {
                    // A check that finished just before our CAS has published its digest; reuse it.
                    verified = entry.verifiedDigest;
                    outcome = verified != null
                            ? (MessageDigest.isEqual(digest, verified) ? CachedKey.MATCH : CachedKey.NO_MATCH)
                            : hashCheck(entry, key, digest);
                } finally {
                    mine.complete(outcome);
                    entry.pending.compareAndSet(mine, null);
                }
                return outcome;
            }
        }
    }

    private int hashCheck(CachedKey entry, ParsedKey key, byte[] digest) {
        if (!bulkhead.tryEnter()) {
            return CachedKey.OVERLOADED;
        }
        byte[] secret = key.copySecret();
        try {
            StoredKey record = entry.record;
            if (!hashing.verify(record.keyId(), secret, record.secretHash())) {
                return CachedKey.NO_MATCH;
            }
            entry.verifiedDigest = digest;
            verifiedSecrets.put(Base62.decode(record.keyId(), 0, KeyLayout.LOOKUP_ID_LENGTH),
                    new VerifiedSecret(record.secretHash(), digest));
            if (hashing.needsRehash(record.secretHash())) {
                rehash(record, secret);
            }
            return CachedKey.MATCH;
        } finally {
            Arrays.fill(secret, (byte) 0);
            bulkhead.exit();
        }
    }

    private void rehash(StoredKey record, byte[] secret) {
        try {
            boolean replaced = store.replaceHash(record.keyId(), record.secretHash(), hashing.hash(secret));
            LOG.info("upgraded the stored hash of key {} to {}: {}", record.keyId(), hashing.current().algorithm(),
                    replaced ? "done" : "changed meanwhile, left as is");
        } catch (RuntimeException e) {
            LOG.warn("could not upgrade the stored hash of key {}: {}", record.keyId(), e.toString());
        }
    }

    /** One store lookup per key id at a time; the result is cached unless the id was invalidated meanwhile. */
    private CachedKey load(Long id) {
        CompletableFuture<CachedKey> mine = new CompletableFuture<>();
        CompletableFuture<CachedKey> running = loads.putIfAbsent(id, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
            }
        }
        try {
            CachedKey cached = cache.getIfPresent(id);
            if (cached != null) {
                // A load finished between our cache miss and our turn: use it.
                mine.complete(cached);
                return cached;
            }
            long epoch = invalidations.get();
            String keyId = Base62.encode(id, KeyLayout.LOOKUP_ID_LENGTH);
            CachedKey entry = store.findById(keyId).map(this::compile).orElse(CachedKey.ABSENT);
            // Under the cache's lock for this id: a revoke or create that started after our read bumps the
            // epoch first and invalidates after, so a stale entry is either never put or removed.
            if (entry.exists()) {
                cache.asMap().compute(id, (k, old) -> invalidations.get() == epoch ? entry : old);
            } else if (unknown != null) {
                unknown.asMap().compute(id, (k, old) -> invalidations.get() == epoch ? Boolean.TRUE : old);
            }
            mine.complete(entry);
            return entry;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loads.remove(id, mine);
        }
    }

    private CachedKey compile(StoredKey record) {
        for (String scope : record.scopes()) {
            if (catalog.bitOf(scope) < 0) {
                LOG.warn("key {} holds scope '{}' that the catalog does not declare; it grants nothing",
                        record.keyId(), scope);
            }
        }
        ScopeBits bits = catalog.compile(record.scopes());
        ApiKeyPrincipal principal = new ApiKeyPrincipal(record.keyId(),
                KeyLayout.hint(prefix, record.tenantId(), record.keyId()), record.tenantId(), record.name(),
                record.scopes(), record.expiresUtc(), record.metadata(), catalog, bits);
        RateLimit limit = record.rateLimit() != null ? record.rateLimit()
                : record.tenantId() == null ? defaultRateLimit
                : tenantRateLimits.getOrDefault(record.tenantId(), defaultRateLimit);
        CachedKey entry = new CachedKey(record, bits, Verification.granted(principal), limit);
        VerifiedSecret retained = verifiedSecrets.getIfPresent(Base62.decode(record.keyId(), 0,
                KeyLayout.LOOKUP_ID_LENGTH));
        if (retained != null && retained.storedHash().equals(record.secretHash())) {
            entry.verifiedDigest = retained.digest();
        }
        return entry;
    }

    /**
     * Forgets what this instance knows about a key, at once: every verify that starts after this returns
     * reads the store again.
     */
    void invalidate(String keyId) {
        Long id = Base62.decode(keyId, 0, KeyLayout.LOOKUP_ID_LENGTH);
        invalidations.incrementAndGet();
        loads.remove(id);
        cache.invalidate(id);
        if (unknown != null) {
            unknown.invalidate(id);
        }
    }
}
