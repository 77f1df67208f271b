package dev.apikey;

import dev.apikey.internal.Base62;
import dev.apikey.internal.CidrSet;
import dev.apikey.internal.IdTable;
import dev.apikey.internal.Instants;
import dev.apikey.internal.Interner;
import dev.apikey.internal.KeyLayout;
import dev.apikey.internal.ScopeBits;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Tenant;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance knows about keys between store reads: compiled entries by key id, ids the store does
 * not know, the digests of secrets that matched, one store load per id at a time, and uses not yet written.
 *
 * <p>Its interface is narrow: {@link #get}, {@link #load}, {@link #invalidate}, {@link #verified} and
 * {@link #used}, plus the last-use flush. Invalidation is epoch-guarded: a load caches its result only if no
 * invalidation happened since it read the store, so a verify that starts after {@link #invalidate} returns
 * never sees what the store held before.
 *
 * <p>Thread-safe. Package-private.
 */
final class KeyCache {

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.verify");
    /** How long a matched secret's digest is reused across reloads of its key. */
    private static final long VERIFIED_RETENTION_MILLIS = 24 * 3600 * 1000L;

    private final ApiKeysConfig config;
    private final KeyStore store;
    private final long stalenessMillis;
    private final long negativeTtlMillis;
    private final IdTable<CachedKey> keys;
    /** Ids the store did not know; {@code null} when the negative cache is off. */
    private final IdTable<CachedKey> unknown;
    private final ConcurrentHashMap<Long, CompletableFuture<CachedKey>> loads = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();
    private final LastUseTracker lastUse;
    /** Verify counts, or {@code null} when there is no usage store. */
    private final UsageCounter usage;
    private final TenantRecords tenantRecords;
    private final Interner<String> tenants = new Interner<>(100_000);
    private final Interner<Set<String>> scopeSets = new Interner<>(10_000);
    private final Interner<ScopeBits> scopeBits = new Interner<>(10_000);
    private final LongAdder misses = new LongAdder();
    private final LongAdder storeLoads = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    /** Ids whose last load threw, until they may be tried again: one store call a second per failing id. */
    private final IdTable<CachedKey> failedLoads = new IdTable<>(10_000, e -> { });
    private static final long FAILED_LOAD_RETRY_MILLIS = 1_000;
    /**
     * How long a verify waits for another caller's store load of the same id: the store's own timeout bounds the
     * load itself (JDBC's query timeout, 2 s by default), this bounds the wait of those who share it, even for a
     * store without one. Past it the verify answers {@code overloaded}.
     */
    static final Duration SHARED_LOAD_WAIT = Duration.ofSeconds(5);

    KeyCache(ApiKeysConfig config) {
        this.config = config;
        this.store = config.store();
        this.stalenessMillis = config.cacheMaxStaleness().toMillis();
        this.tenantRecords = new TenantRecords(config.store(), stalenessMillis);
        this.negativeTtlMillis = config.negativeCacheTtl().toMillis();
        this.lastUse = new LastUseTracker(store);
        this.usage = config.usage().store() == null ? null : new UsageCounter(config.usage(), config.clock());
        this.keys = new IdTable<>(config.cacheMaximumSize(), this::removed);
        this.unknown = negativeTtlMillis == 0 ? null
                : new IdTable<>(Math.min(config.cacheMaximumSize(), 100_000), e -> { });
    }

    /**
     * The entry of a key with this id, fresh or not, or {@code null}: the verify path reads it before the clock
     * and the digest, so that its cache misses overlap that work, and checks it is fresh after. Lock-free,
     * allocation-free.
     */
    CachedKey peek(long id) {
        return keys.get(id);
    }

    /**
     * The fresh entry for this id: a key, or an absent entry if the store did not know the id a moment ago;
     * {@code null} if this instance must ask the store. Lock-free, allocation-free.
     */
    CachedKey get(long id, long nowMillis) {
        CachedKey entry = keys.get(id);
        if (entry != null && !entry.isStale(nowMillis)) {
            return entry;
        }
        if (unknown != null) {
            CachedKey absent = unknown.get(id);
            if (absent != null && !absent.isStale(nowMillis)) {
                return absent;
            }
        }
        return null;
    }

    /**
     * Reads the key from the store, one read per id at a time (concurrent callers share it, waiting at most
     * {@link #SHARED_LOAD_WAIT} for it), and caches the result unless the id was invalidated meanwhile.
     *
     * @return the entry; {@code null} if another caller's load of this id did not end within the wait
     * @throws RuntimeException what the store threw
     */
    CachedKey load(long id, long nowMillis) {
        misses.increment();
        CompletableFuture<CachedKey> mine = new CompletableFuture<>();
        CompletableFuture<CachedKey> running = loads.putIfAbsent(id, mine);
        if (running != null) {
            return awaitShared(running);
        }
        try {
            CachedKey cached = get(id, nowMillis);
            if (cached != null) {
                // A load finished between our miss and our turn: use it.
                mine.complete(cached);
                return cached;
            }
            long epoch = invalidations.get();
            storeLoads.increment();
            if (failedLoads.get(id) != null) {
                failedLoads.remove(id);
            }
            StoredKey record = store.findById(Base62.encode(id, KeyLayout.LOOKUP_ID_LENGTH)).orElse(null);
            CachedKey entry;
            if (record != null) {
                entry = compile(id, record, nowMillis);
                CachedKey previous = keys.get(id);
                if (previous != null) {
                    entry.inheritVerified(previous, nowMillis, VERIFIED_RETENTION_MILLIS);
                }
                // Under the table's lock for this id: an invalidation that started after our read bumped the
                // epoch before taking that lock, so a stale entry is either never put or marked stale after.
                if (!keys.putIf(entry, () -> invalidations.get() == epoch) && usage != null) {
                    // This verify still counts toward the entry it loaded: its counts must reach a flush.
                    usage.retired(entry);
                }
            } else {
                entry = CachedKey.absent(id, nowMillis + negativeTtlMillis);
                if (unknown != null) {
                    unknown.putIf(entry, () -> invalidations.get() == epoch);
                }
            }
            mine.complete(entry);
            return entry;
        } catch (RuntimeException e) {
            loadFailures.increment();
            failedLoads.putIf(CachedKey.absent(id, nowMillis + FAILED_LOAD_RETRY_MILLIS), () -> true);
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loads.remove(id, mine);
        }
    }

    private static CachedKey awaitShared(CompletableFuture<CachedKey> running) {
        try {
            return running.get(SHARED_LOAD_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                    : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Forgets what this instance knows about a key, at once: every verify that starts after this returns reads
     * the store again. The digest of a matched secret survives, to be reused if the stored hash is unchanged.
     */
    void invalidate(String keyId) {
        long id = Base62.decode(keyId, 0, KeyLayout.LOOKUP_ID_LENGTH);
        invalidations.incrementAndGet();
        loads.remove(id);
        keys.update(id, CachedKey::markStale);
        if (unknown != null) {
            unknown.remove(id);
        }
        failedLoads.remove(id);
    }

    /**
     * Forgets what is cached of a tenant: its record, and its keys' entries (marked stale, as by {@link #invalidate}),
     * so that the next verify of each loads it with the tenant's allowances as they are now.
     */
    void invalidateTenant(String tenantId) {
        invalidations.incrementAndGet();
        tenantRecords.forget(tenantId);
        keys.forEach(e -> {
            if (tenantId.equals(e.tenantId)) {
                keys.update(e.id(), CachedKey::markStale);
            }
        });
    }

    /** Whether the last load of this id threw less than a second ago: then it is not tried again yet. */
    boolean loadFailedLately(long id, long nowMillis) {
        CachedKey failed = failedLoads.get(id);
        return failed != null && !failed.isStale(nowMillis);
    }

    /** A secret matched the stored hash of this entry. */
    void verified(CachedKey entry, byte[] digest, long nowMillis) {
        entry.verified(digest, nowMillis);
    }

    /** A grant: noted in the entry, written at the next flush. */
    void used(CachedKey entry, long nowMillis) {
        entry.used(nowMillis);
    }

    /** Writes every unwritten use in one store call. Never throws. */
    void flushLastUse() {
        lastUse.flush(keys);
    }

    /**
     * An entry left the table (removed, replaced by a reload, or evicted): its unwritten use is kept, and its counts
     * go to the flusher.
     */
    private void removed(CachedKey entry) {
        lastUse.removed(entry);
        if (usage != null) {
            usage.retired(entry);
        }
    }

    /** Writes every verify count not yet written, in one store call, if counting is on. Never throws. */
    void flushUsage() {
        if (usage != null) {
            usage.flush(keys);
        }
    }

    /** {@return the verify counter, or {@code null} when nothing is counted} */
    UsageCounter usage() {
        return usage;
    }

    /** The latest use known here and not yet written, epoch millis; 0 if none. */
    long unflushedLastUse(String keyId) {
        CachedKey entry = keys.get(Base62.decode(keyId, 0, KeyLayout.LOOKUP_ID_LENGTH));
        return lastUse.unflushed(keyId, entry);
    }

    long size() {
        return keys.size();
    }

    long misses() {
        return misses.sum();
    }

    long loads() {
        return storeLoads.sum();
    }

    long loadFailures() {
        return loadFailures.sum();
    }

    /**
     * The countries a key may be used from: its own list met with its tenant's, either alone when the other has
     * none; {@code null} when neither has one, so that such a key never asks for a country.
     */
    static Set<String> countries(Set<String> key, Set<String> tenant) {
        if (key.isEmpty() && tenant.isEmpty()) {
            return null;
        }
        if (tenant.isEmpty()) {
            return Set.copyOf(key);
        }
        if (key.isEmpty()) {
            return Set.copyOf(tenant);
        }
        Set<String> both = new java.util.HashSet<>(key);
        both.retainAll(tenant);
        return Set.copyOf(both);
    }

    /** The key's scopes its tenant's plan includes, implications applied, sorted. */
    private static Set<String> planned(ScopeCatalog catalog, Set<String> scopes, Set<String> plan) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>(scopes);
        out.removeAll(catalog.beyond(plan, scopes));
        return java.util.Collections.unmodifiableSortedSet(out);
    }

    private CachedKey compile(long id, StoredKey record, long nowMillis) {
        ScopeCatalog catalog = config.catalog();
        KeySpec attributes = record.attributes();
        for (String scope : attributes.scopes()) {
            if (MODEL.bitOf(catalog, scope) < 0) {
                LOG.warn("key {} holds scope '{}' that the catalog does not declare; it grants nothing",
                        record.keyId(), scope);
            }
        }
        String tenantId = tenants.intern(record.tenantId());
        Tenant tenant = tenantRecords.record(tenantId, nowMillis);
        Set<String> scopes = scopeSets.intern(attributes.scopes());
        ScopeBits held = MODEL.compile(catalog, scopes);
        ScopeBits outsidePlan = null;
        if (tenant != null && !tenant.planScopes().isEmpty()) {
            // A scope the plan does not include is not granted: the entry and the principal hold the rest only.
            ScopeBits granted = held.and(MODEL.compile(catalog, tenant.planScopes()));
            if (!granted.equals(held)) {
                outsidePlan = held;
                held = granted;
                scopes = scopeSets.intern(planned(catalog, scopes, tenant.planScopes()));
            }
        }
        ScopeBits bits = scopeBits.intern(held);
        Map<String, String> metadata = attributes.metadata().isEmpty() ? Map.of() : attributes.metadata();
        Instant expiresAt = record.expiresAt();
        ApiKeyPrincipal principal = MODEL.principal(record.keyId(), config.prefix(), tenantId, attributes.name(),
                scopes, expiresAt, metadata, catalog, bits, outsidePlan == null ? bits : outsidePlan);
        if (dev.apikey.spi.LegacyHash.isLegacy(record.secretHash())) {
            principal = MODEL.legacy(principal, attributes.rotateBy().orElse(null));
        }
        CidrSet allowed = attributes.allowedAddresses().isEmpty() ? null : CidrSet.parse(attributes.allowedAddresses());
        Spending spending = Spending.of(config.meter(), record.lineage(), attributes.allowances(),
                config.defaultRateLimitFor(tenantId), tenantId, tenant == null ? List.of() : tenant.allowances());
        return new CachedKey(id, tenantId, record.revokedAt() != null, record.disabledAt() != null,
                expiresAt == null ? Long.MAX_VALUE : Instants.toMillis(expiresAt), bits, MODEL.granted(principal),
                allowed, countries(attributes.allowedCountries(), tenant == null ? Set.of() : tenant.allowedCountries()),
                spending, record.secretHash(), nowMillis + stalenessMillis, tenant != null && tenant.suspended());
    }
}
