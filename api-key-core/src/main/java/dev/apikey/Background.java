package dev.apikey;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ApiKeys}'s work off the request path, on the host's scheduler or on two daemon threads of its own: one for
 * the short, frequent work (the last-use and usage flushes, the change-feed polls and the store's pushed changes, the
 * hash upgrades), one for the long runs (the anomaly detection, the hygiene check, the history purge), so that a run
 * of seconds never holds back a flush or a revocation's poll.
 * {@link #close} cancels it all, stops the scheduler it owns (bounded wait) and flushes, so that a redeployed webapp
 * leaves no thread behind.
 *
 * <p>Thread-safe. Package-private.
 */
final class Background {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.lifecycle");

    /** The scheduler this instance created and must stop, or {@code null} if the host passed one. */
    private final ScheduledExecutorService ownScheduler;
    private final ScheduledExecutorService scheduler;
    /** The long runs' scheduler this instance created and must stop, or {@code null} if the host passed one. */
    private final ScheduledExecutorService ownLongRuns;
    private final ScheduledExecutorService longRuns;
    private final KeyCache cache;
    private final ChangeFeedFollower follower;
    private final Rehasher rehasher;
    private final long createdAtMillis;
    private ScheduledFuture<?> flushes;
    /** The usage flush, or {@code null} when nothing is counted. */
    private ScheduledFuture<?> usageFlushes;
    private ScheduledFuture<?> changePolls;
    /** The scheduled hygiene check, or {@code null} if there is nothing to check. */
    private ScheduledFuture<?> hygieneChecks;
    /** The daily purge of old history, or {@code null} if the store keeps none. */
    private ScheduledFuture<?> historyPurges;
    /** The anomaly detection (issue 27 §3), or {@code null} if none is configured. */
    private ScheduledFuture<?> anomalyRuns;

    Background(ApiKeysConfig config, ScheduledExecutorService hostScheduler, KeyCache cache) {
        this.ownScheduler = hostScheduler == null ? newScheduler("apikey-maintenance-" + config.prefix()) : null;
        this.scheduler = hostScheduler == null ? ownScheduler : hostScheduler;
        this.ownLongRuns = hostScheduler == null ? newScheduler("apikey-long-runs-" + config.prefix()) : null;
        this.longRuns = hostScheduler == null ? ownLongRuns : hostScheduler;
        this.cache = cache;
        this.rehasher = new Rehasher(config.store(), config.hashing(), scheduler, config.clock(), Rehasher.CAPACITY);
        this.follower = new ChangeFeedFollower(config, cache);
        this.createdAtMillis = config.clock().millis();
    }

    private static ScheduledExecutorService newScheduler(String threadName) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            // Not the creating thread's context loader (in a servlet container, the web application's, which the
            // thread would keep alive and which the container reports as leaked): this library's own.
            t.setContextClassLoader(Background.class.getClassLoader());
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /** {@return the hash upgrades' queue, for the verify path} */
    Rehasher rehasher() {
        return rehasher;
    }

    /** Starts the flushes, the feed (its position, then its polls and pushes) and, if it has work, the hygiene. */
    synchronized void start(ApiKeysConfig config, KeyHygiene hygiene, KeyHistoryReader history) {
        long interval = config.lastUsedFlushInterval().toMillis();
        flushes = scheduler.scheduleWithFixedDelay(cache::flushLastUse, interval, interval, TimeUnit.MILLISECONDS);
        long usageEvery = config.usage().flushInterval().toMillis();
        usageFlushes = cache.usage() == null ? null : scheduler.scheduleWithFixedDelay(cache::flushUsage, usageEvery,
                usageEvery, TimeUnit.MILLISECONDS);
        follower.start();
        follower.subscribe();
        long poll = config.changeFeedPollInterval().toMillis();
        changePolls = scheduler.scheduleWithFixedDelay(follower::poll, poll, poll, TimeUnit.MILLISECONDS);
        long every = config.hygieneInterval().toMillis();
        hygieneChecks = hygiene.hasWork() ? longRuns.scheduleWithFixedDelay(hygiene::runScheduled,
                Math.min(every, 60_000), every, TimeUnit.MILLISECONDS) : null;
        long day = TimeUnit.DAYS.toMillis(1);
        historyPurges = history.isKept() ? longRuns.scheduleWithFixedDelay(history::purgeScheduled,
                TimeUnit.MINUTES.toMillis(10), day, TimeUnit.MILLISECONDS) : null;
    }

    /**
     * Starts the anomaly detection if it is configured.
     *
     * @return its reader, or {@code null} if none is configured
     */
    synchronized Anomalies startAnomalies(ApiKeysConfig config) {
        AnomalyPolicy policy = config.usage().anomalies();
        if (policy == null) {
            return null;
        }
        dev.apikey.spi.UsageStore usage = config.usage().store();
        dev.apikey.spi.AnomalyLog log = usage instanceof dev.apikey.spi.AnomalyLog l ? l
                : (dev.apikey.spi.AnomalyLog) config.store();
        AnomalyDetector detector = new AnomalyDetector(policy, log, usage, config);
        long every = policy.interval().toMillis();
        anomalyRuns = longRuns.scheduleWithFixedDelay(detector::runScheduled, every, every, TimeUnit.MILLISECONDS);
        return new Anomalies(detector, log);
    }

    /** {@return how long ago the change feed was last read; see {@link ChangeFeedFollower#lagMillis}} */
    long changeFeedLagMillis() {
        return follower.lagMillis(createdAtMillis);
    }

    /** Cancels every task, stops the scheduler this instance owns (5 s at most), and writes the last uses. */
    synchronized void close(Object owner) {
        changePolls.cancel(false);
        follower.close();
        if (hygieneChecks != null) {
            hygieneChecks.cancel(false);
        }
        if (historyPurges != null) {
            historyPurges.cancel(false);
        }
        if (anomalyRuns != null) {
            anomalyRuns.cancel(false);
        }
        flushes.cancel(false);
        if (usageFlushes != null) {
            usageFlushes.cancel(false);
        }
        rehasher.close();
        stop(ownLongRuns, owner);
        stop(ownScheduler, owner);
        cache.flushLastUse();
        cache.flushUsage();
    }

    /** Stops a scheduler this instance owns: 5 s at most for the task in flight. */
    private static void stop(ScheduledExecutorService own, Object owner) {
        if (own == null) {
            return;
        }
        own.shutdown();
        try {
            if (!own.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("background work of {} did not stop within 5 s", owner);
                own.shutdownNow();
            }
        } catch (InterruptedException e) {
            own.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
