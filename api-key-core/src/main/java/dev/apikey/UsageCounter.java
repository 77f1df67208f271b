package dev.apikey;

import dev.apikey.internal.IdTable;
import dev.apikey.internal.NetworkBits;
import dev.apikey.model.Failure;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsagePoint;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
    /** The series of refusals that named no key the store knows: a sentinel entry, never in the cache. */
    private final CachedKey unknown = CachedKey.absent(-1, Long.MAX_VALUE);
    /** Entries that left the cache, to the flushes they are still read at (a verify may hold one). */
    private final ConcurrentHashMap<CachedKey, Integer> retired = new ConcurrentHashMap<>();
    /** Rows whose write failed, by bucket, key and outcome; guarded by this. */
    private final Map<List<Object>, UsageCount> pending = new LinkedHashMap<>();
    private long lastPurgeMillis = Long.MIN_VALUE;
    /**
     * Whether countries are learnt: anomaly detection is on and the store keeps countries. Only then is a request's
     * country source asked here (see {@link #count}).
     */
    private final boolean learnCountries;
    /** Countries taken at a flush and not yet written; guarded by this. */
    private final UsageCountries countries = new UsageCountries();
    /** Failed writes: at most one line a minute, however long the store is down. */
    private final dev.apikey.internal.LogWindow failureLog = new dev.apikey.internal.LogWindow(60_000);
    /** Rows dropped past {@link #MAX_PENDING_ROWS}: said in one line a minute at most, with what was dropped since. */
    private final dev.apikey.internal.LogWindow dropLog = new dev.apikey.internal.LogWindow(60_000);
    private long droppedRows;
    private long droppedVerifies;

    UsageCounter(UsageSettings settings, Clock clock) {
        this.store = settings.store();
        this.settings = settings;
        this.clock = clock;
        this.learnCountries = settings.anomalies() != null && store.keepsCountries();
    }

    UsageStore store() {
        return store;
    }

    UsageSettings settings() {
        return settings;
    }

    /** {@link #count(CachedKey, Verification, String, VerifyRequest)} without a request: no country is learnt. */
    void count(CachedKey entry, Verification v, String remoteAddress) {
        count(entry, v, remoteAddress, null);
    }

    /**
     * On the hot path: one verify's outcome, counted toward the key if the store knows it, else the unknown series.
     *
     * <p>The request's country source is asked only on the rare path where an outcome earned with the key's secret
     * set a network bit not yet set in the key's sketch of this flush interval (at most 64 times per key and
     * interval), and only when {@link #learnCountries}: a hit from a known network asks nothing, and refusals anybody
     * can cause by naming the key ({@link UnprovenOutcomes}) never ask nor record a country.
     *
     * @param entry   the cache entry of a key the store knows, or {@code null}
     * @param request the request, for its country source; {@code null} when the host passed none
     */
    void count(CachedKey entry, Verification v, String remoteAddress, VerifyRequest request) {
        CachedKey series = entry == null ? unknown : entry;
        long network = NetworkBits.network(remoteAddress);
        boolean newNetwork;
        if (v.isGranted()) {
            newNetwork = series.countGrant(network);
        } else {
            Failure failure = MODEL.failureOrNull(v);
            newNetwork = series.countRefusal(MODEL.index(failure), failure, network);
        }
        if (newNetwork && learnCountries && entry != null) {
            learnCountry(entry, request);
        }
    }

    /** Off the hit: asks the request's country source once, and remembers a country it names in the key's cells. */
    private static void learnCountry(CachedKey entry, VerifyRequest request) {
        String country = VerifyEngine.countryOf(request);
        if (country != null) {
            entry.countrySeen(country);
        }
    }

    /** A cache entry left the cache: its counts are taken at the next two flushes. */
    void retired(CachedKey entry) {
        if (entry.exists()) {
            retired.put(entry, 2);
        }
    }

    /** Writes every count not yet written, as minute counts of the current minute, in one store call. */
    synchronized void flush(IdTable<CachedKey> keys) {
        long now = clock.millis();
        Instant minute = UsageGrain.MINUTE.floor(Instant.ofEpochMilli(now));
        keys.forEach(entry -> {
            if (entry.exists()) {
                drain(entry, entry.keyId(), entry.tenantId, minute);
            }
        });
        retired.forEach((entry, left) -> {
            drain(entry, entry.keyId(), entry.tenantId, minute);
            if (left <= 1) {
                retired.remove(entry, left);
            } else {
                retired.replace(entry, left, left - 1);
            }
        });
        drain(unknown, UsageCount.UNKNOWN_KEY, null, minute);
        if (droppedRows > 0 && dropLog.tryLog(now)) {
            LOG.warn("usage store unavailable too long: dropped the oldest {} rows ({} verifies) since the last such "
                    + "line, to keep at most {} rows waiting (at most one line a minute)", droppedRows,
                    droppedVerifies, MAX_PENDING_ROWS);
            droppedRows = 0;
            droppedVerifies = 0;
        }
        // A store that cannot take the counts is not asked to delete either: each call would wait its timeout.
        if (write(now) && writeCountries(now)) {
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

    private boolean writeCountries(long now) {
        try {
            countries.write(store, MAX_BATCH, now);
            return true;
        } catch (RuntimeException e) {
            if (failureLog.tryLog(now)) {
                LOG.warn("could not write {} countries of keys; retrying at the next flush (at most one line a "
                        + "minute): {}", countries.pending(), e.toString());
            }
            return false;
        }
    }

    /**
     * Adds a series' counts since the last flush to the pending rows, and its network sketch to each of them. Each
     * count is taken by swapping it for zero, so that a verify counted meanwhile lands in this flush or the next;
     * the same series met twice in one flush (a replaced entry still retiring) adds nothing the second time.
     */
    private void drain(CachedKey series, String keyId, String tenantId, Instant minute) {
        long networks = series.takeNetworks();
        UsageCells refusals = series.refusalCells();
        long unproven = refusals == null ? 0 : refusals.takeUnprovenNetworks();
        if (learnCountries && series != unknown) {
            countries.take(refusals, keyId, tenantId, minute);
        }
        int before = pending.size();
        add(keyId, tenantId, minute, UsagePoint.GRANTED, series.takeGrants(), networks);
        if (refusals != null) {
            for (int i = 0; i < refusals.builtIns(); i++) {
                add(keyId, tenantId, minute, BUILT_INS.get(i).code(), refusals.takeRefusals(i),
                        UnprovenOutcomes.isUnproven(i) ? unproven : networks);
            }
            ConcurrentHashMap<String, LongAdder> host = refusals.hostRefusals();
            if (host != null) {
                host.forEach((code, adder) -> add(keyId, tenantId, minute, code, adder.sumThenReset(), networks));
            }
        }
        if (pending.size() == before) {
            if (networks != 0) {
                series.restoreNetworks(networks);
            }
            if (unproven != 0) {
                refusals.restoreUnprovenNetworks(unproven);
            }
        }
    }

    private void add(String keyId, String tenantId, Instant minute, String outcome, long delta, long networks) {
        if (delta <= 0) {
            return;
        }
        List<Object> id = List.of(minute, keyId, outcome);
        UsageCount old = pending.get(id);
        if (old == null && pending.size() >= MAX_PENDING_ROWS) {
            List<Object> oldest = pending.keySet().iterator().next();
            UsageCount dropped = pending.remove(oldest);
            droppedRows++;
            droppedVerifies += dropped.count();
        }
        pending.put(id, new UsageCount(minute, keyId, tenantId, outcome,
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
