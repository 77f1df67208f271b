package dev.apikey;

import dev.apikey.model.Allowance;
import dev.apikey.model.Anomaly;
import dev.apikey.model.Failure;
import dev.apikey.model.Quota;
import dev.apikey.model.Tenant;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsagePoint;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import dev.apikey.spi.AnomalyLog;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.Meter;
import dev.apikey.spi.Metered;
import dev.apikey.spi.StoredKey;
import dev.apikey.spi.TenantStore;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled anomaly detection (issue 27 §3), off the request path: under a lease in the store, so that one
 * instance at a time runs it, reads the stored counts of every instance (the window's minute buckets against the
 * baseline's hour buckets) of the keys with the most verifies earned with their secret in the window
 * ({@link UsageTotal.Rank#PROVEN}), and of their tenants,
 * and opens each anomaly once per window in the store ({@link AnomalyLog#openAnomaly}); only the call that opened it
 * tells the listener. The unknown series (refusals naming no known key) is never read: text naming a key or tenant
 * that the store does not know fires nothing.
 *
 * <p>Thread-safe; runs are not expected to overlap (one scheduler thread), and if they do, the store keeps each
 * anomaly once. Package-private: {@link Anomalies} is the API.
 */
final class AnomalyDetector {

    static final String LEASE = "anomalies";
    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.anomalies");
    private static final Duration KEEP_CLOSED = Duration.ofDays(30);
    static final Set<String> UNPROVEN = UnprovenOutcomes.CODES;
    /** The refusals a burst counts: 401 and 403 of a key whose secret matched (revoked, scope, tenant, address). */
    private static final Set<String> AUTH_REFUSALS = Failure.builtIns().stream()
            .filter(f -> f.httpStatus() == 401 || f.httpStatus() == 403).map(Failure::code)
            .filter(code -> !UNPROVEN.contains(code)).collect(Collectors.toUnmodifiableSet());

    private final AnomalyPolicy policy;
    private final AnomalyLog log;
    private final UsageStore usage;
    private final KeyStore keys;
    private final Meter meter;
    private final KeyEventListener listener;
    private final Clock clock;
    private final NewCountries countries;
    private final String holder = UUID.randomUUID().toString();
    private Instant lastPurge = Instant.MIN;

    AnomalyDetector(AnomalyPolicy policy, AnomalyLog log, UsageStore usage, ApiKeysConfig config) {
        this.policy = policy;
        this.log = log;
        this.usage = usage;
        this.keys = config.store();
        this.meter = config.meter();
        this.listener = config.listener();
        this.clock = config.clock();
        this.countries = new NewCountries(usage);
    }

    AnomalyPolicy policy() {
        return policy;
    }

    /** The scheduled form: never throws, logs what failed. */
    void runScheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("anomaly detection failed; trying again at the next run: {}", e.toString());
        }
    }

    /** One run; returns the anomalies this run opened (none if another instance holds the lease). */
    synchronized List<Anomaly> run() {
        Instant now = clock.instant();
        if (!log.acquireLease(LEASE, holder, now, policy.interval().multipliedBy(2))) {
            return List.of();
        }
        log.closeAnomalies(now, now);
        if (lastPurge.isBefore(now.minus(Duration.ofHours(1)))) {
            log.purgeAnomalies(now.minus(KEEP_CLOSED));
            lastPurge = now;
        }
        long w = policy.window().toSeconds();
        Instant windowStart = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), w) * w);
        Window window = new Window(windowStart, windowStart.plusSeconds(w),
                UsageGrain.MINUTE.floor(now).plusSeconds(60), UsageGrain.HOUR.floor(windowStart));
        List<Anomaly> opened = new ArrayList<>();
        // Ranked by what only a key's holder can cause: garbage sent with other keys' ids crowds no key out.
        List<UsageTotal> active = usage.topUsage(null, UsageGrain.MINUTE, window.start, window.readTo,
                UsageTotal.Rank.PROVEN, policy.maxKeysPerRun());
        Set<String> tenants = new TreeSet<>();
        for (UsageTotal t : active) {
            StoredKey key = keys.findById(t.keyId()).orElse(null);
            if (key == null) {
                continue;
            }
            if (key.tenantId() != null) {
                tenants.add(key.tenantId());
            }
            judgeKey(key, window, now, opened);
        }
        for (String tenant : tenants) {
            UsageSubject subject = UsageSubject.tenant(tenant);
            Reading current = read(subject, UsageGrain.MINUTE, window.start, window.readTo);
            Instant from = window.baselineEnd.minus(policy.baseline());
            Reading base = read(subject, UsageGrain.HOUR, from, window.baselineEnd);
            // A tenant's history starts at the first hour the baseline holds anything.
            Instant first = base.first == null ? window.baselineEnd : base.first;
            judgeCounts(subject, tenant, window, current, base, hoursBetween(first, window.baselineEnd), now, opened);
            if (keys instanceof TenantStore store) {
                Tenant record = store.findTenant(tenant).orElse(null);
                if (record != null) {
                    quotas(subject, tenant, record.allowances(), q -> Metered.tenant(tenant, q), now, opened);
                }
            }
        }
        return opened;
    }

    private void judgeKey(StoredKey key, Window window, Instant now, List<Anomaly> opened) {
        UsageSubject subject = UsageSubject.key(key.keyId());
        Reading current = read(subject, UsageGrain.MINUTE, window.start, window.readTo);
        // From the key's first whole hour: the hour it was created in is only partly its own.
        Instant from = max(window.baselineEnd.minus(policy.baseline()),
                UsageGrain.HOUR.floor(key.createdAt()).plusSeconds(3_600));
        Reading base = from.isBefore(window.baselineEnd) ? read(subject, UsageGrain.HOUR, from, window.baselineEnd)
                : Reading.EMPTY;
        long hours = hoursBetween(from, window.baselineEnd);
        judgeCounts(subject, key.tenantId(), window, current, base, hours, now, opened);
        if (hours * 3_600 >= policy.minimumHistory().toSeconds() && hours > 0 && base.networks != 0) {
            long unseen = current.networks & ~base.networks;
            if (unseen != 0) {
                open(Anomaly.open(Anomaly.Kind.NEW_NETWORK, subject, key.tenantId(), window.start, window.end,
                        Long.bitCount(unseen), Long.bitCount(base.networks), null, now), opened);
            }
        }
        if (hours * 3_600 >= policy.minimumHistory().toSeconds() && hours > 0) {
            countries.judge(key.keyId(), key.tenantId(), from, window.baselineEnd, window.end, window.readTo, now)
                    .forEach(a -> open(a, opened));
        }
        oldKeyUse(key, subject, window, now, opened);
        quota(key, subject, now, opened);
    }

    private void judgeCounts(UsageSubject subject, String tenantId, Window window, Reading current, Reading base,
            long hours, Instant now, List<Anomaly> opened) {
        long refusalsUsual = usual(base.authRefusals, hours);
        if (current.authRefusals >= policy.refusalMinimum()
                && current.authRefusals > refusalsUsual * policy.refusalFactor()) {
            open(Anomaly.open(Anomaly.Kind.REFUSAL_BURST, subject, tenantId, window.start, window.end,
                    current.authRefusals, refusalsUsual, null, now), opened);
        }
        if (hours > 0 && hours * 3_600 >= policy.minimumHistory().toSeconds()) {
            long callsUsual = usual(base.calls, hours);
            if (current.calls >= policy.volumeMinimum() && current.calls > callsUsual * policy.volumeFactor()) {
                open(Anomaly.open(Anomaly.Kind.VOLUME_SPIKE, subject, tenantId, window.start, window.end,
                        current.calls, callsUsual, null, now), opened);
            }
        }
    }

    /** A replaced key granted after the minute of its rotation, while its overlap runs: somebody still uses it. */
    private void oldKeyUse(StoredKey key, UsageSubject subject, Window window, Instant now, List<Anomaly> opened) {
        if (key.replacedBy() == null || key.revokedAt() != null) {
            return;
        }
        StoredKey successor = keys.findById(key.replacedBy()).orElse(null);
        if (successor == null) {
            return;
        }
        // Counts land in the minute of their flush: the rotation's own minute may hold uses from before it.
        Instant since = max(window.start, UsageGrain.MINUTE.floor(successor.createdAt()).plusSeconds(60));
        if (!since.isBefore(window.readTo)) {
            return;
        }
        long granted = read(subject, UsageGrain.MINUTE, since, window.readTo).granted;
        if (granted > 0) {
            open(Anomaly.open(Anomaly.Kind.OLD_KEY_USED, subject, key.tenantId(), window.start, window.end, granted,
                    0, key.replacedBy(), now), opened);
        }
    }

    /** Each of a key's own quotas at its warning share or spent, once per period. */
    private void quota(StoredKey key, UsageSubject subject, Instant now, List<Anomaly> opened) {
        quotas(subject, key.tenantId(), key.attributes().allowances(), q -> Metered.key(key.lineage(), q), now,
                opened);
    }

    /**
     * Each quota of a key's or a tenant's allowances at its warning share or spent, once per period and quota, as the
     * meter counts it (with an in-process meter, this instance's count).
     */
    private void quotas(UsageSubject subject, String tenantId, List<Allowance> allowances,
            java.util.function.Function<Quota, Metered> counted, Instant now, List<Anomaly> opened) {
        for (Allowance allowance : allowances) {
            if (!(allowance instanceof Quota quota)) {
                continue;
            }
            long used;
            try {
                used = Math.min(quota.calls(), meter.used(counted.apply(quota), now.toEpochMilli()));
            } catch (RuntimeException e) {
                LOG.debug("meter unreadable for quota '{}' of {}: {}", quota.name(), subject, e.toString());
                continue;
            }
            LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
            Instant start = (quota.period() == Quota.Period.DAY ? day : day.withDayOfMonth(1))
                    .atStartOfDay(ZoneOffset.UTC).toInstant();
            Anomaly.Kind kind = used >= quota.calls() ? Anomaly.Kind.QUOTA_EXHAUSTED
                    // Compared in long arithmetic: calls is at most 10^12, so the product stays far from overflow.
                    : used * 100 >= quota.calls() * policy.quotaWarning() ? Anomaly.Kind.QUOTA_WARNING : null;
            if (kind != null) {
                open(Anomaly.open(kind, subject, tenantId, start, quota.resetAt(now), used, quota.calls(),
                        quota.name(), now), opened);
            }
        }
    }

    private void open(Anomaly anomaly, List<Anomaly> opened) {
        if (!log.openAnomaly(anomaly)) {
            return;
        }
        opened.add(anomaly);
        LOG.info("anomaly {}: observed {}, usual {}", anomaly.id(), anomaly.observed(), anomaly.baseline());
        try {
            listener.anomaly(anomaly);
        } catch (RuntimeException e) {
            LOG.warn("key event listener failed on an anomaly: {}", e.toString());
        }
    }

    /** The usual count of one window, from a baseline total over whole hours; rounded up. */
    private long usual(long total, long hours) {
        if (hours <= 0) {
            return 0;
        }
        double perWindow = (double) total * policy.window().toSeconds() / (hours * 3_600.0);
        return (long) Math.ceil(perWindow);
    }

    private Reading read(UsageSubject subject, UsageGrain grain, Instant from, Instant to) {
        long calls = 0;
        long granted = 0;
        long auth = 0;
        long networks = 0;
        Instant first = null;
        for (UsageCount c : usage.readUsage(subject, grain, from, to)) {
            if (UNPROVEN.contains(c.outcome())) {
                continue;
            }
            calls += c.count();
            if (UsagePoint.GRANTED.equals(c.outcome())) {
                granted += c.count();
            } else if (AUTH_REFUSALS.contains(c.outcome())) {
                auth += c.count();
            }
            networks |= c.networks();
            if (c.count() > 0 && (first == null || c.bucket().isBefore(first))) {
                first = c.bucket();
            }
        }
        return new Reading(calls, granted, auth, networks, first);
    }

    private static long hoursBetween(Instant from, Instant to) {
        return from.isBefore(to) ? (to.getEpochSecond() - from.getEpochSecond()) / 3_600 : 0;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * The window of a run.
     *
     * @param start       its start
     * @param end         its end
     * @param readTo      the end of the minute buckets read: the one holding now included
     * @param baselineEnd where the baseline's hours end: the hour the window starts in
     */
    private record Window(Instant start, Instant end, Instant readTo, Instant baselineEnd) {
    }

    /** What a read of stored counts added up to, the outcomes earned with the key's secret only. */
    private record Reading(long calls, long granted, long authRefusals, long networks, Instant first) {
        static final Reading EMPTY = new Reading(0, 0, 0, 0, null);
    }
}
