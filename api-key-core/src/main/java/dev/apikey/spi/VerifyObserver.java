package dev.apikey.spi;

import dev.apikey.model.Verification;

/**
 * Hears how long each verify took and whether the key came from the cache, for latency metrics (the Spring Boot
 * starter's Micrometer timers). Registered with {@code ApiKeys.builder().verifyObserver(...)}; without one, a verify
 * reads no clock for it.
 *
 * <p>Called on the request thread after every verify: keep it to recording a number. An exception thrown here is
 * not caught.
 */
@FunctionalInterface
public interface VerifyObserver {

    /** Where the verify found the key. */
    enum Lookup {
        /** The verify ended before any lookup: no key, or not a key of this environment. */
        NONE,
        /** The key id was in the cache (a remembered unknown id included). */
        HIT,
        /** The key id was read from the store. */
        MISS
    }

    /**
     * One verify.
     *
     * @param outcome     what it answered
     * @param lookup      whether the key came from the cache
     * @param nanos       how long it took, from {@link System#nanoTime()}
     */
    void observe(Verification outcome, Lookup lookup, long nanos);
}
