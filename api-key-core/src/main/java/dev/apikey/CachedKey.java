package dev.apikey;

import dev.apikey.internal.CidrSet;
import dev.apikey.spi.StoredKey;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the verifier caches per key id: the record snapshot compiled for the hot path (scope bits, expiry
 * as epoch millis, the granted {@link Verification} built once), and the SHA-256 of the secret once one
 * matched the stored hash. {@link #ABSENT} is what a load returns for an id the store does not know.
 *
 * <p>Thread-safe: final fields, plus a volatile digest and an atomic slot for the hash check in progress.
 */
final class CachedKey {

    /** The negative-cache marker: no key has this id. */
    static final CachedKey ABSENT = new CachedKey();

    /** Outcomes of a secret check. */
    static final int MATCH = 0;
    static final int NO_MATCH = 1;
    static final int OVERLOADED = 2;

    final StoredKey record;
    final boolean revoked;
    final long expiresAtMillis;
    /** The tenant's ASCII bytes, or {@code null}: checked against the key's segment before a stored-hash check. */
    final byte[] tenant;
    final ScopeBits scopes;
    /** The first 64 scope bits, inline: most catalogs fit, and then a check touches no other object. */
    final long scopeWord0;
    final Verification granted;
    /** The address ranges the key may be used from, or {@code null} for anywhere. */
    final CidrSet allowedAddresses;
    /** The limit that applies to this key (its own, its tenant's or the default), or {@code null}. */
    final RateLimit rateLimit;

    /** When this instance last granted the key (epoch millis), and how much of that the store has. */
    volatile long lastUsedMillis;
    volatile long flushedMillis;

    /** SHA-256 of the secret (bound to the tenant segment) that matched the stored hash; {@code null} until one did. */
    volatile byte[] verifiedDigest;
    /** The hash check running for this key, so that concurrent callers with the same secret share it. */
    final AtomicReference<PendingCheck> pending = new AtomicReference<>();

    private CachedKey() {
        this.record = null;
        this.revoked = false;
        this.expiresAtMillis = 0;
        this.tenant = null;
        this.scopes = ScopeBits.EMPTY;
        this.scopeWord0 = 0;
        this.granted = null;
        this.allowedAddresses = null;
        this.rateLimit = null;
    }

    CachedKey(StoredKey record, ScopeBits scopes, Verification granted, RateLimit rateLimit) {
        this.record = record;
        this.revoked = record.revokedUtc() != null;
        this.expiresAtMillis = record.expiresUtc() == null ? Long.MAX_VALUE : record.expiresUtc().toEpochMilli();
        this.tenant = record.tenantId() == null ? null
                : record.tenantId().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.scopes = scopes;
        this.scopeWord0 = scopes.word(0);
        this.granted = granted;
        this.allowedAddresses = record.allowedCidrs().isEmpty() ? null : CidrSet.parse(record.allowedCidrs());
        this.rateLimit = rateLimit;
    }

    boolean hasScope(int bit) {
        return bit < 64 ? (scopeWord0 & (1L << bit)) != 0 : scopes.has(bit);
    }

    boolean exists() {
        return record != null;
    }

    /** One hash check in flight: the SHA-256 of the secret being checked, and its outcome when done. */
    static final class PendingCheck {
        final byte[] digest;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile int outcome;

        PendingCheck(byte[] digest) {
            this.digest = digest;
        }

        void complete(int result) {
            outcome = result;
            done.countDown();
        }

        int await() {
            try {
                done.await();
                return outcome;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OVERLOADED;
            }
        }
    }

    @Override
    public String toString() {
        return record == null ? "CachedKey[absent]" : "CachedKey[" + record.keyId() + "]";
    }
}
