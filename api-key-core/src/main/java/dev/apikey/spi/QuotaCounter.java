package dev.apikey.spi;

import dev.apikey.Quota;

/**
 * Counts the calls of keys that have a {@link Quota}. The default counts in process
 * ({@code dev.apikey.LocalQuotaCounter}); a shared one (the database, Redis) makes every instance count against the
 * same allowance: {@code ApiKeys.builder().quotaCounter(...)}.
 *
 * <p>Implementations must be thread-safe and bounded in time: a counter whose backend fails throws, and the
 * verifier lets the call pass or refuses it ({@code rate_limit_unavailable}) as the host configured
 * ({@code rateLimiterFailClosed}).
 */
public interface QuotaCounter {

    /**
     * Counts one call if the period's allowance has room.
     *
     * @param keyId       the key's lineage ({@link StoredKey#lineage()}): the id of the first key of its rotations, so a
     *                    rotation continues its allowance
     * @param quota       the key's quota
     * @param periodIndex the period's number ({@link Quota#periodIndex})
     * @return the calls left in the period after this one (0 or more), or -1 if none was left (nothing counted)
     */
    long tryConsume(String keyId, Quota quota, long periodIndex);

    /**
     * {@return the calls counted so far in the period}
     *
     * @param keyId       the key's lineage ({@link StoredKey#lineage()}): the id of the first key of its rotations, so a
     *                    rotation continues its allowance
     * @param quota       the key's quota
     * @param periodIndex the period's number
     */
    long used(String keyId, Quota quota, long periodIndex);
}
