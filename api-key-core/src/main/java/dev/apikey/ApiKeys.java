package dev.apikey;

import dev.apikey.hash.Argon2idHasher;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.internal.HashPolicy;
import dev.apikey.internal.KeyLayout;
import dev.apikey.internal.LazyHasher;
import dev.apikey.spi.AccessPolicy;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.Meter;
import dev.apikey.spi.SecretHasher;
import dev.apikey.spi.VerifyObserver;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * API-key authentication for one environment (one key prefix): verify keys, and create, list, revoke and
 * rotate them. Build one at start-up and share it.
 *
 * <pre>{@code
 * ApiKeys apiKeys = ApiKeys.builder()
 *         .prefix("wlcro")
 *         .store(new InMemoryKeyStore())
 *         .scopes(ScopeCatalog.builder().scope("events:read", "Read events").build())
 *         .build();
 *
 * IssuedKey issued = apiKeys.create(KeySpec.builder("crm-sync-prod").tenantId("92").scopes("events:read").build());
 * Verification v = apiKeys.verify(request.getHeader("X-Api-Key"), "events:read");
 * }</pre>
 *
 * <p>This class is thread-safe. {@code verify} never throws for anything a client sent; it returns a
 * {@link Verification}. Keys are checked against a cache first, so a hit costs about one SHA-256; a revoke
 * through this instance takes effect at once, one through another instance within the
 * {@linkplain Builder#cacheMaxStaleness cache staleness}.
 *
 * <p>Each instance runs its background work (last-use writes, change-feed polls, hash upgrades) on a scheduler it
 * owns, one daemon thread named {@code apikey-maintenance-<prefix>}, unless the host passes its own
 * ({@link Builder#scheduler}). {@link #close()} stops what it owns and writes the last-use times it holds:
 * close every instance you build (in a servlet container, when the web application stops).
 */
public final class ApiKeys implements AutoCloseable {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("dev.apikey.lifecycle");

    private final ApiKeysConfig config;
    private final KeyCache cache;
    private final VerifyEngine engine;
    private final KeyLifecycle lifecycle;
    private final KeyQueries queries;
    private final TenantChanges tenants;
    private final KeyHygiene hygiene;
    private final Background background;
    private final KeyFormat format;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ApiKeys(ApiKeysConfig config, ScheduledExecutorService hostScheduler) {
        this.config = config;
        this.format = KeyFormat.of(config.prefix());
        this.cache = new KeyCache(config);
        this.background = new Background(config, hostScheduler, cache);
        this.engine = new VerifyEngine(config, cache, background.rehasher());
        KeyViews views = new KeyViews(config, cache);
        this.lifecycle = new KeyLifecycle(config, cache, views);
        this.queries = new KeyQueries(config, views);
        this.tenants = new TenantChanges(config, cache);
        this.hygiene = new KeyHygiene(config, lifecycle, views);
        background.start(config, hygiene);
    }

    /**
     * Starts configuring; {@code prefix}, {@code store} and {@code scopes} are required.
     *
     * @return a builder with nothing set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a key and checks that it holds a scope. Allocates nothing when the key is granted from the cache.
     *
     * @param header        the raw value of {@code X-Api-Key} or {@code Authorization} ({@code Bearer <key>}); may
     *                      be {@code null} (then {@code missing_api_key})
     * @param requiredScope a scope of the catalog the key must hold, or {@code null} to require none
     * @return the outcome; never {@code null}
     * @throws IllegalArgumentException if {@code requiredScope} is not declared in the catalog (a host bug)
     */
    public Verification verify(String header, String requiredScope) {
        return engine.verify(header, requiredScope, null, null, null, false);
    }

    /**
     * Verifies a key for a request: its scope, the tenant that owns the resource ({@code tenant_mismatch}
     * otherwise) and the caller's address (checked against the key's allowed addresses, and given to audit
     * events), whichever the request names.
     *
     * @param request the key header and what the request asks for
     * @return the outcome; never {@code null}
     * @throws NullPointerException     if request is null
     * @throws IllegalArgumentException if the request's scope is not declared in the catalog (a host bug)
     */
    public Verification verify(VerifyRequest request) {
        Objects.requireNonNull(request, "request");
        return engine.verify(request.headerValue(), request.scopeOrNull(), request.tenantIdOrNull(),
                request.remoteAddressOrNull(), request, false);
    }

    /**
     * Verifies a key only if that can be done without blocking the calling thread, for callers on an event loop (a
     * reactive adapter): the answer comes from this instance's cache and in-process work alone. It is empty, with
     * nothing counted or spent (no rate-limit token, no quota call, no failed attempt), when the verify needs a
     * check that {@linkplain Check#mayBlock() may block}:
     * <ul>
     *   <li>the key id is not cached, or its entry is stale (a store load);</li>
     *   <li>no secret of the key matched its stored hash on this instance yet (a stored-hash check: Argon2 is
     *       CPU-heavy);</li>
     *   <li>an {@link dev.apikey.spi.AccessPolicy} is configured (host code, which may block);</li>
     *   <li>the key or its tenant has an allowance and the meter is not the in-process default
     *       ({@link LocalMeter}).</li>
     * </ul>
     * When it is empty, run {@link #verify(VerifyRequest)} where blocking is allowed (a worker pool); it answers
     * as if this call had not happened. A present answer is exactly what {@code verify} would have returned, and is
     * counted, observed and sent to the listener as one (keep the {@link KeyEventListener} quick: it is called
     * here too). A refusal that needs no I/O, such as a malformed key, an unknown id remembered by the cache or a
     * wrong secret for a cached key, is answered here.
     *
     * <pre>{@code
     * Mono<Verification> v = apiKeys.verifyNow(request).map(Mono::just)
     *         .orElseGet(() -> Mono.fromCallable(() -> apiKeys.verify(request)).subscribeOn(Schedulers.boundedElastic()));
     * }</pre>
     *
     * @param request the key header and what the request asks for
     * @return the outcome, or empty if it needs a check that may block
     * @throws NullPointerException     if request is null
     * @throws IllegalArgumentException if the request's scope is not declared in the catalog (a host bug)
     */
    public Optional<Verification> verifyNow(VerifyRequest request) {
        Objects.requireNonNull(request, "request");
        return Optional.ofNullable(engine.verify(request.headerValue(), request.scopeOrNull(),
                request.tenantIdOrNull(), request.remoteAddressOrNull(), request, true));
    }

    /**
     * Like {@link #verifyNow(VerifyRequest)} for a header and a scope: the outcome if it needs no check that may
     * block, else empty (then call {@link #verify(String, String)} where blocking is allowed).
     *
     * @param header        the raw key header, or {@code null}
     * @param requiredScope a scope of the catalog the key must hold, or {@code null} to require none
     * @return the outcome, or empty if it needs a check that may block
     * @throws IllegalArgumentException if {@code requiredScope} is not declared in the catalog (a host bug)
     */
    public Optional<Verification> verifyNow(String header, String requiredScope) {
        return Optional.ofNullable(engine.verify(header, requiredScope, null, null, null, true));
    }

    /**
     * Like {@link #verify(String, String)}, for code that prefers exceptions.
     *
     * @param header the key header as sent
     * @param requiredScope the scope the operation needs
     * @return the principal of the granted key
     * @throws ApiKeyVerificationException if the key is refused, carrying the {@link Verification}
     * @throws IllegalArgumentException    if {@code requiredScope} is not declared in the catalog
     */
    public ApiKeyPrincipal verifyOrThrow(String header, String requiredScope) {
        return orThrow(verify(header, requiredScope));
    }

    /**
     * Like {@link #verify(VerifyRequest)}, for code that prefers exceptions.
     *
     * @param request the key header and what the request asks for
     * @return the principal of the granted key
     * @throws ApiKeyVerificationException if the key is refused, carrying the {@link Verification}
     * @throws NullPointerException        if request is null
     * @throws IllegalArgumentException    if the request's scope is not declared in the catalog
     */
    public ApiKeyPrincipal verifyOrThrow(VerifyRequest request) {
        return orThrow(verify(request));
    }

    private static ApiKeyPrincipal orThrow(Verification v) {
        ApiKeyPrincipal principal = v.principalOrNull();
        if (principal == null) {
            throw new ApiKeyVerificationException(v);
        }
        return principal;
    }

    /**
     * Creates a key. The plaintext in the result is the only copy there will ever be.
     *
     * @param spec what the key is: name, scopes, tenant, expiry and the rest
     * @return the key, its plaintext shown this once
     * @throws NullPointerException      if spec is null
     * @throws UnknownScopeException     if a scope is not in the catalog
     * @throws IllegalArgumentException  if the expiry is not in the future
     * @throws dev.apikey.spi.KeyStoreException if the store fails; nothing is written then
     */
    public IssuedKey create(KeySpec spec) {
        return lifecycle.create(spec);
    }

    /**
     * {@return the key with this id, if any}
     *
     * @param keyId the key id
     * @throws IllegalArgumentException if keyId is not 8 base62 characters
     */
    public Optional<ApiKeyInfo> get(String keyId) {
        return queries.get(keyId);
    }

    /**
     * {@return whether the key exists and is neither revoked nor expired now}
     *
     * @param keyId the key id
     * @throws IllegalArgumentException if keyId is not 8 base62 characters
     */
    public boolean isActive(String keyId) {
        return queries.get(keyId).map(ApiKeyInfo::isActive).orElse(false);
    }

    /**
     * {@return the keys of one tenant, revoked and expired ones included}
     *
     * @param tenantId the tenant
     * @throws IllegalArgumentException if tenantId breaks the tenant id rule
     */
    public List<ApiKeyInfo> list(String tenantId) {
        return queries.list(KeyQuery.tenant(tenantId));
    }

    /** {@return every key of the store} */
    public List<ApiKeyInfo> listAll() {
        return queries.list(KeyQuery.all());
    }

    /**
     * {@return the keys a query selects, e.g. those unused for 90 days or past their rotate-by date}
     *
     * @param query the selection
     * @throws NullPointerException if query is null
     */
    public List<ApiKeyInfo> list(KeyQuery query) {
        return queries.list(query);
    }

    /** Most keys in one page of {@link #listPage}. */
    public static final int MAX_PAGE = 1000;

    /**
     * One page of the keys a query selects, in key id order, filtered, sorted and cut by the store (in SQL for
     * {@code JdbcKeyStore}): a page reads {@code limit + 1} keys, however many the tenant has.
     *
     * <pre>{@code
     * KeyPage page = apiKeys.listPage(KeyQuery.tenant("92").status(ApiKeyInfo.Status.ACTIVE), null, 50);
     * KeyPage next = apiKeys.listPage(KeyQuery.tenant("92").status(ApiKeyInfo.Status.ACTIVE),
     *         page.nextCursor().orElseThrow(), 50);
     * }</pre>
     *
     * @param query      the selection
     * @param afterKeyId the previous page's {@link KeyPage#nextCursor()}, or {@code null} for the first page
     * @param limit      the most keys in the page, 1 to {@value #MAX_PAGE}
     * @return the page
     * @throws IllegalArgumentException if afterKeyId is not a key id or limit is out of range
     * @throws NullPointerException if query is null
     */
    public KeyPage listPage(KeyQuery query, String afterKeyId, int limit) {
        return queries.listPage(query, afterKeyId, limit);
    }

    /** {@return this instance's counters since it was built, for metrics: one consistent-enough snapshot} */
    public ApiKeyStats stats() {
        VerifyStats counters = engine.stats();
        Map<String, Long> verifies = counters.outcomes();
        long wellFormed = 0;
        for (Map.Entry<String, Long> e : verifies.entrySet()) {
            wellFormed += e.getValue();
        }
        wellFormed -= verifies.get(Failure.MISSING_API_KEY.code()) + verifies.get(Failure.MALFORMED_REQUEST.code())
                + verifies.get(Failure.MALFORMED_API_KEY.code()) + verifies.get(Failure.WRONG_ENVIRONMENT.code());
        long misses = cache.misses();
        return new ApiKeyStats(verifies, cache.size(), Math.max(0, wellFormed - misses), misses, cache.loads(),
                cache.loadFailures(), counters.hashChecks(), engine.bulkhead().waits(), engine.bulkhead().refusals(),
                verifies.get(Failure.RATE_LIMITED.code()), counters.limiterFailures(), background.changeFeedLagMillis());
    }

    /**
     * Writes the last-use times held in memory to the store now, instead of at the next scheduled flush.
     * Never throws: a failed write is logged and retried at the next flush.
     */
    public void flushLastUsed() {
        cache.flushLastUse();
    }

    /**
     * Stops this instance's background work, writes the last-use times still in memory, and stops the scheduler
     * if this instance created it. Verifies keep working after close (without last-use writes or change-feed
     * polls). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        background.close(this);
    }

    /**
     * Edits a key's attributes: a patch ({@link KeyUpdate}) of any of them but the tenant. This instance applies the
     * edit at once; other instances sharing the store drop the key from their caches through the change feed, as for
     * a revoke. Its secret, tenant and id stay: replacing those is a {@link #rotate rotation}. An edit that changes
     * nothing writes nothing.
     *
     * @param keyId  the key id
     * @param update what changes
     * @return the key after the edit
     * @throws KeyNotFoundException          if no key has this id
     * @throws KeyNotActiveException         if the key is revoked or expired
     * @throws UnknownScopeException         if a scope is not in the catalog
     * @throws IllegalArgumentException      if keyId is not 8 base62 characters, the new expiry is not in the
     *                                       future, or the key was replaced by a rotation and the edit changes
     *                                       its expiry (the end of the overlap)
     * @throws KeyChangedException           if the key kept changing meanwhile (nothing is written)
     */
    public ApiKeyInfo update(String keyId, KeyUpdate update) {
        return lifecycle.update(keyId, update);
    }

    /**
     * Disables a key: refused with {@code disabled_api_key} (after its secret matched) until
     * {@link #enable enabled} again, at once on this instance and through the change feed on others, as for a
     * revoke. Disabling a disabled key changes nothing and sends no second {@code disabled} event. A disabled
     * key can be edited and revoked, not rotated.
     *
     * @param keyId the key id
     * @return the key after the call
     * @throws KeyNotFoundException          if no key has this id
     * @throws KeyNotActiveException         if the key is revoked or expired
     * @throws IllegalArgumentException      if keyId is not 8 base62 characters
     * @throws KeyChangedException           if the key kept changing meanwhile (nothing is written)
     */
    public ApiKeyInfo disable(String keyId) {
        return lifecycle.disable(keyId, "manual");
    }

    /**
     * Enables a disabled key again: it verifies at once on this instance and through the change feed on others.
     * Enabling an enabled key changes nothing.
     *
     * @param keyId the key id
     * @return the key after the call
     * @throws KeyNotFoundException          if no key has this id
     * @throws KeyNotActiveException         if the key is revoked or expired
     * @throws IllegalArgumentException      if keyId is not 8 base62 characters
     * @throws KeyChangedException           if the key kept changing meanwhile (nothing is written)
     */
    public ApiKeyInfo enable(String keyId) {
        return lifecycle.enable(keyId);
    }

    /**
     * Answers a leak report (e.g. a GitHub secret-scanning alert): if the token is one of this environment's keys
     * (well-formed, its key id known, its secret matching the stored hash, checked like a verify but never
     * logged), the key is revoked or only flagged, and a {@link KeyEventListener#leaked leaked} event names
     * where it leaked. A revoked key reported again is still ours: it is answered, not revoked twice.
     *
     * @param token  the reported key, as found
     * @param source where it was found (a URL), 1 to 2,000 printable characters, or {@code null}
     * @param revoke whether to revoke the key ({@code false}: only the event flags it)
     * @return the key after the response, or empty if the token is not one of ours (a false positive)
     * @throws IllegalArgumentException if source breaks its rule
     * @throws NullPointerException     if token is null
     * @throws dev.apikey.spi.KeyStoreException if the store fails; nothing is changed then
     */
    public Optional<ApiKeyInfo> reportLeak(String token, String source, boolean revoke) {
        return lifecycle.reportLeak(token, source, revoke);
    }

    /**
     * {@return a tenant's record: the allowances its keys share; empty if it has none, or the store keeps none}
     *
     * @param tenantId the tenant
     * @throws IllegalArgumentException if tenantId breaks the tenant id rule
     */
    public Optional<Tenant> tenant(String tenantId) {
        return tenants.get(tenantId);
    }

    /**
     * Sets the allowances every key of a tenant shares (a plan: {@code Quota.perMonth(10_000)} for all its keys
     * together), replacing the tenant's list; an empty list removes them. A call is counted against its key's own
     * allowances and its tenant's, all or none, and refused by the most constrained. This instance uses the new
     * allowances from the next verify of each key; other instances within {@code cacheMaxStaleness}.
     *
     * @param tenantId   the tenant
     * @param allowances the shared allowances, names unique, at most {@value KeySpec#MAX_ALLOWANCES}
     * @return the tenant's record after the change
     * @throws IllegalArgumentException      if an argument breaks its rule (nothing is written)
     * @throws UnsupportedOperationException if the store keeps no tenant records ({@link dev.apikey.spi.TenantStore})
     * @throws KeyChangedException           if the record kept changing meanwhile (nothing is written)
     */
    public Tenant setTenantAllowances(String tenantId, List<? extends Allowance> allowances) {
        return tenants.setAllowances(tenantId, allowances);
    }

    /**
     * Runs the hygiene check now, as the scheduler does every {@link Builder#hygieneInterval}: sends the expiry
     * and rotate-by warnings that are due and applies the unused-key policy.
     *
     * @return what it sent and disabled (in a dry run, would have)
     * @throws UnsupportedOperationException if the store keeps no {@link dev.apikey.spi.NoticeLog}
     * @throws dev.apikey.spi.KeyStoreException if the store fails; warnings sent before the failure stay sent
     */
    public HygieneReport checkHygiene() {
        return hygiene.run();
    }

    /**
     * Revokes a key: this instance refuses it from now on ({@code revoked_api_key}). Revoking a revoked key
     * changes nothing, keeps its first revocation time and sends no second {@code revoked} event.
     *
     * @param keyId the key id
     * @return the key after revocation
     * @throws KeyNotFoundException     if no key has this id
     * @throws IllegalArgumentException if keyId is not 8 base62 characters
     */
    public ApiKeyInfo revoke(String keyId) {
        return lifecycle.revoke(keyId);
    }

    /**
     * Replaces an active key with a new one of the same tenant, name, scopes, metadata and expiry date. The old
     * key keeps working for {@code overlap} (never past its own expiry), so holders can switch without
     * downtime. The old key's status is then {@code EXPIRING} and it is not rotated again: a chain of rotations
     * always has one newest key, the one to rotate next.
     *
     * @param keyId the key id
     * @param overlap how long the old key stays valid, 0 to 365 days
     * @return the new key, its plaintext shown this once
     * @throws KeyNotFoundException        if no key has this id
     * @throws KeyNotActiveException       if the key is revoked or expired
     * @throws KeyAlreadyRotatedException  if a rotation replaced this key already (it names the replacement)
     * @throws IllegalArgumentException if keyId or overlap breaks its rule
     */
    public IssuedKey rotate(String keyId, Duration overlap) {
        return lifecycle.rotate(keyId, overlap);
    }

    /** {@return the key prefix of this environment} */
    public String prefix() {
        return config.prefix();
    }

    /** {@return the format of this environment's keys: parse hints, scanner rules} */
    public KeyFormat keyFormat() {
        return format;
    }

    /** {@return the scope catalog} */
    public ScopeCatalog scopes() {
        return config.catalog();
    }

    @Override
    public String toString() {
        return "ApiKeys[prefix=" + config.prefix() + "]";
    }

    /**
     * Configures {@link ApiKeys}. Not thread-safe; every setter checks its argument at once, and
     * {@link #build()} checks that the required ones were given.
     */
    public static final class Builder {
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

        private Builder() {
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
        public Builder prefix(String prefix) {
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
        public Builder store(KeyStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The scopes keys may hold and operations may require. Required.
         *
         * @param catalog the catalog
         * @return this builder
         */
        public Builder scopes(ScopeCatalog catalog) {
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
        public Builder hasher(SecretHasher hasher) {
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
        public Builder alsoVerify(SecretHasher... hashers) {
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
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The source of key ids and secrets; default a new {@link SecureRandom}.
         *
         * @param random the random source
         * @return this builder
         */
        public Builder secureRandom(SecureRandom random) {
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
        public Builder cacheMaximumSize(long size) {
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
        public Builder cacheMaxStaleness(Duration staleness) {
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
        public Builder negativeCacheTtl(Duration ttl) {
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
        public Builder hashConcurrency(int permits) {
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
        public Builder hashQueueTimeout(Duration wait) {
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
        public Builder defaultRateLimit(RateLimit limit) {
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
        public Builder defaultRateLimit(String tenantId, RateLimit limit) {
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
        public Builder meter(Meter meter) {
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
        public Builder meterFailClosed(boolean failClosed) {
            this.meterFailClosed = failClosed;
            return this;
        }

        /**
         * A check of the host's own, run after the scope check on every verify, e.g. whether the tenant's plan
         * includes API access; default none.
         *
         * @param policy the host's check
         * @return this builder
         */
        public Builder accessPolicy(AccessPolicy policy) {
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
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Who hears about key events; default {@link Slf4jAuditListener}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(KeyEventListener listener) {
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
        public Builder failedAttemptLimit(int attempts) {
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
        public Builder unknownIdLimits(int perSourcePerMinute, int totalPerMinute) {
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
        public Builder failedAttemptCooldown(Duration cooldown) {
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
        public Builder lastUsedFlushInterval(Duration interval) {
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
        public Builder changeFeedPollInterval(Duration interval) {
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
        public Builder expiryWarnings(Duration... horizons) {
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
        public Builder hygieneInterval(Duration interval) {
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
        public Builder verifyObserver(VerifyObserver observer) {
            this.verifyObserver = Objects.requireNonNull(observer, "verifyObserver");
            return this;
        }

        /**
         * Disables keys nobody uses, after a warning; default none.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder unusedKeyPolicy(UnusedKeyPolicy policy) {
            this.unusedKeyPolicy = Objects.requireNonNull(policy, "unusedKeyPolicy");
            return this;
        }

        /**
         * @return a new, independent instance
         * @throws IllegalStateException if prefix, store or scopes is missing
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
                    unknownIdsPerSource, unknownIdsTotal);
            return new ApiKeys(config, scheduler);
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
            return "ApiKeys.Builder[prefix=" + prefix + ", hashers=" + hasher + Arrays.toString(alsoVerify.toArray())
                    + "]";
        }
    }
}
