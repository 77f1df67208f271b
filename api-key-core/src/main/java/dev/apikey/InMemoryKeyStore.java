package dev.apikey;

import dev.apikey.model.KeyEvent;
import dev.apikey.model.Tenant;
import dev.apikey.spi.ChangeFeed;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.EventFilter;
import dev.apikey.spi.ExternalIdLookup;
import dev.apikey.spi.KeyChanges;
import dev.apikey.spi.KeyDigestLookup;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyHistory;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.LegacyHash;
import dev.apikey.spi.NoticeLog;
import dev.apikey.spi.StoredKey;
import dev.apikey.spi.TenantStore;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageStore;
import dev.apikey.spi.VersionConflictException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link KeyStore} in a map, for tests, demos and single-process tools. Keys are lost when the process
 * ends.
 *
 * <p>Thread-safe: reads are lock-free, writes are serialized so that a {@link #write} of several records is atomic.
 * Keeps a {@link ChangeFeed} of the latest 100,000 changes, so that several {@link ApiKeys} sharing one store see each
 * other's revocations at once, a {@link NoticeLog}, a {@link TenantStore}, a {@link KeyHistory} of the latest
 * 100,000 events, a {@link UsageStore} (an {@link InMemoryUsageStore}), a {@link KeyDigestLookup} for legacy keys, an
 * {@link ExternalIdLookup} for imported keys and a {@link dev.apikey.spi.WebhookStore}.
 */
public final class InMemoryKeyStore implements KeyStore, ChangeFeed, NoticeLog, TenantStore, KeyHistory, UsageStore,
        KeyDigestLookup, ExternalIdLookup, dev.apikey.spi.AnomalyLog, dev.apikey.spi.WebhookStore {

    private static final int FEED_LENGTH = 100_000;
    private static final int HISTORY_LENGTH = 100_000;

    private final ConcurrentHashMap<String, StoredKey> keys = new ConcurrentHashMap<>();
    /** Legacy keys' look-up digests to their key ids. Written under this. */
    private final ConcurrentHashMap<String, String> digests = new ConcurrentHashMap<>();
    /** Imported keys' external ids to their key ids (issue 29, import29). Written under this. */
    private final ConcurrentHashMap<String, String> externalIds = new ConcurrentHashMap<>();
    /** The change feed: position to key id, the latest {@value #FEED_LENGTH} changes. Guarded by this. */
    private final TreeMap<Long, String> changes = new TreeMap<>();
    /** The tenants' part of the feed, on the same positions: position to tenant id. Guarded by this. */
    private final TreeMap<Long, String> tenantChanges = new TreeMap<>();
    private long position;
    /** Tenants' records. Written under this. */
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    /** Notices sent, {@code keyId/notice} to when. */
    private final Map<String, Instant> notices = new ConcurrentHashMap<>();
    /** The history, newest first, the latest {@value #HISTORY_LENGTH} events. Guarded by this. */
    private final java.util.TreeSet<KeyEvent> events = new java.util.TreeSet<>(EventFilter.NEWEST_FIRST);
    /** Verify counts. */
    private final InMemoryUsageStore usage = new InMemoryUsageStore();
    /** Anomalies and the detection's lease (issue 27 §3). */
    private final InMemoryAnomalies anomalies = new InMemoryAnomalies();
    /** Tenants' webhook endpoints by id, in order of registration. */
    private final Map<String, dev.apikey.model.WebhookEndpoint> webhooks =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    /** An empty store. */
    public InMemoryKeyStore() {
    }

    private void changed(String keyId) {
        changes.put(++position, keyId);
        if (changes.size() > FEED_LENGTH) {
            changes.pollFirstEntry();
        }
    }

    private void tenantChanged(String tenantId) {
        tenantChanges.put(++position, tenantId);
        if (tenantChanges.size() > FEED_LENGTH) {
            tenantChanges.pollFirstEntry();
        }
    }

    @Override
    public synchronized long changeFeedPosition() {
        return position;
    }

    @Override
    public synchronized KeyChanges changesSince(long since) {
        return new KeyChanges(position,
                List.copyOf(new LinkedHashSet<>(changes.tailMap(since, false).values())),
                List.copyOf(new LinkedHashSet<>(tenantChanges.tailMap(since, false).values())));
    }

    @Override
    public Optional<StoredKey> findByLookupDigest(String lookupDigest) {
        String keyId = digests.get(Objects.requireNonNull(lookupDigest, "lookupDigest"));
        return keyId == null ? Optional.empty() : Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public Optional<StoredKey> findByExternalId(String externalId) {
        String keyId = externalIds.get(Objects.requireNonNull(externalId, "externalId"));
        return keyId == null ? Optional.empty() : Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public Optional<StoredKey> findById(String keyId) {
        return Optional.ofNullable(keys.get(Objects.requireNonNull(keyId, "keyId")));
    }

    /** Filters the map in place, without copying it first; sorts only the keys that pass. */
    @Override
    public List<StoredKey> findPage(KeyFilter filter, int limit) {
        KeyStore.requirePage(filter, limit);
        return keys.values().stream().filter(filter::matches).sorted(filter.order())
                .limit(limit).toList();
    }

    /** Checks every record against the map first, then applies them all: all or nothing. */
    @Override
    public synchronized void write(List<KeyWrite> writes) {
        apply(check(writes));
    }

    /** Checks the records and the events first, then applies them all: all or nothing. */
    @Override
    public synchronized void write(List<KeyWrite> writes, List<KeyEvent> newEvents) {
        List<KeyWrite> checked = check(writes);
        List<KeyEvent> adding = requireNewEvents(newEvents);
        apply(checked);
        add(adding);
    }

    @Override
    public synchronized void append(List<KeyEvent> newEvents) {
        add(requireNewEvents(newEvents));
    }

    private List<KeyEvent> requireNewEvents(List<KeyEvent> newEvents) {
        List<KeyEvent> checked = KeyHistory.requireEvents(newEvents);
        for (KeyEvent e : checked) {
            if (events.contains(e)) {
                throw new IllegalArgumentException("event " + e.eventId() + " exists already");
            }
        }
        return checked;
    }

    private void add(List<KeyEvent> adding) {
        events.addAll(adding);
        while (events.size() > HISTORY_LENGTH) {
            events.pollLast();
        }
    }

    @Override
    public synchronized List<KeyEvent> findEvents(EventFilter filter, int limit) {
        KeyHistory.requirePage(filter, limit);
        // Newest first already: the page is the first events that pass.
        return events.stream().filter(filter::matches).limit(limit).toList();
    }

    @Override
    public synchronized int purgeBefore(Instant cutoff, int max) {
        Objects.requireNonNull(cutoff, "cutoff");
        int purged = 0;
        while (purged < max && !events.isEmpty() && events.last().at().isBefore(cutoff)) {
            events.pollLast();
            purged++;
        }
        return purged;
    }

    private List<KeyWrite> check(List<KeyWrite> writes) {
        List<KeyWrite> checked = KeyStore.requireWrites(writes);
        java.util.Set<String> external = new java.util.HashSet<>();
        for (KeyWrite w : checked) {
            String ext = w.key().externalId();
            String extHolder = ext == null ? null : externalIds.get(ext);
            if (ext != null && (!external.add(ext) || extHolder != null && !extHolder.equals(w.key().keyId()))) {
                // Unique, as a database's index on it is: the key that holds it is named.
                throw new DuplicateKeyException(extHolder != null ? extHolder : w.key().keyId());
            }
            StoredKey stored = keys.get(w.key().keyId());
            if (w.isInsert() && stored != null) {
                throw new DuplicateKeyException(w.key().keyId());
            }
            String digest = LegacyHash.lookupDigest(w.key().secretHash());
            String holder = digest == null ? null : digests.get(digest);
            if (holder != null && !holder.equals(w.key().keyId())) {
                // The digest is unique, as a database's index on it is: the key that holds it is named.
                throw new DuplicateKeyException(holder);
            }
            if (!w.isInsert() && (stored == null || stored.version() != w.expectedVersion())) {
                throw new VersionConflictException(w.key().keyId(), w.expectedVersion());
            }
        }
        return checked;
    }

    private void apply(List<KeyWrite> checked) {
        for (KeyWrite w : checked) {
            StoredKey next = w.key();
            StoredKey stored = keys.get(next.keyId());
            if (stored != null) {
                // The last use is a side write of its own: a replace leaves it as stored.
                next = next.withLastUsedAt(stored.lastUsedAt());
            }
            keys.put(next.keyId(), next);
            String was = stored == null ? null : LegacyHash.lookupDigest(stored.secretHash());
            String digest = LegacyHash.lookupDigest(next.secretHash());
            if (was != null && !was.equals(digest)) {
                digests.remove(was, next.keyId());
            }
            if (digest != null) {
                digests.put(digest, next.keyId());
            }
            String wasExternal = stored == null ? null : stored.externalId();
            if (wasExternal != null && !wasExternal.equals(next.externalId())) {
                externalIds.remove(wasExternal, next.keyId());
            }
            if (next.externalId() != null) {
                externalIds.put(next.externalId(), next.keyId());
            }
            if (w.changesVersion()) {
                changed(next.keyId());
            }
        }
    }

    @Override
    public Optional<Instant> recordNotice(String keyId, String notice, Instant sentAt) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(sentAt, "sentAt");
        NoticeLog.requireNotice(notice);
        return Optional.ofNullable(notices.putIfAbsent(keyId + "/" + notice, sentAt));
    }

    @Override
    public synchronized void recordLastUsed(Map<String, Instant> lastUsed) {
        lastUsed.forEach((id, at) -> keys.computeIfPresent(id, (k, key) ->
                key.lastUsedAt() == null || key.lastUsedAt().isBefore(at) ? key.withLastUsedAt(at) : key));
    }

    @Override
    public Optional<Tenant> findTenant(String tenantId) {
        return Optional.ofNullable(tenants.get(Objects.requireNonNull(tenantId, "tenantId")));
    }

    @Override
    public synchronized void writeTenant(Tenant tenant, long expectedVersion) {
        Objects.requireNonNull(tenant, "tenant");
        Tenant stored = tenants.get(tenant.tenantId());
        if (stored == null ? expectedVersion != 0 : stored.version() != expectedVersion) {
            throw new VersionConflictException("tenant:" + tenant.tenantId(), expectedVersion);
        }
        tenants.put(tenant.tenantId(), tenant);
        tenantChanged(tenant.tenantId());
    }

    // Verify counts (issue 27): kept by an InMemoryUsageStore of this store's own.

    @Override
    public void addUsage(List<UsageCount> counts) {
        usage.addUsage(counts);
    }

    @Override
    public List<UsageCount> readUsage(dev.apikey.model.UsageSubject subject, dev.apikey.model.UsageGrain grain,
            Instant from, Instant to) {
        return usage.readUsage(subject, grain, from, to);
    }

    @Override
    public List<dev.apikey.model.UsageTotal> topUsage(String tenantId, dev.apikey.model.UsageGrain grain,
            Instant from, Instant to, dev.apikey.model.UsageTotal.Rank rank, int limit) {
        return usage.topUsage(tenantId, grain, from, to, rank, limit);
    }

    @Override
    public long purgeUsage(dev.apikey.model.UsageGrain grain, Instant before) {
        return usage.purgeUsage(grain, before);
    }

    /** {@return {@code true}: this store keeps the countries keys were seen from} */
    @Override
    public boolean keepsCountries() {
        return true;
    }

    @Override
    public void addCountries(List<dev.apikey.spi.UsageCountry> countries) {
        usage.addCountries(countries);
    }

    @Override
    public List<dev.apikey.spi.UsageCountry> readCountries(String keyId, Instant from, Instant to) {
        return usage.readCountries(keyId, from, to);
    }

    // Anomalies (issue 27 §3), kept by InMemoryAnomalies.

    @Override
    public boolean acquireLease(String name, String holder, Instant now, java.time.Duration ttl) {
        return anomalies.acquireLease(name, holder, now, ttl);
    }

    @Override
    public boolean openAnomaly(dev.apikey.model.Anomaly anomaly) {
        return anomalies.openAnomaly(anomaly);
    }

    @Override
    public int closeAnomalies(Instant windowEndedBy, Instant closedAt) {
        return anomalies.closeAnomalies(windowEndedBy, closedAt);
    }

    @Override
    public List<dev.apikey.model.Anomaly> readAnomalies(String tenantId, String keyId, boolean openOnly, int limit) {
        return anomalies.readAnomalies(tenantId, keyId, openOnly, limit);
    }

    @Override
    public long purgeAnomalies(Instant before) {
        return anomalies.purgeAnomalies(before);
    }

    // Tenants' webhook endpoints (issue 27 §3), in order of registration.

    @Override
    public void insertWebhook(dev.apikey.model.WebhookEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (webhooks.putIfAbsent(endpoint.webhookId(), endpoint) != null) {
            throw new DuplicateKeyException(endpoint.webhookId());
        }
    }

    @Override
    public List<dev.apikey.model.WebhookEndpoint> findWebhooks(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        synchronized (webhooks) {
            return webhooks.values().stream().filter(w -> w.tenantId().equals(tenantId)).toList();
        }
    }

    @Override
    public boolean deleteWebhook(String tenantId, String webhookId) {
        dev.apikey.model.WebhookEndpoint w = webhooks.get(Objects.requireNonNull(webhookId, "webhookId"));
        return w != null && w.tenantId().equals(tenantId) && webhooks.remove(webhookId, w);
    }

    @Override
    public boolean disableWebhook(String tenantId, String webhookId, Instant at, String reason) {
        dev.apikey.model.WebhookEndpoint w = webhooks.get(Objects.requireNonNull(webhookId, "webhookId"));
        return w != null && w.tenantId().equals(tenantId) && !w.isDisabled()
                && webhooks.replace(webhookId, w, w.disabled(at, reason));
    }

    @Override
    public String toString() {
        return "InMemoryKeyStore[" + keys.size() + " keys]";
    }
}
