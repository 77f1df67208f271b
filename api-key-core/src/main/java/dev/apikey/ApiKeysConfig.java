package dev.apikey;

import dev.apikey.internal.HashPolicy;
import dev.apikey.spi.AccessPolicy;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.QuotaCounter;
import dev.apikey.spi.RateLimiter;
import dev.apikey.spi.VerifyObserver;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything an {@link ApiKeys} was built with, defaults resolved: what {@link VerifyEngine},
 * {@link KeyCache}, {@link KeyLifecycle} and {@link ChangeFeedFollower} receive. No class reads the builder.
 *
 * <p>Immutable (the map is a copy). Package-private: {@link ApiKeys.Builder} is the API.
 *
 * @param accessPolicy the host's policy, or {@code null} for none
 * @param defaultRateLimit the limit of keys without their own or their tenant's, or {@code null}
 * @param expiryWarnings the warning horizons before an expiry or rotate-by date, ascending; empty for none
 * @param unusedKeyPolicy the policy for unused keys, or {@code null} for none
 * @param verifyObserver what hears each verify's time, or {@code null} for none
 * @param rateLimiterFailClosed whether a failing rate limiter refuses ({@code rate_limit_unavailable}) rather than
 *                              allows
 * @param quotaCounter where quotas are counted
 * @param unknownIdsPerSource store look-ups of unknown ids one source network may cause per minute
 * @param unknownIdsTotal store look-ups of unknown ids all sources together may cause per minute
 */
record ApiKeysConfig(
        String prefix,
        KeyStore store,
        ScopeCatalog catalog,
        HashPolicy hashing,
        Clock clock,
        SecureRandom random,
        long cacheMaximumSize,
        Duration cacheMaxStaleness,
        Duration negativeCacheTtl,
        int hashConcurrency,
        Duration hashQueueTimeout,
        RateLimiter rateLimiter,
        RateLimit defaultRateLimit,
        Map<String, RateLimit> tenantRateLimits,
        KeyEventListener listener,
        AccessPolicy accessPolicy,
        int failedAttemptLimit,
        Duration failedAttemptCooldown,
        Duration lastUsedFlushInterval,
        Duration changeFeedPollInterval,
        List<Duration> expiryWarnings,
        Duration hygieneInterval,
        UnusedKeyPolicy unusedKeyPolicy,
        VerifyObserver verifyObserver,
        boolean rateLimiterFailClosed,
        QuotaCounter quotaCounter,
        int unknownIdsPerSource,
        int unknownIdsTotal) {

    ApiKeysConfig {
        tenantRateLimits = Map.copyOf(tenantRateLimits);
        expiryWarnings = List.copyOf(new java.util.TreeSet<>(expiryWarnings));
    }

    /** The limit that applies to a key: its own, else its tenant's, else the default; {@code null} for none. */
    RateLimit rateLimitFor(String tenantId, RateLimit own) {
        if (own != null) {
            return own;
        }
        return tenantId == null ? defaultRateLimit : tenantRateLimits.getOrDefault(tenantId, defaultRateLimit);
    }
}
