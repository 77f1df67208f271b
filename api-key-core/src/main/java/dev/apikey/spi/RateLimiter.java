package dev.apikey.spi;

import dev.apikey.RateLimit;

/**
 * Decides whether a key may make one more request now. The default keeps buckets in process
 * ({@code dev.apikey.LocalRateLimiter}); a distributed backend (Redis, a database) can be plugged in with
 * {@code ApiKeys.builder().rateLimiter(...)}.
 *
 * <p>Implementations must be thread-safe and fast: this is called on every granted verify of a key that
 * has a limit. A limiter whose backend fails or is slow throws (after a bounded timeout, never hanging the request):
 * the verifier then allows the request or refuses it with {@code rate_limit_unavailable}, as the host configured
 * ({@code rateLimiterFailClosed}), counts it and logs it at most once a minute.
 */
public interface RateLimiter {

    /**
     * Takes one request from the key's allowance.
     *
     * @param keyId the key's lineage ({@link StoredKey#lineage()}): the id of the first key of its rotations, so a
     *              rotation continues its window
     * @param limit the key's limit
     * @return 0 if the request is allowed; otherwise the nanoseconds until one will be, and nothing is taken
     */
    long tryAcquire(String keyId, RateLimit limit);
}
