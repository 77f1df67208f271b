package dev.apikey.spi;

import dev.apikey.model.Anomaly;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An optional capability of a store (found with {@code instanceof} on the usage store, then the key store): it keeps
 * the anomalies the detection opened, each once across every instance, and a lease so that one instance at a time
 * runs the detection. The in-memory and JDBC stores have it. The contract is
 * {@code dev.apikey.testkit.AnomalyLogContract}.
 *
 * <p>Implementations must be thread-safe; every method may throw {@link KeyStoreException} when the store fails.
 */
public interface AnomalyLog {

    /** The most anomalies one read returns. */
    int MAX_READ = 1_000;

    /**
     * Takes or renews a lease: granted if nobody holds it, the holder is {@code holder} itself, or the holder's lease
     * ran out before {@code now}.
     *
     * @param name   the lease, e.g. {@code anomalies}
     * @param holder who asks, unique per instance
     * @param now    now
     * @param ttl    how long the lease lasts unless renewed, more than zero
     * @return whether {@code holder} holds the lease until {@code now + ttl}
     */
    boolean acquireLease(String name, String holder, Instant now, Duration ttl);

    /**
     * Records an anomaly unless one with its id was recorded before.
     *
     * @param anomaly the anomaly, open
     * @return {@code true} if this call recorded it (the caller announces it), {@code false} if it was there
     */
    boolean openAnomaly(Anomaly anomaly);

    /**
     * Closes every open anomaly whose window ended at or before {@code windowEndedBy}.
     *
     * @param windowEndedBy the latest window end closed
     * @param closedAt      the closing time recorded
     * @return how many were closed
     */
    int closeAnomalies(Instant windowEndedBy, Instant closedAt);

    /**
     * Reads anomalies, the most recently opened first (ties by id).
     *
     * @param tenantId only this tenant's (its keys' and its own), or {@code null} for all
     * @param keyId    only this key's, or {@code null} for all
     * @param openOnly only those still open
     * @param limit    the most to return, 1 to {@link #MAX_READ}
     * @return the anomalies
     */
    List<Anomaly> readAnomalies(String tenantId, String keyId, boolean openOnly, int limit);

    /**
     * Deletes the anomalies closed before {@code before}. Idempotent.
     *
     * @param before the oldest closing time kept
     * @return how many were deleted
     */
    long purgeAnomalies(Instant before);
}
