package dev.apikey;

import dev.apikey.model.Anomaly;
import dev.apikey.spi.AnomalyLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link AnomalyLog} of an {@link InMemoryKeyStore}: anomalies by id and leases by name, in memory.
 *
 * <p>Thread-safe: every method holds this object's lock. Package-private.
 */
final class InMemoryAnomalies implements AnomalyLog {

    private static final Comparator<Anomaly> NEWEST_FIRST = Comparator.comparing(Anomaly::openedAt).reversed()
            .thenComparing(Anomaly::id);

    private final Map<String, Anomaly> anomalies = new HashMap<>();
    /** Lease name to holder and end (epoch millis). */
    private final Map<String, Map.Entry<String, Long>> leases = new HashMap<>();

    @Override
    public synchronized boolean acquireLease(String name, String holder, Instant now, Duration ttl) {
        AnomalyLog.checkLease(name, holder, now, ttl);
        Map.Entry<String, Long> held = leases.get(name);
        if (held != null && !held.getKey().equals(holder) && held.getValue() >= now.toEpochMilli()) {
            return false;
        }
        leases.put(name, Map.entry(holder, now.plus(ttl).toEpochMilli()));
        return true;
    }

    @Override
    public synchronized boolean openAnomaly(Anomaly anomaly) {
        Objects.requireNonNull(anomaly, "anomaly");
        return anomalies.putIfAbsent(anomaly.id(), anomaly) == null;
    }

    @Override
    public synchronized int closeAnomalies(Instant windowEndedBy, Instant closedAt) {
        Objects.requireNonNull(closedAt, "closedAt");
        int closed = 0;
        for (Map.Entry<String, Anomaly> e : anomalies.entrySet()) {
            Anomaly a = e.getValue();
            if (a.isOpen() && !a.windowEnd().isAfter(windowEndedBy)) {
                e.setValue(a.closed(closedAt));
                closed++;
            }
        }
        return closed;
    }

    @Override
    public synchronized List<Anomaly> readAnomalies(String tenantId, String keyId, boolean openOnly, int limit) {
        AnomalyLog.checkLimit(limit);
        return anomalies.values().stream()
                .filter(a -> tenantId == null || tenantId.equals(a.tenantId()))
                .filter(a -> keyId == null || a.keyId().filter(keyId::equals).isPresent())
                .filter(a -> !openOnly || a.isOpen())
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized long purgeAnomalies(Instant before) {
        Objects.requireNonNull(before, "before");
        long before0 = anomalies.size();
        anomalies.values().removeIf(a -> a.closedAt() != null && a.closedAt().isBefore(before));
        return before0 - anomalies.size();
    }
}
