package dev.apikey;

import dev.apikey.model.Anomaly;
import dev.apikey.model.UsageSubject;
import dev.apikey.spi.AnomalyLog;
import java.util.List;

/**
 * Reads the anomalies the scheduled detection opened ({@link ApiKeysBuilder#anomalyDetection}): bursts of refusals,
 * volume over usual, new source networks, quotas at their warning share or spent, old keys still used after a
 * rotation. Each is opened once per kind, subject and window across every instance sharing the store, and closed when
 * its window ends. Got from {@link ApiKeys#anomalies()}.
 *
 * <p>Thread-safe.
 */
public final class Anomalies {

    private final AnomalyDetector detector;
    private final AnomalyLog log;

    Anomalies(AnomalyDetector detector, AnomalyLog log) {
        this.detector = detector;
        this.log = log;
    }

    /**
     * Anomalies, the most recently opened first.
     *
     * @param tenantId only this tenant's (its own and its keys'), or {@code null} for every tenant's
     * @param keyId    only this key's, or {@code null}
     * @param openOnly only the open ones
     * @param limit    1 to {@link AnomalyLog#MAX_READ}
     * @return the anomalies
     * @throws IllegalArgumentException naming the rule if an id or the limit breaks it
     * @throws dev.apikey.spi.KeyStoreException if the store fails
     */
    public List<Anomaly> list(String tenantId, String keyId, boolean openOnly, int limit) {
        if (tenantId != null) {
            UsageSubject.tenant(tenantId);
        }
        if (keyId != null) {
            UsageSubject.key(keyId);
        }
        AnomalyLog.checkLimit(limit);
        return log.readAnomalies(tenantId, keyId, openOnly, limit);
    }

    /**
     * The open anomalies of a tenant (its own and its keys'), or of everybody.
     *
     * @param tenantId the tenant, or {@code null} for all
     * @return the open anomalies, at most {@link AnomalyLog#MAX_READ}, the newest first
     */
    public List<Anomaly> open(String tenantId) {
        return list(tenantId, null, true, AnomalyLog.MAX_READ);
    }

    /**
     * Runs the detection now, as the scheduler does every {@link AnomalyPolicy#interval()}: if this instance gets the
     * lease, opens what is new and tells the listener.
     *
     * @return the anomalies this run opened; empty if none, or if another instance holds the lease
     * @throws dev.apikey.spi.KeyStoreException if the store fails
     */
    public List<Anomaly> detectNow() {
        return detector.run();
    }

    /** {@return the detection's policy} */
    public AnomalyPolicy policy() {
        return detector.policy();
    }
}
