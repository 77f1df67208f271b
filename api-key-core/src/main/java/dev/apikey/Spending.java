package dev.apikey;

/**
 * What a cached key may spend: its rate limit and quota, and the lineage they are counted under (the id of the first
 * key of its rotations, so a rotated key's successor continues the same window instead of starting a new one, and
 * using the old and the new key during the overlap does not double the allowance). One object behind one pointer in
 * {@link CachedKey}, read only by keys that have one.
 *
 * <p>Immutable. Package-private.
 *
 * @param lineage   the id limits and quotas are counted under
 * @param rateLimit the limit that applies (the key's own, its tenant's or the default), or {@code null}
 * @param quota     the key's quota, or {@code null}
 */
record Spending(String lineage, RateLimit rateLimit, Quota quota) {

    /** {@return the allowance, or {@code null} when the key has neither a rate limit nor a quota} */
    static Spending of(String lineage, RateLimit rateLimit, Quota quota) {
        return rateLimit == null && quota == null ? null : new Spending(lineage, rateLimit, quota);
    }
}
