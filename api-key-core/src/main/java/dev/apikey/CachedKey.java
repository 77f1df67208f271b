package dev.apikey;

import dev.apikey.internal.CidrSet;
import dev.apikey.internal.IdTable;
import dev.apikey.internal.NetworkBits;
import dev.apikey.internal.ScopeBits;
import dev.apikey.model.Failure;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.Verification;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.MessageDigest;
import java.util.concurrent.CountDownLatch;

/**
 * What the verify cache holds per key id: the record compiled for the hot path (tenant, scope bits, expiry as
 * epoch millis, the granted {@link Verification} built once), never the record itself, and the SHA-256 of
 * the secret once one matched the stored hash. An {@linkplain #absent absent} entry remembers that the store
 * does not know an id.
 *
 * <p>Thread-safe: final fields, and volatile fields that only this class's methods write, called by
 * {@link KeyCache}, {@link VerifyEngine} and {@link SecretGate}.
 */
final class CachedKey extends CachedKeyHead {

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    /** Outcomes of a secret check. Zero, what an int is before anyone sets it, means no match: fail closed. */
    static final int NO_MATCH = 0;
    static final int MATCH = 1;
    static final int OVERLOADED = 2;

    /** What {@link #compareVerified} answers while no secret has matched the stored hash yet. */
    static final int UNVERIFIED = -1;

    private static final VarHandle PENDING;
    private static final VarHandle GRANTS;
    private static final VarHandle NETWORKS;
    private static final VarHandle CELLS;
    /** Reads and writes a digest's bytes as four big-endian longs. */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class,
            java.nio.ByteOrder.BIG_ENDIAN);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PENDING = lookup.findVarHandle(CachedKey.class, "pending", PendingCheck.class);
            GRANTS = lookup.findVarHandle(CachedKeyHead.class, "grants", long.class);
            NETWORKS = lookup.findVarHandle(CachedKeyHead.class, "networks", long.class);
            CELLS = lookup.findVarHandle(CachedKey.class, "cells", UsageCells.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #off}: the key is on. */
    static final byte ON = 0;
    /** {@link #off}: the key is disabled (whether or not its tenant is suspended: disabled is said first). */
    static final byte OFF_DISABLED = 1;
    /** {@link #off}: the key's tenant is suspended. */
    static final byte OFF_SUSPENDED = 2;

    /** How much of {@link #lastUsedMillis} the store has (epoch millis). */
    private volatile long flushedMillis;
    /** A 64-bit fingerprint of the stored hash, to tell whether a reloaded record has the same one. */
    final long hashFingerprint;
    /** The address ranges the key may be used from, or {@code null} for anywhere. */
    final CidrSet allowedAddresses;
    /**
     * The key's and its tenant's allowances, and the lineage they are counted under; or {@code null}. A hit spends
     * through {@link #spend} and reads this only to answer a refusal.
     */
    final Spending allowance;
    /**
     * The countries the key may be used from, its own list met with its tenant's (upper case), or {@code null} for
     * anywhere; an empty set when the two lists share no country.
     */
    final java.util.Set<String> allowedCountries;
    /** The stored hash, kept until a secret matched it. */
    private volatile String storedHash;
    /**
     * When this key last looked attacked (epoch millis, at least 1), or 0: a secret failed the stored-hash check, or
     * a different secret arrived while one was being checked (a holder has one secret).
     */
    private volatile long suspectAtMillis;
    /** This key's refusal counters and striped grant counter, made on its first refusal or collision; or null. */
    @SuppressWarnings("unused")
    private volatile UsageCells cells;
    /** The hash check running for this key, so that concurrent callers with the same secret share it. */
    @SuppressWarnings("unused")
    private volatile PendingCheck pending;

    CachedKey(long id, String tenantId, boolean revoked, boolean disabled, long expiresAtMillis, ScopeBits scopes,
            Verification granted, CidrSet allowedAddresses, java.util.Set<String> allowedCountries, Spending allowance,
            String storedHash, long staleAtMillis, boolean suspended) {
        super(id, revoked, disabled ? OFF_DISABLED : suspended ? OFF_SUSPENDED : ON,
                allowedAddresses != null || allowedCountries != null, staleAtMillis,
                expiresAtMillis, scopes, granted, allowance == null ? null : allowance.prepared(), tenantId);
        this.allowance = allowance;
        this.allowedAddresses = allowedAddresses;
        this.allowedCountries = allowedCountries;
        this.storedHash = storedHash;
        this.hashFingerprint = storedHash == null ? 0 : fingerprint(storedHash);
    }

    /** An entry saying the store has no key with this id, until {@code staleAtMillis}. */
    static CachedKey absent(long id, long staleAtMillis) {
        return new CachedKey(id, null, false, false, 0, ScopeBits.EMPTY, null, null, null, null, null, staleAtMillis,
                false);
    }

    boolean exists() {
        return granted != null;
    }

    boolean hasScope(int bit) {
        return bit < 64 ? (scopeWord0 & (1L << bit)) != 0 : scopes.has(bit);
    }


    boolean isStale(long nowMillis) {
        return nowMillis >= staleAtMillis;
    }

    /** Makes every later read of this entry go to the store. */
    void markStale() {
        staleAtMillis = Long.MIN_VALUE;
    }

    String keyId() {
        return MODEL.principalOrNull(granted).keyId();
    }

    /** The stored hash to check a secret against; {@code null} once a secret matched. */
    String storedHash() {
        return storedHash;
    }

    /**
     * Puts the digest of the secret that matched the stored hash into {@code into}, if one matched.
     *
     * @param into a 32-byte buffer of the caller's
     * @return whether a secret matched, so that {@code into} holds its digest
     */
    boolean verifiedDigestInto(byte[] into) {
        if (verifiedAtMillis == 0) {
            return false;
        }
        WORDS.set(into, 0, digest0);
        WORDS.set(into, 8, digest1);
        WORDS.set(into, 16, digest2);
        WORDS.set(into, 24, digest3);
        return true;
    }

    /**
     * Compares a presented secret's digest with the one that matched the stored hash, in constant time.
     *
     * @param presented the presented digest, 32 bytes
     * @param scratch   a 32-byte buffer of the caller's to put the matched digest in, for the compare
     * @return {@link #MATCH}, {@link #NO_MATCH}, or {@link #UNVERIFIED} if no secret matched yet
     */
    int compareVerified(byte[] presented, byte[] scratch) {
        if (!verifiedDigestInto(scratch)) {
            return UNVERIFIED;
        }
        return MessageDigest.isEqual(presented, scratch) ? MATCH : NO_MATCH;
    }

    /** A secret matched the stored hash: remember its digest, and let go of the hash. */
    void verified(byte[] matched, long nowMillis) {
        setDigest((long) WORDS.get(matched, 0), (long) WORDS.get(matched, 8), (long) WORDS.get(matched, 16),
                (long) WORDS.get(matched, 24), nowMillis);
    }

    private void setDigest(long d0, long d1, long d2, long d3, long atMillis) {
        digest0 = d0;
        digest1 = d1;
        digest2 = d2;
        digest3 = d3;
        verifiedAtMillis = Math.max(1, atMillis);
        storedHash = null;
    }

    /** A secret failed the stored-hash check, or several secrets were presented at once. */
    void suspect(long nowMillis) {
        suspectAtMillis = Math.max(1, nowMillis);
    }

    /** {@return whether this key looked attacked at or after {@code sinceMillis}} */
    boolean suspectSince(long sinceMillis) {
        long at = suspectAtMillis;
        return at != 0 && at >= sinceMillis;
    }

    /**
     * Takes over the verified digest of the entry this one replaces, if both were read from the same stored
     * hash and the digest is younger than {@code retentionMillis}: a reload costs no second hash check.
     */
    void inheritVerified(CachedKey previous, long nowMillis, long retentionMillis) {
        long at = previous.verifiedAtMillis;
        if (at != 0 && previous.hashFingerprint == hashFingerprint && nowMillis - at < retentionMillis) {
            setDigest(previous.digest0, previous.digest1, previous.digest2, previous.digest3, at);
        }
    }

    /** On the hot path: remember a grant, writing the field only when the second changed. */
    void used(long nowMillis) {
        if (nowMillis - lastUsedMillis >= 1000) {
            lastUsedMillis = nowMillis;
        }
    }

    /** The last grant not yet written to the store (epoch millis), or 0. */
    long unflushedUse() {
        long used = lastUsedMillis;
        return used > flushedMillis ? used : 0;
    }

    /** The store now has every use up to {@code millis}. */
    void flushed(long millis) {
        if (millis > flushedMillis) {
            flushedMillis = millis;
        }
    }

    @Override
    protected long lastTouched() {
        return Math.max(lastUsedMillis, verifiedAtMillis);
    }

    /** {@link #grants} once its key's grants are counted in the striped counter of its {@link #cells}. */
    private static final long STRIPED = -1;

    /**
     * On the hot path: counts a grant, allocation-free; reads and writes only fields next to those a hit reads.
     *
     * @param network the caller's network ({@link NetworkBits#network}), or -1 for none
     * @return whether the network's bit was new to this flush interval's sketch
     */
    boolean countGrant(long network) {
        long n = (long) GRANTS.getVolatile(this);
        if (n == STRIPED) {
            cells().stripedGrants().increment();
        } else if (!GRANTS.compareAndSet(this, n, n + 1)) {
            stripeGrants();
        }
        return seen(network);
    }

    /**
     * Two threads collided counting this key's grants: from now on they count in a striped counter, which takes over
     * the grants not yet taken, and this one.
     */
    private void stripeGrants() {
        UsageCells c = cells();
        long before = (long) GRANTS.getAndSet(this, STRIPED);
        c.stripedGrants().add(before == STRIPED ? 1 : before + 1);
    }

    /**
     * Counts a refusal: {@code index} of a built-in failure, or -1 with a host's failure; {@code network} or -1.
     *
     * @return whether it was earned with the key's secret and its network's bit was new to this interval's sketch
     */
    boolean countRefusal(int index, Failure failure, long network) {
        UsageCells c = cells();
        c.refused(index, failure);
        if (UnprovenOutcomes.isUnproven(index)) {
            if (network >= 0) {
                c.unprovenSeen(1L << NetworkBits.index(network));
            }
            return false;
        }
        return seen(network);
    }

    /** Off the hit: a proven outcome's country, learnt when its network was new ({@link UsageCells#countrySeen}). */
    void countrySeen(String country) {
        cells().countrySeen(country);
    }

    private UsageCells cells() {
        UsageCells c = cells;
        if (c == null) {
            c = new UsageCells();
            if (!CELLS.compareAndSet(this, null, c)) {
                c = cells;
            }
        }
        return c;
    }

    /** {@return whether this call set the network's bit} */
    private boolean seen(long network) {
        if (network < 0) {
            return false;
        }
        long bit = 1L << NetworkBits.index(network);
        return (networks & bit) == 0 && ((long) NETWORKS.getAndBitwiseOr(this, bit) & bit) == 0;
    }

    /** {@return the grants since the last take, resetting them} For the usage flusher. */
    long takeGrants() {
        while (true) {
            long n = (long) GRANTS.getVolatile(this);
            if (n == STRIPED) {
                return cells().stripedGrants().sumThenReset();
            }
            if (GRANTS.compareAndSet(this, n, 0L)) {
                return n;
            }
        }
    }

    /** {@return the refusal counts, or {@code null} if the key was never refused nor striped} */
    UsageCells refusalCells() {
        return cells;
    }

    /** {@return the network sketch since the last take, resetting it} */
    long takeNetworks() {
        return (long) NETWORKS.getAndSet(this, 0L);
    }

    /** Puts back network bits taken with no count to write them with. */
    void restoreNetworks(long bits) {
        NETWORKS.getAndBitwiseOr(this, bits);
    }

    /** The check in flight, or {@code null}. */
    PendingCheck pending() {
        return (PendingCheck) PENDING.getVolatile(this);
    }

    boolean startCheck(PendingCheck check) {
        return PENDING.compareAndSet(this, null, check);
    }

    void endCheck(PendingCheck check) {
        PENDING.compareAndSet(this, check, null);
    }

    private static long fingerprint(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
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

        /**
         * Waits at most {@code nanos} for the check's outcome.
         *
         * @return the outcome, or {@link #OVERLOADED} if the check did not end in time (or the wait was interrupted)
         */
        int await(long nanos) {
            return awaitDone(nanos) ? outcome : OVERLOADED;
        }

        /** Waits at most {@code nanos} for the check to end; {@code false} if it did not (or interrupted). */
        boolean awaitDone(long nanos) {
            try {
                return done.await(Math.max(0, nanos), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Override
    public String toString() {
        return exists() ? "CachedKey[" + keyId() + "]" : "CachedKey[absent]";
    }
}
