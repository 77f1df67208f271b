package dev.apikey;

import dev.apikey.model.Allowance;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.ApiKeyVerificationException;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyAlreadyRotatedException;
import dev.apikey.model.KeyChangedException;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeyNotActiveException;
import dev.apikey.model.KeyNotFoundException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.Quota;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Tenant;
import dev.apikey.model.UnknownScopeException;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.AccessPolicy;
import dev.apikey.spi.KeyEventListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * {@linkplain ApiKeysBuilder#cacheMaxStaleness cache staleness}.
 *
 * <p>Each instance runs its background work (last-use and usage writes, change-feed polls, hash upgrades) on a
 * daemon thread it owns named {@code apikey-maintenance-<prefix>}, and its long runs (anomaly detection, the hygiene
 * check, the history purge), when it has any, on a second one, {@code apikey-long-runs-<prefix>}, unless the host
 * passes its own scheduler ({@link ApiKeysBuilder#scheduler}). {@link #close()} stops what it owns and writes the last-use times it holds:
 * close every instance you build (in a servlet container, when the web application stops).
 */
public final class ApiKeys implements AutoCloseable {

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("dev.apikey.lifecycle");

    private final ApiKeysConfig config;
    private final KeyCache cache;
    private final VerifyEngine engine;
    private final KeyLifecycle lifecycle;
    private final KeyQueries queries;
    private final TenantChanges tenants;
    private final KeyHygiene hygiene;
    private final KeyHistoryReader history;
    private final LegacyKeys legacy;
    private final Background background;
    private final KeyFormat format;
    /** The usage reader, or {@code null} when nothing is counted. */
    private final Usage usage;
    /** The anomaly reader, or {@code null} when nothing is detected. */
    private final Anomalies anomalies;
    private final AtomicBoolean closed = new AtomicBoolean();

    ApiKeys(ApiKeysConfig config, ScheduledExecutorService hostScheduler) {
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
        this.history = new KeyHistoryReader(config);
        this.legacy = new LegacyKeys(lifecycle, config.legacy());
        this.usage = cache.usage() == null ? null : new Usage(cache.usage(), cache, config.clock());
        background.start(config, hygiene, history);
        this.anomalies = background.startAnomalies(config);
    }

    /**
     * The anomalies the scheduled detection opened ({@link ApiKeysBuilder#anomalyDetection}).
     *
     * @return the anomaly reader
     * @throws UnsupportedOperationException if no anomaly detection was configured
     */
    public Anomalies anomalies() {
        if (anomalies == null) {
            throw new UnsupportedOperationException("anomalies are not detected: no anomalyDetection was configured");
        }
        return anomalies;
    }

    /**
     * Verify counts per key, tenant and outcome over time ({@link ApiKeysBuilder#usageStore}).
     *
     * @return the usage reader
     * @throws UnsupportedOperationException if nothing is counted: no usage store, or counting switched off
     */
    public Usage usage() {
        if (usage == null) {
            throw new UnsupportedOperationException("verify counts are not kept: the key store keeps no usage and "
                    + "no usageStore was configured (or usageCounting is off)");
        }
        return usage;
    }

    /**
     * Starts configuring; {@code prefix}, {@code store} and {@code scopes} are required.
     *
     * @return a builder with nothing set
     */
    public static ApiKeysBuilder builder() {
        return new ApiKeysBuilder();
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
        return engine.verify(request.headerValue(), MODEL.scopeOrNull(request), MODEL.tenantIdOrNull(request),
                MODEL.remoteAddressOrNull(request), request, false);
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
        return Optional.ofNullable(engine.verify(request.headerValue(), MODEL.scopeOrNull(request),
                MODEL.tenantIdOrNull(request), MODEL.remoteAddressOrNull(request), request, true));
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
        ApiKeyPrincipal principal = MODEL.principalOrNull(v);
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
        return lifecycle.create(spec, dev.apikey.model.Actor.HOST, false);
    }

    /**
     * {@return the management of keys on behalf of someone else than the host's own code}: a user of a console or an
     * API key of a customer's automation. Every change it makes is checked in the core: no scope beyond the actor's
     * {@link dev.apikey.model.GrantCeiling}, no key holding such a scope edited, rotated or enabled, the actor's own
     * key never edited or enabled by itself, the tenant's cap of live keys ({@link ApiKeysBuilder#maxLiveKeysPerTenant})
     * and the actor's creates per minute ({@link ApiKeysBuilder#createsPerMinute}). The methods of this class that take
     * no actor act as {@link dev.apikey.model.Actor#HOST}: every scope, no cap, no creates counted.
     *
     * @param actor who manages
     * @throws NullPointerException if actor is null
     */
    public KeyManager manage(dev.apikey.model.Actor actor) {
        return new KeyManager(lifecycle, actor, KeyGuardrails.ANY_VERSION);
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
        return lifecycle.disable(keyId, "manual", dev.apikey.model.Actor.HOST);
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
     * {@return tenants' own records, to read and change: suspend and resume a tenant, set its plan's scopes, cap of
     * live keys, countries and shared allowances}
     */
    public Tenants tenants() {
        return new Tenants(tenants, config.maxLiveKeysPerTenant());
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
     * Restricts every key of a tenant to these countries ({@code country_not_allowed} otherwise), on top of a key's
     * own list (a call must come from a country on both); an empty collection removes the tenant's list. Seen as
     * {@link #setTenantAllowances} changes are.
     *
     * @param tenantId  the tenant
     * @param countries ISO 3166-1 alpha-2 codes, in any case
     * @return the tenant's record after the change
     * @throws IllegalArgumentException      if an argument breaks its rule (nothing is written)
     * @throws UnsupportedOperationException if the store keeps no tenant records ({@link dev.apikey.spi.TenantStore})
     * @throws KeyChangedException           if the record kept changing meanwhile (nothing is written)
     */
    public Tenant setTenantCountries(String tenantId, java.util.Collection<String> countries) {
        return tenants.setAllowedCountries(tenantId, countries);
    }

    /**
     * Runs the hygiene check now, as the scheduler does every {@link ApiKeysBuilder#hygieneInterval}: sends the expiry
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

    /**
     * {@return every key's history: who created, edited, rotated, disabled, enabled and revoked it, and when} Where the
     * store keeps one ({@link dev.apikey.spi.KeyHistory}); else its reads throw {@link UnsupportedOperationException}.
     */
    public KeyHistoryReader history() {
        return history;
    }

    /** {@return the keys handed out before this library: declared formats, imports} */
    public LegacyKeys legacy() {
        return legacy;
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
}
