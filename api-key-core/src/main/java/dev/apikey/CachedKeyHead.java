package dev.apikey;

import dev.apikey.internal.IdTable;
import dev.apikey.internal.ScopeBits;
import dev.apikey.model.Verification;
import dev.apikey.spi.Meter;

/**
 * The fields of a {@link CachedKey} that a cache hit reads, in a class of their own: HotSpot lays out a superclass's
 * fields before its subclass's, so these come first, within about 110 bytes of the header, whatever fields the entry
 * gains for its colder paths (a hash check, a flush, a refusal). A hit then reads two or three cache lines of the
 * entry, not three or four: with many keys the hit waits on memory, and each line is a wait.
 *
 * <p>Only {@link CachedKey} extends this, and only its methods (and the engine's reads of the final fields) use these
 * fields; they are package-private only so that the subclass can. Thread-safety as {@link CachedKey} says.
 */
abstract class CachedKeyHead extends IdTable.Entry {

    // HotSpot lays out fields of one size in declaration order, larger sizes first, one-byte fields in the gap after
    // the header; so a hit reads one stretch of about 110 bytes, the digest and the counts included.
    final boolean revoked;
    /**
     * Why the key is refused before its later checks: {@link CachedKey#ON}, {@link CachedKey#OFF_DISABLED} (disabled, whatever its
     * tenant) or {@link CachedKey#OFF_SUSPENDED} (its tenant suspended). A hit reads this one field for both checks, so a
     * tenant's status costs it nothing more.
     */
    final byte off;
    /** No address list, country list, rate limit or quota: a hit reads none of those fields. */
    final boolean plain;
    /**
     * An address list or a country list: without, a hit of a key with allowances reads neither field (they lie in
     * the entry past the fields a hit reads, often another cache line).
     */
    final boolean listed;
    /** When this entry must be read from the store again (epoch millis); lowered by {@link CachedKey#markStale()}. */
    volatile long staleAtMillis;
    final long expiresAtMillis;
    /** The first 64 scope bits, inline: most catalogs fit, and then a check touches no other object. */
    final long scopeWord0;
    /**
     * When a secret last matched the stored hash (epoch millis, at least 1); 0 until one did. Written after the
     * digest words, read before them.
     */
    volatile long verifiedAtMillis;
    /**
     * SHA-256 of the secret (bound to the tenant segment) that matched the stored hash, as four words inside the
     * entry, so a hit finds it in the lines it reads anyway instead of following a pointer to an array. Valid once
     * {@link #verifiedAtMillis} is set; every secret that matches writes the same words.
     */
    long digest0;
    long digest1;
    long digest2;
    long digest3;
    /** When this instance last granted the key (epoch millis). */
    volatile long lastUsedMillis;
    /**
     * Grants since the usage flusher last took them, and the sketch of their source networks (and refusals'): in the
     * entry, next to what a hit reads anyway, so that counting a grant touches no other object. A key that several
     * threads grant at once moves its count to the striped counter of its {@link CachedKey cells} the first time two of them
     * collide, and {@link #grants} says {@code STRIPED} from then on.
     */
    @SuppressWarnings("unused")
    volatile long grants;
    @SuppressWarnings("unused")
    volatile long networks;
    /** The answer to a granted verify; {@code null} for an absent entry. */
    final Verification granted;
    /**
     * What a hit spends from: the prepared batch of the key's and its tenant's allowances ({@link Spending#prepared}),
     * or {@code null}. The rest of the spending, read on a refusal only, is {@link CachedKey#allowance}: a hit goes
     * from this field straight to the meter's counts.
     */
    final Meter.Prepared spend;
    /** The tenant, or {@code null} for a tenant-less key (and for an absent entry). */
    final String tenantId;
    /** All scope bits; shared between keys with the same scopes. */
    final ScopeBits scopes;

    CachedKeyHead(long id, boolean revoked, byte off, boolean listed, long staleAtMillis, long expiresAtMillis,
            ScopeBits scopes, Verification granted, Meter.Prepared spend, String tenantId) {
        super(id);
        this.revoked = revoked;
        this.off = off;
        this.plain = !listed && spend == null;
        this.listed = listed;
        this.staleAtMillis = staleAtMillis;
        this.expiresAtMillis = expiresAtMillis;
        this.scopes = scopes;
        this.scopeWord0 = scopes.word(0);
        this.granted = granted;
        this.spend = spend;
        this.tenantId = tenantId;
    }
}
