package dev.apikey;

import dev.apikey.hash.Argon2idHasher;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.internal.KeyLayout;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.AccessPolicy;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.Meter;
import dev.apikey.spi.SecretHasher;
import dev.apikey.spi.UsageStore;
import dev.apikey.spi.VerifyObserver;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Configures {@link ApiKeys}. Not thread-safe; every setter checks its argument at once, and
 * {@link #build()} checks that the required ones were given.
 */
public final class ApiKeysBuilder {
    String prefix;
    KeyStore store;
    ScopeCatalog catalog;
    SecretHasher hasher;
    final List<SecretHasher> alsoVerify = new ArrayList<>();
    Clock clock = Clock.systemUTC();
    SecureRandom random;
    long cacheMaximumSize = 100_000;
    Duration cacheMaxStaleness = Duration.ofSeconds(60);
    Duration negativeCacheTtl = Duration.ofSeconds(2);
    int hashConcurrency = Runtime.getRuntime().availableProcessors();
    Duration hashQueueTimeout = Duration.ofMillis(100);
    Meter meter;
    RateLimit defaultRateLimit;
    final Map<String, RateLimit> tenantRateLimits = new HashMap<>();
    KeyEventListener listener;
    AccessPolicy accessPolicy;
    ScheduledExecutorService scheduler;
    int failedAttemptLimit = 100;
    int unknownIdsPerSource = 60;
    int unknownIdsTotal = 6_000;
    Duration failedAttemptCooldown = Duration.ofMinutes(1);
    Duration lastUsedFlushInterval = Duration.ofSeconds(30);
    Duration changeFeedPollInterval = Duration.ofSeconds(1);
    List<Duration> expiryWarnings = List.of(Duration.ofDays(1), Duration.ofDays(7));
    Duration hygieneInterval = Duration.ofHours(1);
    UnusedKeyPolicy unusedKeyPolicy;
    VerifyObserver verifyObserver;
    boolean meterFailClosed;
    boolean allowUnknownCountry;
    int maxLiveKeysPerTenant = 1_000;
    int createsPerMinute = 30;
    Duration historyRetention = KeyHistoryReader.DEFAULT_RETENTION;
    // Verify counts (issue 27): where, how often written, how long kept.
    UsageStore usageStore;
    boolean usageCounting = true;
    Duration usageFlushInterval = Duration.ofSeconds(10);
    Duration[] usageRetention = {Duration.ofHours(48), Duration.ofDays(90), Duration.ofDays(730)};
    // Legacy keys (issue 29): formats handed out before, and the hashers of their salted hashes.
    final List<dev.apikey.model.LegacyFormat> legacyFormats = new ArrayList<>();
    final List<SecretHasher> legacyHashers = new ArrayList<>();
    /** Issue 27 §3: the anomaly detection, or {@code null} for none. */
    AnomalyPolicy anomalyPolicy;

    ApiKeysBuilder() {
    }

    /**
     * The key prefix of this environment, e.g. {@code wlcro}, {@code k_live}. Keys with another prefix are
     * refused as {@code wrong_environment}.
     *
     * @param prefix the prefix
     * @return this builder
     * @throws IllegalArgumentException unless 1 to 20 of {@code [A-Za-z0-9_]}, starting with a letter, without
     *                                  a trailing or doubled {@code _}
     */
    public ApiKeysBuilder prefix(String prefix) {
        String problem = KeyLayout.prefixProblem(prefix);
        if (problem != null) {
            throw new IllegalArgumentException("prefix " + problem);
        }
        this.prefix = prefix;
        return this;
    }

    /**
     * Where keys are kept. Required.
     *
     * @param store the store
     * @return this builder
     */
    public ApiKeysBuilder store(KeyStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * The scopes keys may hold and operations may require. Required.
     *
     * @param catalog the catalog
     * @return this builder
     */
    public ApiKeysBuilder scopes(ScopeCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "scopes");
        return this;
    }

    /**
     * How new secrets are hashed; default {@link Sha256Hasher#create()}: generated secrets carry about 190
     * random bits, for which one SHA-256 is enough (NIST SP 800-63B asks an approved one-way function for
     * secrets of 112 bits or more), and a first verify costs microseconds, not tens of milliseconds. Pass
     * an {@link dev.apikey.hash.HmacSha256Hasher} to add a pepper, or {@link Argon2idHasher} where a policy
     * requires a slow hash. Stored hashes of another algorithm or parameters are rehashed with this one
     * after their next successful verify.
     *
     * @param hasher the hasher of new secrets
     * @return this builder
     */
    public ApiKeysBuilder hasher(SecretHasher hasher) {
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        return this;
    }

    /**
     * More hashers that can read stored hashes (e.g. an HMAC hasher with an old pepper). SHA-256 and
     * Argon2id hashes are always readable.
     *
     * @param hashers hashers for stored hashes only
     * @return this builder
     */
    public ApiKeysBuilder alsoVerify(SecretHasher... hashers) {
        for (SecretHasher h : Objects.requireNonNull(hashers, "hashers")) {
            alsoVerify.add(Objects.requireNonNull(h, "hashers must not contain null"));
        }
        return this;
    }

    /**
     * The clock for expiry and timestamps; default {@link Clock#systemUTC()}. A clock other than the system
     * clock also drives cache expiry, so tests can move time.
     *
     * @param clock the clock
     * @return this builder
     */
    public ApiKeysBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The source of key ids and secrets; default a new {@link SecureRandom}.
     *
     * @param random the random source
     * @return this builder
     */
    public ApiKeysBuilder secureRandom(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "secureRandom");
        return this;
    }

    /**
     * How many keys the verify cache holds at most; default 100,000.
     *
     * @param size the most keys cached
     * @return this builder
     * @throws IllegalArgumentException unless 1 to 100,000,000
     */
    public ApiKeysBuilder cacheMaximumSize(long size) {
        if (size < 1 || size > 100_000_000) {
            throw new IllegalArgumentException("cacheMaximumSize must be 1 to 100000000, was " + size);
        }
        this.cacheMaximumSize = size;
        return this;
    }

    /**
     * How long a cached key may be used without reading the store again; default 60 s. A revoke made
     * through another instance is seen here at the latest after this long, and cached keys keep verifying
     * for this long while the store is down.
     *
     * @param staleness the longest time between store reads of a cached key
     * @return this builder
     * @throws IllegalArgumentException unless 1 ms to 1 h
     */
    public ApiKeysBuilder cacheMaxStaleness(Duration staleness) {
        requireBetween("cacheMaxStaleness", staleness, Duration.ofMillis(1), Duration.ofHours(1));
        this.cacheMaxStaleness = staleness;
        return this;
    }

    /**
     * How long an unknown key id is remembered as unknown; default 2 s, 0 to turn off.
     *
     * @param ttl how long an unknown id stays unknown
     * @return this builder
     * @throws IllegalArgumentException unless 0 to 60 s
     */
    public ApiKeysBuilder negativeCacheTtl(Duration ttl) {
        requireBetween("negativeCacheTtl", ttl, Duration.ZERO, Duration.ofSeconds(60));
        this.negativeCacheTtl = ttl;
        return this;
    }

    /**
     * How many stored-hash checks (Argon2) may run at once; default the number of processors.
     *
     * @param permits the number of hash checks at once
     * @return this builder
     * @throws IllegalArgumentException unless 1 to 1024
     */
    public ApiKeysBuilder hashConcurrency(int permits) {
        if (permits < 1 || permits > 1024) {
            throw new IllegalArgumentException("hashConcurrency must be 1 to 1024, was " + permits);
        }
        this.hashConcurrency = permits;
        return this;
    }

    /**
     * How long a verify waits for a free hash slot before answering {@code overloaded}; default 100 ms.
     *
     * @param wait the longest wait for a hash slot
     * @return this builder
     * @throws IllegalArgumentException unless 0 to 10 s
     */
    public ApiKeysBuilder hashQueueTimeout(Duration wait) {
        requireBetween("hashQueueTimeout", wait, Duration.ZERO, Duration.ofSeconds(10));
        this.hashQueueTimeout = wait;
        return this;
    }

    /**
     * The rate limit of each key that has none of its own (and whose tenant has no default of its own, see
     * {@link #defaultRateLimit(String, RateLimit)}), counted for each key alone; default: none. Allowances a
     * tenant's keys share are the tenant's record ({@link ApiKeys#setTenantAllowances}).
     *
     * @param limit the default limit
     * @return this builder
     * @throws NullPointerException if limit is null
     */
    public ApiKeysBuilder defaultRateLimit(RateLimit limit) {
        this.defaultRateLimit = Objects.requireNonNull(limit, "defaultRateLimit");
        return this;
    }

    /**
     * The rate limit of each key of one tenant that has none of its own, counted for each key alone: a default
     * per key, not shared. (What the tenant's keys share together is the tenant's record:
     * {@link ApiKeys#setTenantAllowances}.)
     *
     * @param tenantId the tenant
     * @param limit    the rate limit each of its keys gets
     * @return this builder
     * @throws IllegalArgumentException if tenantId breaks the tenant id rule
     */
    public ApiKeysBuilder defaultRateLimit(String tenantId, RateLimit limit) {
        String problem = KeyLayout.tenantProblem(tenantId);
        if (problem != null) {
            throw new IllegalArgumentException("tenantId " + problem);
        }
        tenantRateLimits.put(tenantId, Objects.requireNonNull(limit, "limit"));
        return this;
    }

    /**
     * Where allowances (rate limits and quotas, of keys and of tenants) are counted; default a {@link LocalMeter}
     * (each instance counts alone, so N instances allow up to N times). A shared one ({@code JdbcMeter} on
     * PostgreSQL, {@code RedisMeter}) counts every instance against one allowance.
     *
     * @param meter the meter
     * @return this builder
     */
    public ApiKeysBuilder meter(Meter meter) {
        this.meter = Objects.requireNonNull(meter, "meter");
        return this;
    }

    /**
     * What a verify does when the meter throws (its Redis or database is down or slow past its timeout):
     * {@code false} (the default) lets the call pass; {@code true} refuses it with {@code rate_limit_unavailable}
     * (when the key or tenant has a rate limit) or {@code quota_unavailable} (quotas only), 503 with
     * {@code Retry-After: 1}. Either way the failure is counted in {@link ApiKeys#stats()} and logged at most once
     * a minute.
     *
     * @param failClosed whether to refuse
     * @return this builder
     */
    public ApiKeysBuilder meterFailClosed(boolean failClosed) {
        this.meterFailClosed = failClosed;
        return this;
    }

    /**
     * What a verify does for a key (or tenant) restricted to countries when the request's country is unknown: no
     * resolver was given, or it could not tell (an address not in its database, a proxy's {@code XX}).
     * {@code false} (the default) refuses it with {@code country_not_allowed}; {@code true} lets it pass. Keys
     * without a country list never ask for the country.
     *
     * @param allow whether an unknown country passes
     * @return this builder
     */
    public ApiKeysBuilder allowUnknownCountry(boolean allow) {
        this.allowUnknownCountry = allow;
        return this;
    }

    /**
     * A check of the host's own, run after the scope check on every verify, e.g. whether the tenant's plan
     * includes API access; default none.
     *
     * @param policy the host's check
     * @return this builder
     */
    public ApiKeysBuilder accessPolicy(AccessPolicy policy) {
        this.accessPolicy = Objects.requireNonNull(policy, "accessPolicy");
        return this;
    }

    /**
     * Where this instance runs its background work (last-use writes, change-feed polls); default a daemon
     * thread of its own, stopped by {@link ApiKeys#close()}. A scheduler passed here is the host's: close
     * cancels this instance's tasks on it and leaves it running.
     *
     * @param scheduler the host's scheduler, which the host shuts down
     * @return this builder
     */
    public ApiKeysBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * Who hears about key events; default {@link Slf4jAuditListener}.
     *
     * @param listener the listener
     * @return this builder
     */
    public ApiKeysBuilder listener(KeyEventListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * After this many consecutive wrong secrets for one key id from one address (IPv6: one /64) that needed a
     * stored-hash check, further attempts for that id from there are throttled until the cool-down ends:
     * answered {@code too_many_failed_attempts} (429, Retry-After) without a hash check, and reported once
     * to {@link KeyEventListener#throttled}. A throttle never turns the right secret into a refusal of the
     * key: callers at other addresses are not throttled, the key's own secret still verifies at once if this
     * instance verified it in the last 24 hours, and otherwise it verifies when the cool-down ends. Default
     * 100 (NIST SP 800-63B).
     *
     * @param attempts the number of wrong secrets in a row
     * @return this builder
     * @throws IllegalArgumentException unless 1 to 1,000,000
     */
    public ApiKeysBuilder failedAttemptLimit(int attempts) {
        if (attempts < 1 || attempts > 1_000_000) {
            throw new IllegalArgumentException("failedAttemptLimit must be 1 to 1000000, was " + attempts);
        }
        this.failedAttemptLimit = attempts;
        return this;
    }

    /**
     * How many store look-ups of key ids the store does not know a caller's network (IPv4 /24, IPv6 /64) and all
     * callers together may cause per minute. Made-up ids pass the parser (the checksum is public), and each
     * costs a store query the negative cache cannot save; past these limits a cache miss from that network is
     * answered {@code too_many_failed_attempts} (429, Retry-After) without a query. When the total is spent,
     * networks that sent no unknown id lately still reach the store, so the first loads of real keys go ahead
     * of a flood. An id that exists gives its network's look-up back. Default 60 per network and 6,000 in all.
     *
     * @param perSourcePerMinute look-ups of unknown ids per network per minute, 1 to 1,000,000
     * @param totalPerMinute     look-ups of unknown ids in all per minute, 1 to 100,000,000
     * @return this builder
     * @throws IllegalArgumentException if a limit is out of its range
     */
    public ApiKeysBuilder unknownIdLimits(int perSourcePerMinute, int totalPerMinute) {
        if (perSourcePerMinute < 1 || perSourcePerMinute > 1_000_000) {
            throw new IllegalArgumentException("unknownIdLimits perSourcePerMinute must be 1 to 1000000, was "
                    + perSourcePerMinute);
        }
        if (totalPerMinute < 1 || totalPerMinute > 100_000_000) {
            throw new IllegalArgumentException("unknownIdLimits totalPerMinute must be 1 to 100000000, was "
                    + totalPerMinute);
        }
        this.unknownIdsPerSource = perSourcePerMinute;
        this.unknownIdsTotal = totalPerMinute;
        return this;
    }

    /**
     * How long a throttle of {@link #failedAttemptLimit} lasts; default 1 minute.
     *
     * @param cooldown the throttle time
     * @return this builder
     * @throws IllegalArgumentException unless 1 s to 1 day
     */
    public ApiKeysBuilder failedAttemptCooldown(Duration cooldown) {
        requireBetween("failedAttemptCooldown", cooldown, Duration.ofSeconds(1), Duration.ofDays(1));
        this.failedAttemptCooldown = cooldown;
        return this;
    }

    /**
     * How often last-use times are written to the store, in one batch; default 30 s.
     *
     * @param interval the time between writes
     * @return this builder
     * @throws IllegalArgumentException unless 100 ms to 1 h
     */
    public ApiKeysBuilder lastUsedFlushInterval(Duration interval) {
        requireBetween("lastUsedFlushInterval", interval, Duration.ofMillis(100), Duration.ofHours(1));
        this.lastUsedFlushInterval = interval;
        return this;
    }

    /**
     * How often the store's change feed is read, if it has one, so that another instance's create, revoke
     * or rotate drops this instance's cached copy; default 1 s.
     *
     * @param interval the time between polls
     * @return this builder
     * @throws IllegalArgumentException unless 10 ms to 1 min
     */
    public ApiKeysBuilder changeFeedPollInterval(Duration interval) {
        requireBetween("changeFeedPollInterval", interval, Duration.ofMillis(10), Duration.ofMinutes(1));
        this.changeFeedPollInterval = interval;
        return this;
    }

    /**
     * When to warn before a key's expiry or rotate-by date ({@link KeyEventListener#warned}); default 7 days
     * and 1 day. Each horizon is sent once per key and date across every instance sharing the store; a key
     * that passes several horizons between two checks gets the nearest one only. No argument: no warnings.
     *
     * @param horizons up to 10, each 1 minute to 365 days
     * @return this builder
     * @throws IllegalArgumentException if there are more than 10 or one is out of range
     */
    public ApiKeysBuilder expiryWarnings(Duration... horizons) {
        Objects.requireNonNull(horizons, "expiryWarnings");
        if (horizons.length > 10) {
            throw new IllegalArgumentException("expiryWarnings takes at most 10 horizons, was " + horizons.length);
        }
        for (Duration h : horizons) {
            requireBetween("expiryWarnings", h, Duration.ofMinutes(1), Duration.ofDays(365));
        }
        this.expiryWarnings = List.of(horizons);
        return this;
    }

    /**
     * How often the hygiene check (expiry warnings, the unused-key policy) runs, off the request path;
     * default 1 hour. The first run is one minute after build, or sooner if the interval is shorter.
     *
     * @param interval the time between checks
     * @return this builder
     * @throws IllegalArgumentException unless 1 s to 1 day
     */
    public ApiKeysBuilder hygieneInterval(Duration interval) {
        requireBetween("hygieneInterval", interval, Duration.ofSeconds(1), Duration.ofDays(1));
        this.hygieneInterval = interval;
        return this;
    }

    /**
     * Hears each verify's duration and whether the key came from the cache, for latency metrics; default none
     * (then a verify reads no clock for it).
     *
     * @param observer the observer
     * @return this builder
     */
    public ApiKeysBuilder verifyObserver(VerifyObserver observer) {
        this.verifyObserver = Objects.requireNonNull(observer, "verifyObserver");
        return this;
    }

    /**
     * Disables keys nobody uses, after a warning; default none.
     *
     * @param policy the policy
     * @return this builder
     */
    public ApiKeysBuilder unusedKeyPolicy(UnusedKeyPolicy policy) {
        this.unusedKeyPolicy = Objects.requireNonNull(policy, "unusedKeyPolicy");
        return this;
    }

    /**
     * The most live keys (active or disabled: not revoked, expired, or replaced in a rotation's overlap) one tenant may
     * hold when keys are created through {@link ApiKeys#manage} (the admin API, the console, the CLI; the host's own
     * {@link ApiKeys#create}, for imports and migrations, is not capped); a create past it is refused with {@link dev.apikey.model.KeyLimitReachedException}, also when instances
     * race for the last place (each counts after its write and takes its key back if it went over). Default 1,000:
     * far above what a customer's integrations need, low enough that a runaway script stops before it fills the store,
     * and each managed create reads at most that many keys more to count them. Keys without a tenant are not capped.
     *
     * @param keys 1 to 1,000,000
     * @return this builder
     * @throws IllegalArgumentException if keys is out of range
     */
    public ApiKeysBuilder maxLiveKeysPerTenant(int keys) {
        if (keys < 1 || keys > 1_000_000) {
            throw new IllegalArgumentException("maxLiveKeysPerTenant must be 1 to 1000000, was " + keys);
        }
        this.maxLiveKeysPerTenant = keys;
        return this;
    }

    /**
     * How many keys one manager (an {@link dev.apikey.model.Actor}, by name) may create a minute through
     * {@link ApiKeys#manage}, counted by the {@linkplain #meter meter} under a subject of its own
     * ({@code creates:<hash of the actor>}), so shared by every instance that shares the meter; past it a create is
     * refused with {@link dev.apikey.model.TooManyCreatesException}. Default 30: a person or a rotation job creates a
     * few; a loop gone wrong is stopped within a minute. The host's own {@link ApiKeys#create} is not counted.
     *
     * @param creates 1 to 100,000
     * @return this builder
     * @throws IllegalArgumentException if creates is out of range
     */
    public ApiKeysBuilder createsPerMinute(int creates) {
        if (creates < 1 || creates > 100_000) {
            throw new IllegalArgumentException("createsPerMinute must be 1 to 100000, was " + creates);
        }
        this.createsPerMinute = creates;
        return this;
    }

    /**
     * How long a key's history is kept (where the store keeps one, {@link dev.apikey.spi.KeyHistory}): once a day the
     * instance's scheduler deletes older events, in bounded batches. Default 400 days: a year's audit, and some.
     *
     * @param retention 1 day to 3,650 days
     * @return this builder
     * @throws IllegalArgumentException if retention is out of that range
     */
    public ApiKeysBuilder historyRetention(Duration retention) {
        requireBetween("historyRetention", retention, Duration.ofDays(1), Duration.ofDays(3650));
        this.historyRetention = retention;
        return this;
    }

    /**
     * Where verify counts per key and outcome are kept ({@link ApiKeys#usage()}); default the key store itself if it
     * keeps them (the in-memory and JDBC stores do), else nothing is counted.
     *
     * @param store the usage store
     * @return this builder
     */
    public ApiKeysBuilder usageStore(UsageStore store) {
        this.usageStore = Objects.requireNonNull(store, "usageStore");
        return this;
    }

    /**
     * Whether verifies are counted per key and outcome at all; default on (when there is a usage store). Off, a
     * verify does no counting and {@link ApiKeys#usage()} is unsupported.
     *
     * @param on whether to count
     * @return this builder
     */
    public ApiKeysBuilder usageCounting(boolean on) {
        this.usageCounting = on;
        return this;
    }

    /**
     * How often each instance writes its verify counts to the usage store, in one batch; default 10 s. It is also
     * what an instance that dies loses at most, and how late a count may land in its minute.
     *
     * @param interval the time between writes
     * @return this builder
     * @throws IllegalArgumentException unless 1 s to 1 min
     */
    public ApiKeysBuilder usageFlushInterval(Duration interval) {
        requireBetween("usageFlushInterval", interval, Duration.ofSeconds(1), Duration.ofMinutes(1));
        this.usageFlushInterval = interval;
        return this;
    }

    /**
     * How long verify counts are kept, per bucket size; default 48 hours of minutes, 90 days of hours, 2 years
     * (730 days) of days. Older buckets are deleted about once an hour.
     *
     * @param minutes how long minute buckets are kept: 1 hour to 30 days
     * @param hours   how long hour buckets are kept: 1 day to 2 years, at least {@code minutes}
     * @param days    how long day buckets are kept: 1 day to 10 years, at least {@code hours}
     * @return this builder
     * @throws IllegalArgumentException if one is out of range or shorter than a finer one
     */
    public ApiKeysBuilder usageRetention(Duration minutes, Duration hours, Duration days) {
        requireBetween("usageRetention minutes", minutes, Duration.ofHours(1), Duration.ofDays(30));
        requireBetween("usageRetention hours", hours, Duration.ofDays(1), Duration.ofDays(731));
        requireBetween("usageRetention days", days, Duration.ofDays(1), Duration.ofDays(3653));
        if (hours.compareTo(minutes) < 0 || days.compareTo(hours) < 0) {
            throw new IllegalArgumentException("usageRetention must keep hours at least as long as minutes, and days "
                    + "at least as long as hours");
        }
        this.usageRetention = new Duration[] {minutes, hours, days};
        return this;
    }

    /**
     * Runs the anomaly detection ({@link ApiKeys#anomalies()}) on this instance's scheduler every
     * {@link AnomalyPolicy#interval()}, once across the instances sharing the store (a lease in it); default off. It
     * needs the usage counts and a store that keeps anomalies ({@link dev.apikey.spi.AnomalyLog}: the in-memory and
     * JDBC stores do).
     *
     * @param policy the window, baseline and thresholds, e.g. {@code AnomalyPolicy.defaults()}
     * @return this builder
     */
    public ApiKeysBuilder anomalyDetection(AnomalyPolicy policy) {
        this.anomalyPolicy = Objects.requireNonNull(policy, "anomalyDetection");
        return this;
    }

    /**
     * @return a new, independent instance
     * @throws IllegalStateException if prefix, store or scopes is missing, or settings contradict each other (the
     *                               anomaly detection's window or baseline longer than the usage counts it reads are
     *                               kept, say), naming them
     */
    public ApiKeys build() {
        List<String> missing = new ArrayList<>();
        if (prefix == null) {
            missing.add("prefix");
        }
        if (store == null) {
            missing.add("store");
        }
        if (catalog == null) {
            missing.add("scopes");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("ApiKeys needs " + String.join(", ", missing));
        }
        ApiKeysConfig config = new ApiKeysConfig(prefix, store, catalog, hashPolicy(), clock,
                random != null ? random : new SecureRandom(), cacheMaximumSize, cacheMaxStaleness,
                negativeCacheTtl, hashConcurrency, hashQueueTimeout,
                meter != null ? meter : new LocalMeter(), defaultRateLimit,
                tenantRateLimits, listener != null ? listener : new Slf4jAuditListener(), accessPolicy,
                failedAttemptLimit, failedAttemptCooldown, lastUsedFlushInterval, changeFeedPollInterval,
                expiryWarnings, hygieneInterval, unusedKeyPolicy, verifyObserver, meterFailClosed,
                unknownIdsPerSource, unknownIdsTotal, allowUnknownCountry, maxLiveKeysPerTenant, createsPerMinute,
                historyRetention, usageSettings(), legacySettings());
        return new ApiKeys(config, scheduler);
    }

    /**
     * Declares a key format the host handed out before it used this library, so that such keys keep working: tried,
     * in the order declared, only on a key our own parser refuses as malformed. Needs a store that implements
     * {@link dev.apikey.spi.KeyDigestLookup} (the built-in ones do).
     *
     * @param format the format
     * @return this builder
     */
    public ApiKeysBuilder legacyFormat(dev.apikey.model.LegacyFormat format) {
        legacyFormats.add(Objects.requireNonNull(format, "format"));
        return this;
    }

    /**
     * Adds a hasher for legacy keys' salted hashes, e.g. {@code BcryptHasher} of the {@code api-key-bcrypt} module.
     * PBKDF2 ({@link dev.apikey.hash.Pbkdf2Hasher}) and Argon2id are read without one.
     *
     * @param hasher a hasher whose {@link SecretHasher#isWellFormed} recognises its hashes
     * @return this builder
     */
    public ApiKeysBuilder legacyHasher(SecretHasher hasher) {
        legacyHashers.add(Objects.requireNonNull(hasher, "hasher"));
        return this;
    }

    /** The legacy formats and hashers; PBKDF2 and (loaded when first needed) Argon2id always read. */
    private LegacySettings legacySettings() {
        if (!legacyFormats.isEmpty() && !(store instanceof dev.apikey.spi.KeyDigestLookup)) {
            throw new IllegalStateException("legacyFormat needs a store that implements KeyDigestLookup; "
                    + store.getClass().getName() + " does not");
        }
        List<SecretHasher> hashers = new ArrayList<>(legacyHashers);
        hashers.add(dev.apikey.hash.Pbkdf2Hasher.create());
        hashers.add(new LazyHasher(Argon2idHasher.ALGORITHM, Argon2idHasher::owaspMinimum));
        return new LegacySettings(legacyFormats, hashers);
    }

    /** The usage store: the one set, else the key store if it keeps counts; none when counting is off. */
    private UsageSettings usageSettings() {
        UsageStore usage = !usageCounting ? null
                : usageStore != null ? usageStore : store instanceof UsageStore s ? s : null;
        if (anomalyPolicy != null && (usage == null || !(usage instanceof dev.apikey.spi.AnomalyLog
                || store instanceof dev.apikey.spi.AnomalyLog))) {
            throw new IllegalStateException("anomalyDetection needs usage counting and a store that keeps anomalies "
                    + "(an AnomalyLog, as the in-memory and JDBC stores are)");
        }
        if (anomalyPolicy != null && anomalyPolicy.window().compareTo(usageRetention[0]) > 0) {
            throw new IllegalStateException("anomalyDetection's window (" + anomalyPolicy.window() + ") must not be "
                    + "longer than usageRetention's minutes (" + usageRetention[0] + "): the window is read from "
                    + "minute counts");
        }
        if (anomalyPolicy != null
                && anomalyPolicy.baseline().plus(anomalyPolicy.window()).compareTo(usageRetention[1]) > 0) {
            // Else the usual would be averaged over hours already deleted: too low, and every window a spike.
            throw new IllegalStateException("anomalyDetection's baseline and window (" + anomalyPolicy.baseline()
                    + " and " + anomalyPolicy.window() + ") must not be longer than usageRetention's hours ("
                    + usageRetention[1] + "): the usual is read from hour counts");
        }
        return new UsageSettings(usage, usageFlushInterval, usageRetention[0], usageRetention[1], usageRetention[2],
                anomalyPolicy);
    }

    /** The current hasher and every reader: SHA-256 and Argon2id hashes always verify. */
    private HashPolicy hashPolicy() {
        List<SecretHasher> readers = new ArrayList<>(alsoVerify);
        readers.add(0, Sha256Hasher.create());
        SecretHasher current = hasher != null ? hasher : Sha256Hasher.create();
        if (!(current instanceof Argon2idHasher)) {
            // Loaded when a stored Argon2id hash first turns up, not before.
            readers.add(0, new LazyHasher(Argon2idHasher.ALGORITHM, Argon2idHasher::owaspMinimum));
        }
        return new HashPolicy(current, readers);
    }

    private static void requireBetween(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    @Override
    public String toString() {
        return "ApiKeysBuilder[prefix=" + prefix + ", hashers=" + hasher + Arrays.toString(alsoVerify.toArray())
                + "]";
    }
}
