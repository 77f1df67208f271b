package dev.apikey;

import dev.apikey.internal.Bulkhead;
import dev.apikey.internal.FailedAttempts;
import dev.apikey.internal.ParsedKey;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.Verification;
import dev.apikey.spi.LegacyHash;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;

/**
 * The stored-hash check of a key with no verified digest yet, and what guards it: the failed-attempt throttle,
 * one check per key at a time (callers with the same secret share it, others wait for it), the bulkhead, and the
 * suspect accounting that gives keys under a flood at most half its slots. Hash upgrades go to the
 * {@link Rehasher}, off the request path.
 *
 * <p>Every wait here has a deadline: a slot as long as {@code hashQueueTimeout}, another caller's check of the same
 * key that long plus {@link #SHARED_CHECK_GRACE}; past it the verify answers {@code overloaded}, never a verdict on
 * the key.
 *
 * <p>Thread-safe. Package-private.
 */
final class SecretGate {

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    /** How much longer than for a hash slot a verify waits for another caller's check of the same key to end. */
    static final Duration SHARED_CHECK_GRACE = Duration.ofSeconds(2);

    static final Verification WRONG_SECRET = MODEL.failed(Failure.INVALID_API_KEY, Check.SECRET);
    static final Verification OVERLOADED =
            MODEL.retryLater(Failure.OVERLOADED, Check.SECRET, Duration.ofSeconds(1));

    private final HashPolicy hashing;
    private final LegacyHashes legacyHashes;
    private final KeyCache cache;
    private final VerifyStats stats;
    private final Rehasher rehasher;
    private final VerifyEvents events;
    private final Bulkhead bulkhead;
    private final FailedAttempts failedAttempts;
    /** How long a verify waits for a hash slot, and for another check of the same key with another secret. */
    private final long hashWaitNanos;
    /** The longest a verify waits in all for checks of the same key that others run. */
    private final long sharedWaitNanos;
    /** How long a key that looked attacked counts as suspect to the bulkhead: the throttle's cool-down. */
    private final long suspectMillis;

    SecretGate(ApiKeysConfig config, KeyCache cache, VerifyStats stats, VerifyEvents events, Rehasher rehasher) {
        this.hashing = config.hashing();
        this.legacyHashes = new LegacyHashes(config.legacy());
        this.cache = cache;
        this.stats = stats;
        this.rehasher = rehasher;
        this.events = events;
        this.bulkhead = new Bulkhead(config.hashConcurrency(), config.hashQueueTimeout());
        this.failedAttempts = new FailedAttempts(config.failedAttemptLimit(),
                config.failedAttemptCooldown().toMillis());
        this.hashWaitNanos = config.hashQueueTimeout().toNanos();
        this.sharedWaitNanos = hashWaitNanos + SHARED_CHECK_GRACE.toNanos();
        this.suspectMillis = config.failedAttemptCooldown().toMillis();
    }

    /**
     * What is answered before any hash is computed, without blocking: a forged tenant segment (valid checksum,
     * another tenant) is refused, so a digest is only ever published for the record's own tenant; an id throttled
     * for this caller's address gets {@code too_many_failed_attempts}.
     *
     * @return the refusal, or {@code null} if the stored-hash check may run
     */
    Verification screen(CachedKey entry, ParsedKey key, String remoteAddress, long now) {
        // A legacy key has no tenant segment: it was found by its digest, which its record alone holds.
        if (!key.isLegacy() && !key.tenantEquals(entry.tenantId)) {
            return WRONG_SECRET;
        }
        long throttledUntil = failedAttempts.throttledUntil(entry.id(), remoteAddress, now);
        if (throttledUntil != 0) {
            // Said before the secret is checked: 429, never a verdict on the key.
            long seconds = Math.max(1, (throttledUntil - now + 999) / 1000);
            return MODEL.retryLater(Failure.TOO_MANY_FAILED_ATTEMPTS, Check.SECRET, Duration.ofSeconds(seconds));
        }
        return null;
    }

    /**
     * Checks the presented secret against the stored hash (after {@link #screen}); may block for a slot and for the
     * hash, each with a deadline. A match publishes the digest in the entry and resets the failure count; a wrong
     * secret is counted towards the throttle.
     *
     * @return the refusal ({@code invalid_api_key} or {@code overloaded}), or {@code null} if the secret matched
     */
    Verification check(CachedKey entry, ParsedKey key, byte[] digest, byte[] expected, String remoteAddress,
            long now) {
        int outcome = checkShared(entry, key, digest, expected, now);
        if (outcome == CachedKey.MATCH) {
            // Only stored-hash checks are counted, so only one can leave a count to reset.
            failedAttempts.succeeded(entry.id(), remoteAddress);
            return null;
        }
        if (outcome == CachedKey.NO_MATCH) {
            long started = failedAttempts.failed(entry.id(), remoteAddress, now);
            if (started != 0) {
                events.throttled(key, remoteAddress, started);
            }
            return WRONG_SECRET;
        }
        return OVERLOADED;
    }

    /**
     * One check per key at a time. Callers presenting the same secret while a check runs wait for it instead of
     * hashing again; a different secret waits for the running check to end, then looks again.
     */
    private int checkShared(CachedKey entry, ParsedKey key, byte[] scratchDigest, byte[] expected, long now) {
        byte[] digest = scratchDigest.clone();
        long deadline = System.nanoTime() + sharedWaitNanos;
        while (true) {
            int known = entry.compareVerified(digest, expected);
            if (known != CachedKey.UNVERIFIED) {
                return known;
            }
            CachedKey.PendingCheck running = entry.pending();
            if (running != null) {
                long left = deadline - System.nanoTime();
                if (MessageDigest.isEqual(running.digest, digest)) {
                    return running.await(left);
                }
                // A flood of wrong secrets on a few ids cannot take every hash slot. Another secret while one is
                // checked is what a flood looks like: the key's checks become suspect.
                entry.suspect(now);
                if (!running.awaitDone(Math.min(left, hashWaitNanos))) {
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
        boolean legacy = key.isLegacy();
        byte[] secret = legacy ? key.copyLegacyKey() : key.copySecret();
        String keyId = entry.keyId();
        try {
            stats.hashChecked();
            // A key of our format never verifies against a legacy hash, nor a legacy key against ours.
            boolean matched = legacy == LegacyHash.isLegacy(storedHash) && (legacy
                    ? legacyHashes.verify(keyId, secret, digest, storedHash) : hashing.verify(keyId, secret, storedHash));
            if (!matched) {
                entry.suspect(now);
                return CachedKey.NO_MATCH;
            }
            cache.verified(entry, digest, now);
            // A legacy hash is never upgraded: rotating the key to our format is its upgrade.
            if (!legacy && hashing.needsRehash(storedHash)) {
                rehasher.offer(keyId, storedHash, secret);
            }
            return CachedKey.MATCH;
        } finally {
            Arrays.fill(secret, (byte) 0);
            bulkhead.exit(suspect);
        }
    }

    Bulkhead bulkhead() {
        return bulkhead;
    }
}
