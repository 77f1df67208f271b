package dev.apikey;

import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.AccessPolicy;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.Meter;
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
 * <p>Immutable (the map is a copy). Package-private: {@link ApiKeysBuilder} is the API.
 *
 * @param accessPolicy the host's policy, or {@code null} for none
 * @param meter where allowances are counted
 * @param defaultRateLimit the rate limit of keys without their own (each counted for itself), or {@code null}
 * @param tenantRateLimits per tenant, the rate limit of its keys without their own (each counted for itself)
 * @param expiryWarnings the warning horizons before an expiry or rotate-by date, ascending; empty for none
 * @param unusedKeyPolicy the policy for unused keys, or {@code null} for none
 * @param verifyObserver what hears each verify's time, or {@code null} for none
 * @param meterFailClosed whether a failing meter refuses ({@code rate_limit_unavailable}, {@code quota_unavailable})
 *                        rather than allows
 * @param unknownIdsPerSource store look-ups of unknown ids one source network may cause per minute
 * @param unknownIdsTotal store look-ups of unknown ids all sources together may cause per minute
 * @param allowUnknownCountry whether a key restricted by country is granted when the request's country is unknown
 * @param maxLiveKeysPerTenant the most live keys a tenant may hold
 * @param createsPerMinute the creates one actor may make a minute through {@code ApiKeys.manage}
 * @param historyRetention how long a key's history is kept
 * @param usage how verify counts are kept (its store {@code null}: not counted)
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
        Meter meter,
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
        boolean meterFailClosed,
        int unknownIdsPerSource,
        int unknownIdsTotal,
        boolean allowUnknownCountry,
        int maxLiveKeysPerTenant,
        int createsPerMinute,
        Duration historyRetention, UsageSettings usage,
        LegacySettings legacy) {

    ApiKeysConfig {
        tenantRateLimits = Map.copyOf(tenantRateLimits);
        expiryWarnings = List.copyOf(new java.util.TreeSet<>(expiryWarnings));
    }

    /** The rate limit a key without its own gets, counted for itself: its tenant's default, else the default. */
    RateLimit defaultRateLimitFor(String tenantId) {
        return tenantId == null ? defaultRateLimit : tenantRateLimits.getOrDefault(tenantId, defaultRateLimit);
    }
}
