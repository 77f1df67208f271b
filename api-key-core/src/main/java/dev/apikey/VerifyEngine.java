package dev.apikey;

import dev.apikey.internal.Bulkhead;
import dev.apikey.internal.FailedAttempts;
import dev.apikey.internal.HashPolicy;
import dev.apikey.internal.KeyLayout;
import dev.apikey.internal.KeyParser;
import dev.apikey.internal.LogWindow;
import dev.apikey.internal.ParsedKey;
import dev.apikey.internal.UnknownIdMeter;
import dev.apikey.spi.AccessPolicy;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.QuotaCounter;
import dev.apikey.spi.RateLimiter;
import dev.apikey.spi.VerifyObserver;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verify path, in the order of {@link Check}, cheapest first: header and key shape (no allocation, no
 * store, no hash), the {@link KeyCache} by key id with a constant-time SHA-256 compare, a store load on a miss,
 * the stored-hash check behind a bulkhead, then revoked, expired, disabled, address, tenant, scope, the host's policy
 * and the rate limit.
 *
 * <p>Thread-safe. Package-private: {@link ApiKeys} is the API.
 */
final class VerifyEngine {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.verify");

    private static final Verification MISSING = Verification.failed(Failure.MISSING_API_KEY, Check.HEADER);
    private static final Verification MALFORMED_REQUEST = Verification.failed(Failure.MALFORMED_REQUEST, Check.HEADER);
    private static final Verification MALFORMED_KEY = Verification.failed(Failure.MALFORMED_API_KEY, Check.FORMAT);
    private static final Verification WRONG_ENVIRONMENT =
            Verification.failed(Failure.WRONG_ENVIRONMENT, Check.ENVIRONMENT);
    private static final Verification UNKNOWN_ID = Verification.failed(Failure.INVALID_API_KEY, Check.KEY_EXISTS);
    private static final Verification WRONG_SECRET = Verification.failed(Failure.INVALID_API_KEY, Check.SECRET);
    private static final Verification REVOKED = Verification.failed(Failure.REVOKED_API_KEY, Check.REVOKED);
    private static final Verification EXPIRED = Verification.failed(Failure.EXPIRED_API_KEY, Check.EXPIRED);
    private static final Verification DISABLED = Verification.failed(Failure.DISABLED_API_KEY, Check.DISABLED);
    private static final Verification IP_NOT_ALLOWED = Verification.failed(Failure.IP_NOT_ALLOWED, Check.ADDRESS);
    private static final Verification TENANT_MISMATCH = Verification.failed(Failure.TENANT_MISMATCH, Check.TENANT);
    private static final Verification OVERLOADED =
            Verification.retryLater(Failure.OVERLOADED, Check.SECRET, Duration.ofSeconds(1));
    private static final Verification STORE_UNAVAILABLE =
            Verification.retryLater(Failure.STORE_UNAVAILABLE, Check.KEY_EXISTS, Duration.ofSeconds(5));
    private static final Verification LIMITER_FAILED =
            Verification.retryLater(Failure.RATE_LIMIT_UNAVAILABLE, Check.RATE_LIMIT, Duration.ofSeconds(1));
    private static final Verification POLICY_FAILED =
            Verification.retryLater(Failure.STORE_UNAVAILABLE, Check.POLICY, Duration.ofSeconds(5));

    private final String prefix;
    private final KeyParser parser;
    private final ScopeCatalog catalog;
    private final HashPolicy hashing;
    private final KeyStore store;
    private final Bulkhead bulkhead;
    private final Clock clock;
    private final KeyCache cache;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final FailedAttempts failedAttempts;
    /** How long a verify waits for another check of the same key, as for a hash slot. */
    private final long hashWaitNanos;
    /** How long a key that looked attacked counts as suspect to the bulkhead: the throttle's cool-down. */
    private final long suspectMillis;
    private final RateLimiter rateLimiter;
    private final KeyEventListener listener;
    private final AccessPolicy policy;
    private final Map<Failure, Verification> policyFailures = new ConcurrentHashMap<>();
    private final LongAdder granted = new LongAdder();
    private final LongAdder[] refusals = new LongAdder[Failure.builtIns().size()];
    private final ConcurrentHashMap<String, LongAdder> hostRefusals = new ConcurrentHashMap<>();
    private final LongAdder hashChecks = new LongAdder();
    private final LongAdder limiterFailures = new LongAdder();
    /** Limiter and quota counter failures: at most one line a minute. */
    private final LogWindow limiterLog = new LogWindow(60_000);
    /** Store load failures: at most one line a minute, however many keys and requests meet them. */
    private final LogWindow storeLog = new LogWindow(60_000);
    private final UnknownIdMeter unknownIds;
    private final boolean failClosed;
    private final QuotaCounter quotaCounter;
    private final VerifyObserver observer;

    /** What one thread reuses from one verify to the next; confined to its thread. */
    private static final class Scratch {
        final ParsedKey key = new ParsedKey();
        /** The scope the last verify asked for, and its bit: hosts pass the same constant again and again. */
        String scope;
        int scopeBit;
        /** While an observed verify runs: whether it read the store. */
        boolean missed;
        /** Where an entry's matched digest is put for the compare. */
        final byte[] expected = new byte[32];
    }

    VerifyEngine(ApiKeysConfig config, KeyCache cache) {
        this.prefix = config.prefix();
        this.parser = new KeyParser(config.prefix());
        this.catalog = config.catalog();
        this.hashing = config.hashing();
        this.store = config.store();
        this.bulkhead = new Bulkhead(config.hashConcurrency(), config.hashQueueTimeout());
        this.hashWaitNanos = config.hashQueueTimeout().toNanos();
        this.suspectMillis = config.failedAttemptCooldown().toMillis();
        this.clock = config.clock();
        this.cache = cache;
        this.failedAttempts = new FailedAttempts(config.failedAttemptLimit(),
                config.failedAttemptCooldown().toMillis());
        this.rateLimiter = config.rateLimiter();
        this.listener = config.listener();
        this.policy = config.accessPolicy();
        this.observer = config.verifyObserver();
        this.failClosed = config.rateLimiterFailClosed();
        this.quotaCounter = config.quotaCounter();
        this.unknownIds = new UnknownIdMeter(config.unknownIdsPerSource(), config.unknownIdsTotal());
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /**
     * @param request the request as the host gave it, for the access policy; {@code null} when the host used
     *                the two-argument form (then built only if a policy needs it)
     */
    Verification verify(String header, String requiredScope, String requiredTenant, String remoteAddress,
            VerifyRequest request) {
        Scratch scratch = this.scratch.get();
        if (observer == null) {
            return check(scratch, header, requiredScope, requiredTenant, remoteAddress, request);
        }
        scratch.missed = false;
        long start = System.nanoTime();
        Verification v = check(scratch, header, requiredScope, requiredTenant, remoteAddress, request);
        long nanos = System.nanoTime() - start;
        VerifyObserver.Lookup lookup = scratch.missed ? VerifyObserver.Lookup.MISS
                : v.failedCheck().map(c -> c.compareTo(Check.KEY_EXISTS) < 0).orElse(false)
                        ? VerifyObserver.Lookup.NONE : VerifyObserver.Lookup.HIT;
        observer.observe(v, lookup, nanos);
        return v;
    }

    private Verification check(Scratch scratch, String header, String requiredScope, String requiredTenant,
            String remoteAddress, VerifyRequest request) {
        int scopeBit = -1;
        if (requiredScope != null) {
            if (requiredScope == scratch.scope) {
                scopeBit = scratch.scopeBit;
            } else {
                scopeBit = catalog.bitOf(requiredScope);
                if (scopeBit < 0) {
                    throw new IllegalArgumentException("requiredScope '" + requiredScope
                            + "' is not declared in the scope catalog");
                }
                scratch.scope = requiredScope;
                scratch.scopeBit = scopeBit;
            }
        }
        ParsedKey key = scratch.key;
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
            long id = key.lookupId();
            // The entry and its digest words are read before the clock and the digest are computed, so that their
            // cache misses overlap that work; whether the entry is fresh is checked after.
            CachedKey entry = cache.peek(id);
            byte[] expected = scratch.expected;
            boolean known = entry != null && entry.verifiedDigestInto(expected);
            long now = clock.millis();
            if (entry == null || entry.isStale(now)) {
                boolean real = entry != null && entry.exists();
                entry = cache.get(id, now);
                if (entry == null) {
                    if (cache.loadFailedLately(id, now)) {
                        return refused(STORE_UNAVAILABLE, key, remoteAddress);
                    }
                    // An id known to exist skips the meter; any other look-up takes its tokens first.
                    long lookup = real ? UnknownIdMeter.GO : unknownIds.beforeLookup(remoteAddress, now);
                    if (lookup > 0) {
                        return refused(Verification.retryLater(Failure.TOO_MANY_FAILED_ATTEMPTS, Check.KEY_EXISTS,
                                Duration.ofSeconds(Math.max(1, (lookup + 999) / 1000))), key, remoteAddress);
                    }
                    scratch.missed = true;
                    try {
                        entry = cache.load(id, now);
                    } catch (RuntimeException e) {
                        loadFailed(key, e, now);
                        return refused(STORE_UNAVAILABLE, key, remoteAddress);
                    }
                    if (!real && entry.exists()) {
                        unknownIds.found(remoteAddress);
                    }
                }
                known = entry.verifiedDigestInto(expected);
            }
            if (!entry.exists()) {
                return refused(UNKNOWN_ID, key, remoteAddress);
            }
            // The digest binds the secret to the key's tenant segment, so one compare checks both.
            byte[] digest = key.credentialDigest();
            if (known) {
                if (!MessageDigest.isEqual(digest, expected)) {
                    // Cheap to refuse, so not counted: the lock-out protects the stored-hash check only.
                    return refused(WRONG_SECRET, key, remoteAddress);
                }
            } else {
                // A forged tenant segment (valid checksum, another tenant) is refused before any hashing, and
                // so a digest is only ever published for the record's own tenant.
                if (!key.tenantEquals(entry.tenantId)) {
                    return refused(WRONG_SECRET, key, remoteAddress);
                }
                long throttledUntil = failedAttempts.throttledUntil(id, remoteAddress, now);
                if (throttledUntil != 0) {
                    // Said before the secret is checked: 429, never a verdict on the key.
                    long seconds = Math.max(1, (throttledUntil - now + 999) / 1000);
                    return refused(Verification.retryLater(Failure.TOO_MANY_FAILED_ATTEMPTS, Check.SECRET,
                            Duration.ofSeconds(seconds)), key, remoteAddress);
                }
                int outcome = checkSecret(entry, key, digest, expected, now);
                if (outcome != CachedKey.MATCH) {
                    if (outcome == CachedKey.NO_MATCH) {
                        long started = failedAttempts.failed(id, remoteAddress, now);
                        if (started != 0) {
                            throttleEvent(key, remoteAddress, started);
                        }
                    }
                    return refused(outcome == CachedKey.OVERLOADED ? OVERLOADED : WRONG_SECRET, key, remoteAddress);
                }
                // Only stored-hash checks are counted, so only one can leave a count to reset.
                failedAttempts.succeeded(id, remoteAddress);
            }
            if (entry.revoked) {
                return refused(REVOKED, key, remoteAddress);
            }
            if (now >= entry.expiresAtMillis) {
                return refused(EXPIRED, key, remoteAddress);
            }
            if (entry.disabled) {
                return refused(DISABLED, key, remoteAddress);
            }
            boolean plain = entry.plain;
            if (!plain && entry.allowedAddresses != null && !entry.allowedAddresses.contains(remoteAddress)) {
                return refused(IP_NOT_ALLOWED, key, remoteAddress);
            }
            if (requiredTenant != null && !requiredTenant.equals(entry.tenantId)) {
                return refused(TENANT_MISMATCH, key, remoteAddress);
            }
            if (scopeBit >= 0 && !entry.hasScope(scopeBit)) {
                return refused(Verification.insufficientScope(requiredScope), key, remoteAddress);
            }
            if (policy != null) {
                Verification denied = applyPolicy(entry, header, requiredScope, requiredTenant, remoteAddress, request);
                if (denied != null) {
                    return refused(denied, key, remoteAddress);
                }
            }
            Spending allowance = plain ? null : entry.allowance;
            if (allowance != null && allowance.rateLimit() != null) {
                long waitNanos = rateLimit(allowance, now);
                if (waitNanos == LIMITER_DOWN) {
                    return refused(LIMITER_FAILED, key, remoteAddress);
                }
                if (waitNanos > 0) {
                    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
                    return refused(Verification.rateLimited(allowance.rateLimit(), Duration.ofSeconds(seconds)), key,
                            remoteAddress);
                }
            }
            if (allowance != null && allowance.quota() != null) {
                Verification overQuota = consumeQuota(allowance, now);
                if (overQuota != null) {
                    return refused(overQuota, key, remoteAddress);
                }
            }
            cache.used(entry, now);
            granted.increment();
            if (listener.wantsGrants()) {
                grantEvent(entry, remoteAddress, now);
            }
            return entry.granted;
        } finally {
            key.clear();
        }
    }

    /** A store load threw: logged at most once a minute with the count so far (the cache counts them). */
    private void loadFailed(ParsedKey key, RuntimeException e, long now) {
        if (storeLog.tryLog(now)) {
            LOG.warn("key store failed loading key {} ({} load failures so far; at most one line a minute): {}",
                    key.keyId(), cache.loadFailures(), e.toString());
        }
    }

    private Verification applyPolicy(CachedKey entry, String header, String scope, String tenant,
            String remoteAddress, VerifyRequest request) {
        VerifyRequest asked = request;
        if (asked == null) {
            asked = VerifyRequest.header(header);
            asked = scope == null ? asked : asked.scope(scope);
            asked = tenant == null ? asked : asked.tenantId(tenant);
            asked = remoteAddress == null ? asked : asked.remoteAddress(remoteAddress);
        }
        Optional<Failure> failure;
        try {
            failure = policy.check(entry.granted.principalOrNull(), asked);
        } catch (RuntimeException e) {
            LOG.warn("access policy failed for key {}; refusing with store_unavailable: {}",
                    entry.granted.principalOrNull().keyId(), e.toString());
            return POLICY_FAILED;
        }
        if (failure == null || failure.isEmpty()) {
            return null;
        }
        return policyFailures.computeIfAbsent(failure.get(), f -> f.isTransient()
                ? Verification.retryLater(f, Check.POLICY, Duration.ofSeconds(5))
                : Verification.failed(f, Check.POLICY));
    }

    /** What {@link #rateLimit} answers when the limiter failed and the host fails closed. */
    private static final long LIMITER_DOWN = -1;

    private long rateLimit(Spending allowance, long now) {
        try {
            return rateLimiter.tryAcquire(allowance.lineage(), allowance.rateLimit());
        } catch (RuntimeException e) {
            return limiterFailed(now, e);
        }
    }

    /** A limiter or quota counter threw: count it, log at most once a minute, fail open or closed. */
    private long limiterFailed(long now, RuntimeException e) {
        limiterFailures.increment();
        if (limiterLog.tryLog(now)) {
            LOG.warn("rate limiter or quota counter failed ({} so far); {} the requests it should have limited: {}",
                    limiterFailures.sum(), failClosed ? "refusing" : "allowing", e.toString());
        }
        return failClosed ? LIMITER_DOWN : 0;
    }

    /** Counts the call against the key's quota; the refusal if none is left (or the counter failed closed). */
    private Verification consumeQuota(Spending allowance, long now) {
        Quota quota = allowance.quota();
        Instant at = Instant.ofEpochMilli(now);
        long left;
        try {
            left = quotaCounter.tryConsume(allowance.lineage(), quota, quota.periodIndex(at));
        } catch (RuntimeException e) {
            return limiterFailed(now, e) == LIMITER_DOWN ? LIMITER_FAILED : null;
        }
        if (left >= 0) {
            return null;
        }
        Instant reset = quota.resetAt(at);
        long seconds = Math.max(1, (reset.toEpochMilli() - now + 999) / 1000);
        return Verification.quotaExceeded(quota, reset, Duration.ofSeconds(seconds));
    }

    long limiterFailures() {
        return limiterFailures.sum();
    }

    private void throttleEvent(ParsedKey key, String remoteAddress, long until) {
        String hint = KeyLayout.hint(prefix, key.tenantId(), key.keyId());
        try {
            listener.throttled(hint, remoteAddress, until);
        } catch (RuntimeException e) {
            LOG.warn("key event listener failed on a throttle: {}", e.toString());
        }
    }

    private void grantEvent(CachedKey entry, String remoteAddress, long now) {
        try {
            listener.verified(entry.granted.principalOrNull(), remoteAddress, now);
        } catch (RuntimeException e) {
            LOG.warn("key event listener failed on a grant: {}", e.toString());
        }
    }

    private Verification refused(Verification v, ParsedKey key, String remoteAddress) {
        Failure failure = v.failureOrNull();
        int index = failure.index();
        if (index >= 0) {
            refusals[index].increment();
        } else {
            hostRefusals.computeIfAbsent(failure.code(), c -> new LongAdder()).increment();
        }
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

    /** Verifies by outcome since start: {@code granted}, then every built-in code, then host codes seen. */
    Map<String, Long> outcomes() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put(ApiKeyStats.GRANTED, granted.sum());
        List<Failure> builtIns = Failure.builtIns();
        for (int i = 0; i < builtIns.size(); i++) {
            counts.put(builtIns.get(i).code(), refusals[i].sum());
        }
        hostRefusals.forEach((code, n) -> counts.put(code, n.sum()));
        return counts;
    }

    long hashChecks() {
        return hashChecks.sum();
    }

    Bulkhead bulkhead() {
        return bulkhead;
    }

    /**
     * Checks the presented secret against the stored hash. Callers presenting the same secret while a check
     * runs wait for it instead of hashing again; a different secret is checked on its own.
     */
    private int checkSecret(CachedKey entry, ParsedKey key, byte[] scratchDigest, byte[] expected, long now) {
        byte[] digest = scratchDigest.clone();
        while (true) {
            int known = entry.compareVerified(digest, expected);
            if (known != CachedKey.UNVERIFIED) {
                return known;
            }
            CachedKey.PendingCheck running = entry.pending();
            if (running != null) {
                if (MessageDigest.isEqual(running.digest, digest)) {
                    return running.await();
                }
                // One stored-hash check per key at a time: a flood of wrong secrets on a few ids cannot take
                // every hash slot. Wait for the running one (as long as for a slot), then look again. Another
                // secret while one is checked is what a flood looks like: the key's checks become suspect.
                entry.suspect(now);
                if (!running.awaitDone(hashWaitNanos)) {
                    return CachedKey.OVERLOADED;
                }
                continue;
            }
            CachedKey.PendingCheck mine = new CachedKey.PendingCheck(digest);
            if (entry.startCheck(mine)) {
                int outcome = CachedKey.OVERLOADED;
                try {
                    // A check that finished just before our CAS has published its digest; reuse it.
                    known = entry.compareVerified(digest, expected);
                    outcome = known != CachedKey.UNVERIFIED ? known : hashCheck(entry, key, digest, expected, now);
                } finally {
                    mine.complete(outcome);
                    entry.endCheck(mine);
                }
                return outcome;
            }
        }
    }

    private int hashCheck(CachedKey entry, ParsedKey key, byte[] digest, byte[] expected, long now) {
        String storedHash = entry.storedHash();
        if (storedHash == null) {
            // Another check matched meanwhile and let go of the hash: compare with its digest.
            return entry.compareVerified(digest, expected) == CachedKey.MATCH ? CachedKey.MATCH : CachedKey.NO_MATCH;
        }
        // A key that looked attacked lately may be under a flood: its checks get at most half the slots.
        boolean suspect = entry.suspectSince(now - suspectMillis);
        if (!bulkhead.tryEnter(suspect)) {
            return CachedKey.OVERLOADED;
        }
        byte[] secret = key.copySecret();
        String keyId = entry.keyId();
        try {
            hashChecks.increment();
            if (!hashing.verify(keyId, secret, storedHash)) {
                entry.suspect(now);
                return CachedKey.NO_MATCH;
            }
            cache.verified(entry, digest, now);
            if (hashing.needsRehash(storedHash)) {
                rehash(keyId, storedHash, secret);
            }
            return CachedKey.MATCH;
        } finally {
            Arrays.fill(secret, (byte) 0);
            bulkhead.exit(suspect);
        }
    }

    private void rehash(String keyId, String storedHash, byte[] secret) {
        try {
            boolean replaced = KeyLifecycle.rehash(store, keyId, storedHash, hashing.hash(secret));
            LOG.info("upgraded the stored hash of key {} to {}: {}", keyId, hashing.current().algorithm(),
                    replaced ? "done" : "changed meanwhile, left as is");
        } catch (RuntimeException e) {
            LOG.warn("could not upgrade the stored hash of key {}: {}", keyId, e.toString());
        }
    }
}
