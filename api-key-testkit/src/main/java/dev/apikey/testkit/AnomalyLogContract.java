package dev.apikey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Anomaly;
import dev.apikey.model.UsageSubject;
import dev.apikey.spi.AnomalyLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AnomalyLog} must do, as a JUnit 5 test class to extend (this project runs it on the in-memory
 * store, H2 and PostgreSQL): an anomaly is opened once, whoever opens it and however many at once; a lease is held by
 * one holder until it runs out, renewed by its holder; closing closes the ended windows only; reads filter by tenant,
 * key and openness, the newest first; a purge deletes only what was closed before.
 */
public abstract class AnomalyLogContract {

    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(10);

    /** The log under test, made by {@link #newAnomalyLog()} before each case. */
    protected AnomalyLog log;

    /** Extended by a test class per store. */
    protected AnomalyLogContract() {
    }

    /**
     * A new, empty anomaly log.
     *
     * @return the log
     */
    protected abstract AnomalyLog newAnomalyLog();

    /** Releases what {@link #newAnomalyLog()} made; nothing by default. */
    protected void closeLog() {
    }

    @BeforeEach
    void newLog() {
        log = newAnomalyLog();
    }

    @AfterEach
    void close() {
        closeLog();
    }

    private static Anomaly burst(String keyId, String tenant, Instant window, Instant opened) {
        return Anomaly.open(Anomaly.Kind.REFUSAL_BURST, UsageSubject.key(keyId), tenant, window,
                window.plusSeconds(3_600), 42, 2, null, opened);
    }

    @Test
    void anAnomalyIsOpenedOnceAndReadBackWhole() {
        Anomaly a = burst("AbCd1234", "92", T, T.plusSeconds(60));
        Anomaly tenant = Anomaly.open(Anomaly.Kind.QUOTA_WARNING, UsageSubject.tenant("92"), "92", T,
                T.plusSeconds(86_400), 80, 100, "daily", T.plusSeconds(30));

        assertThat(log.openAnomaly(a)).isTrue();
        assertThat(log.openAnomaly(burst("AbCd1234", "92", T, T.plusSeconds(120)))).as("the same id").isFalse();
        assertThat(log.openAnomaly(tenant)).isTrue();

        assertThat(log.readAnomalies(null, null, false, 10)).containsExactly(a, tenant);
    }

    @Test
    void concurrentOpensOfOneAnomalyOpenItOnce() throws Exception {
        List<Callable<Boolean>> opens = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Instant opened = T.plusSeconds(i);
            opens.add(() -> log.openAnomaly(burst("AbCd1234", "92", T, opened)));
        }
        assertThat(all(opens)).containsOnlyOnce(true).hasSize(8);
        assertThat(log.readAnomalies(null, null, false, 10)).hasSize(1);
    }

    @Test
    void aLeaseIsHeldByOneHolderUntilItRunsOut() throws Exception {
        assertThat(log.acquireLease("anomalies", "a", T, TTL)).isTrue();
        assertThat(log.acquireLease("anomalies", "b", T.plusSeconds(60), TTL)).isFalse();
        assertThat(log.acquireLease("other", "b", T.plusSeconds(60), TTL)).as("another lease").isTrue();
        assertThat(log.acquireLease("anomalies", "a", T.plusSeconds(300), TTL)).as("renewed").isTrue();
        assertThat(log.acquireLease("anomalies", "b", T.plusSeconds(600), TTL)).as("renewed till 10:15").isFalse();
        assertThat(log.acquireLease("anomalies", "b", T.plus(TTL).plusSeconds(301), TTL)).isTrue();
        assertThat(log.acquireLease("anomalies", "a", T.plus(TTL).plusSeconds(302), TTL)).isFalse();

        List<Callable<Boolean>> takes = new ArrayList<>();
        Instant later = T.plus(Duration.ofHours(1));
        for (int i = 0; i < 8; i++) {
            String holder = "h" + i;
            takes.add(() -> log.acquireLease("race", holder, later, TTL));
        }
        assertThat(all(takes)).as("a free lease taken by many at once").containsOnlyOnce(true);
    }

    @Test
    void closingClosesEndedWindowsAndReadsFilter() {
        Anomaly early = burst("AbCd1234", "92", T.minusSeconds(3_600), T.minusSeconds(3_000));
        Anomaly now = burst("AbCd1234", "92", T, T.plusSeconds(60));
        Anomaly otherKey = burst("ZyXw9876", "92", T, T.plusSeconds(90));
        Anomaly otherTenant = burst("QqQq1111", "7", T, T.plusSeconds(120));
        List.of(early, now, otherKey, otherTenant).forEach(log::openAnomaly);

        assertThat(log.closeAnomalies(T, T.plusSeconds(130))).isEqualTo(1);

        assertThat(log.readAnomalies(null, null, true, 10)).containsExactly(otherTenant, otherKey, now);
        assertThat(log.readAnomalies("92", null, false, 10)).containsExactly(otherKey, now,
                early.closed(T.plusSeconds(130)));
        assertThat(log.readAnomalies("92", "AbCd1234", true, 10)).containsExactly(now);
        assertThat(log.readAnomalies(null, null, false, 2)).containsExactly(otherTenant, otherKey);
        assertThat(log.closeAnomalies(T, T.plusSeconds(140))).as("closed once").isZero();
    }

    @Test
    void aPurgeDeletesOnlyWhatWasClosedBefore() {
        log.openAnomaly(burst("AbCd1234", "92", T.minusSeconds(7_200), T.minusSeconds(7_000)));
        log.closeAnomalies(T.minusSeconds(3_600), T.minusSeconds(3_600));
        log.openAnomaly(burst("AbCd1234", "92", T.minusSeconds(3_600), T.minusSeconds(3_000)));
        log.closeAnomalies(T, T);
        Anomaly open = burst("AbCd1234", "92", T, T.plusSeconds(60));
        log.openAnomaly(open);

        assertThat(log.purgeAnomalies(T)).isEqualTo(1);
        assertThat(log.readAnomalies(null, null, false, 10)).hasSize(2).contains(open);
    }

    private static List<Boolean> all(List<Callable<Boolean>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Boolean> out = new ArrayList<>();
            for (Future<Boolean> f : pool.invokeAll(calls, 30, TimeUnit.SECONDS)) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
