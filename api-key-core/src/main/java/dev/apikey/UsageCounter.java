package dev.apikey;

import dev.apikey.internal.IdTable;
import dev.apikey.internal.NetworkBits;
import dev.apikey.model.Failure;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsagePoint;
import dev.apikey.model.Verification;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every verify outcome per key (and in one "unknown" series for refusals naming no known key) in memory, and
 * writes the counts behind, in additive batches of minute counts, so that any number of instances add up. A count
 * lands in the minute its flush ran in (at most one flush interval late); an instance that dies loses what it
 * counted since its last flush. A failed write is kept and retried at the next flush (at most
 * {@link #MAX_PENDING_ROWS} rows; past that the oldest are dropped, and said so in the log).
 *
 * <p>Thread-safe: {@link #count} on any thread, allocation-free; {@link #flush} under this object's lock.
 * Package-private: {@link KeyCache} owns it.
 */
final class UsageCounter {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.usage");
    private static final ModelAccess MODEL = ModelAccess.forEngine();
    private static final List<Failure> BUILT_INS = Failure.builtIns();
    static final int MAX_PENDING_ROWS = 100_000;
    /** The most counts one store call takes (three rows each in the built-in stores). */
    static final int MAX_BATCH = 1_000;
    private static final long PURGE_EVERY_MILLIS = 3_600_000;

    private final UsageStore store;
    private final Clock clock;
    private final UsageSettings settings;
    private final UsageCells unknown = new UsageCells(UsageCount.UNKNOWN_KEY, null, true);
    /** Cells of entries that left the cache, to the flushes they are still read at (a verify may hold one). */
    private final ConcurrentHashMap<UsageCells, Integer> retired = new ConcurrentHashMap<>();
    /** Rows whose write failed, by bucket, key and outcome; guarded by this. */
    private final Map<List<Object>, UsageCount> pending = new LinkedHashMap<>();
    private long lastPurgeMillis = Long.MIN_VALUE;
    /** Failed writes: at most one line a minute, however long the store is down. */
    private final dev.apikey.internal.LogWindow failureLog = new dev.apikey.internal.LogWindow(60_000);

    UsageCounter(UsageSettings settings, Clock clock) {
        this.store = settings.store();
        this.settings = settings;
        this.clock = clock;
    }

    UsageStore store() {
        return store;
    }

    UsageSettings settings() {
        return settings;
    }

    /** New cells for a key's first cache entry. */
    static UsageCells cellsFor(String keyId, String tenantId) {
        return new UsageCells(keyId, tenantId, false);
    }

    /**
     * On the hot path: one verify's outcome, counted toward the key if the store knows it, else the unknown series.
     *
     * @param entry the cache entry of a key the store knows, or {@code null}
     */
    void count(CachedKey entry, Verification v, String remoteAddress) {
        UsageCells cells = entry == null ? unknown : entry.usage;
        if (cells == null) {
            cells = unknown;
        }
        long bit = NetworkBits.bit(remoteAddress);
        if (v.isGranted()) {
            cells.granted(bit);
        } else {
            Failure failure = MODEL.failureOrNull(v);
            cells.refused(MODEL.index(failure), failure, bit);
        }
    }

    /** A cache entry left the cache: its cells are read at the next two flushes. */
    void retired(CachedKey entry) {
        if (entry.usage != null) {
            retired.put(entry.usage, 2);
        }
    }

    /** Writes every count not yet written, as minute counts of the current minute, in one store call. */
    synchronized void flush(IdTable<CachedKey> keys) {
        long now = clock.millis();
        Instant minute = UsageGrain.MINUTE.floor(Instant.ofEpochMilli(now));
        IdentityHashMap<UsageCells, Boolean> done = new IdentityHashMap<>();
        keys.forEach(entry -> {
            UsageCells cells = entry.usage;
            if (cells != null && done.put(cells, Boolean.TRUE) == null) {
                drain(cells, minute);
            }
        });
        retired.forEach((cells, left) -> {
            if (done.put(cells, Boolean.TRUE) == null) {
                drain(cells, minute);
            }
            if (left <= 1) {
                retired.remove(cells, left);
            } else {
                retired.replace(cells, left, left - 1);
            }
        });
        drain(unknown, minute);
        // A store that cannot take the counts is not asked to delete either: each call would wait its timeout.
        if (write(now)) {
            purgeIfDue(now);
        }
    }

    /**
     * Writes the pending rows in store calls of at most {@link #MAX_BATCH} each (one transaction each, well inside a
     * statement timeout), forgetting each call's rows once it succeeded: a failed call leaves only its own and later
     * rows for the next flush, so that no count is written twice.
     */
    private boolean write(long now) {
        int written = 0;
        while (!pending.isEmpty()) {
            List<List<Object>> ids = new ArrayList<>(Math.min(MAX_BATCH, pending.size()));
            List<UsageCount> batch = new ArrayList<>(ids.size());
            for (Map.Entry<List<Object>, UsageCount> e : pending.entrySet()) {
                if (batch.size() == MAX_BATCH) {
                    break;
                }
                ids.add(e.getKey());
                batch.add(e.getValue());
            }
            try {
                store.addUsage(batch);
            } catch (RuntimeException e) {
                if (failureLog.tryLog(now)) {
                    LOG.warn("could not write {} usage counts; retrying at the next flush (at most one line a "
                            + "minute): {}", pending.size(), e.toString());
                }
                return false;
            }
            ids.forEach(pending::remove);
            written += batch.size();
        }
        if (written > 0) {
            LOG.debug("wrote {} usage counts", written);
        }
        return true;
    }

    /** Adds a series' new counts to the pending rows, and takes its network sketch. */
    private void drain(UsageCells cells, Instant minute) {
        long networks = cells.takeNetworks();
        long unproven = cells.takeUnprovenNetworks();
        int before = pending.size();
        long grants = cells.grants();
        add(cells, minute, UsagePoint.GRANTED, grants - cells.flushedGrants, networks);
        cells.flushedGrants = grants;
        LongAdder[] refusals = cells.refusals();
        if (refusals != null) {
            if (cells.flushedRefusals == null) {
                cells.flushedRefusals = new long[refusals.length];
            }
            for (int i = 0; i < refusals.length; i++) {
                long n = refusals[i].sum();
                add(cells, minute, BUILT_INS.get(i).code(), n - cells.flushedRefusals[i],
                        UnprovenOutcomes.isUnproven(i) ? unproven : networks);
                cells.flushedRefusals[i] = n;
            }
        }
        ConcurrentHashMap<String, LongAdder> host = cells.hostRefusals();
        if (host != null) {
            if (cells.flushedHost == null) {
                cells.flushedHost = new java.util.HashMap<>();
            }
            host.forEach((code, adder) -> {
                long n = adder.sum();
                add(cells, minute, code, n - cells.flushedHost.getOrDefault(code, 0L), networks);
                cells.flushedHost.put(code, n);
            });
        }
        if (pending.size() == before && (networks | unproven) != 0) {
            cells.restoreNetworks(networks, unproven);
        }
    }

    private void add(UsageCells cells, Instant minute, String outcome, long delta, long networks) {
        if (delta <= 0) {
            return;
        }
        List<Object> id = List.of(minute, cells.keyId, outcome);
        UsageCount old = pending.get(id);
        if (old == null && pending.size() >= MAX_PENDING_ROWS) {
            List<Object> oldest = pending.keySet().iterator().next();
            UsageCount dropped = pending.remove(oldest);
            LOG.warn("usage store unavailable too long: dropped {} verifies of one key and minute", dropped.count());
        }
        pending.put(id, new UsageCount(minute, cells.keyId, cells.tenantId, outcome,
                (old == null ? 0 : old.count()) + delta, (old == null ? 0 : old.networks()) | networks));
    }

    private void purgeIfDue(long now) {
        if (now - lastPurgeMillis < PURGE_EVERY_MILLIS && lastPurgeMillis != Long.MIN_VALUE) {
            return;
        }
        lastPurgeMillis = now;
        for (UsageGrain grain : UsageGrain.values()) {
            try {
                long deleted = store.purgeUsage(grain, Instant.ofEpochMilli(now).minus(settings.retention(grain)));
                if (deleted > 0) {
                    LOG.debug("purged {} usage rows of grain {}", deleted, grain.label());
                }
            } catch (RuntimeException e) {
                LOG.warn("could not purge usage older than its retention ({}): {}", grain.label(), e.toString());
                return;
            }
        }
    }
}
