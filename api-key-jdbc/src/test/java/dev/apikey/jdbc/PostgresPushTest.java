package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes pushed between instances on a real PostgreSQL (LISTEN/NOTIFY): three instances, each with its own store
 * and pool as separate processes would have, and a poll slowed to a minute so only the push can carry a revoke; the fallback to
 * polling when the listening connection is killed, and its reconnect; a change that commits late is still seen by the
 * poll. Timings are logged (dev.apikey.test.push), not asserted beyond generous bounds.
 */
class PostgresPushTest {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.test.push");
    private static HikariDataSource poolA;
    private static HikariDataSource poolB;
    private static HikariDataSource poolC;

    @BeforeAll
    static void pools() {
        poolA = Databases.postgresPool(4);
        poolB = Databases.postgresPool(4);
        poolC = Databases.postgresPool(4);
    }

    @AfterAll
    static void close() {
        poolA.close();
        poolB.close();
        poolC.close();
    }

    static ApiKeys instance(HikariDataSource pool, String table, boolean push, Duration poll) {
        JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(table).pushChanges(push).build();
        store.createSchemaIfMissing();
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                .hasher(Sha256Hasher.create()).cacheMaxStaleness(Duration.ofMinutes(10)).changeFeedPollInterval(poll)
                .build();
    }

    /**
     * Milliseconds from each revoke on A until every other instance refuses the key, for this many keys revoked at
     * random moments over two seconds (so a poll's phase is sampled, not always its worst), while the others check
     * every key in a loop.
     */
    static List<Long> revocationTimes(ApiKeys a, List<ApiKeys> others, int n, Duration settle) throws Exception {
        List<IssuedKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(a.create(KeySpec.builder("k" + i).scopes("events:read").build()));
        }
        // Until B has heard of the creates (a notice, or a poll), which drops its cached copies once more.
        Thread.sleep(settle.toMillis());
        for (IssuedKey k : keys) {
            for (ApiKeys b : others) {
                assertThat(b.verify(k.plaintext(), "events:read").isGranted()).isTrue();
            }
        }
        java.util.Random random = new java.util.Random(42);
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = random.nextInt(2_000);
        }
        long[] revokedAt = new long[n];
        long[] refusedAt = new long[n];
        long t0 = System.nanoTime();
        Thread revoker = new Thread(() -> {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> offsets[i]));
            for (int i : order) {
                long wait = t0 + offsets[i] * 1_000_000 - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                revokedAt[i] = System.nanoTime();
                a.revoke(keys.get(i).info().keyId());
            }
        });
        revoker.start();
        long deadline = t0 + Duration.ofSeconds(10).toNanos();
        int refused = 0;
        while (refused < n && System.nanoTime() < deadline) {
            for (int i = 0; i < n; i++) {
                int index = i;
                if (refusedAt[i] == 0 && others.stream().noneMatch(
                        b -> b.verify(keys.get(index).plaintext(), "events:read").isGranted())) {
                    refusedAt[i] = System.nanoTime();
                    refused++;
                }
            }
        }
        revoker.join(10_000);
        assertThat(refused).as("every key refused by every other instance within 10 s").isEqualTo(n);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (ApiKeys b : others) {
                assertThat(b.verify(keys.get(i).plaintext(), "events:read").failure())
                        .contains(Failure.REVOKED_API_KEY);
            }
            times.add(Math.max(0, refusedAt[i] - revokedAt[i]) / 1_000_000);
        }
        Collections.sort(times);
        return times;
    }

    static String summary(List<Long> sorted) {
        return "p50 " + sorted.get(sorted.size() / 2) + " ms, p99 " + sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1)
                + " ms, max " + sorted.get(sorted.size() - 1) + " ms over " + sorted.size();
    }

    @Test
    void aRevokeIsPushedToTheOtherInstanceWithoutWaitingForAPoll() throws Exception {
        String table = Databases.freshTable();
        try (ApiKeys a = instance(poolA, table, true, Duration.ofMinutes(1));
                ApiKeys b = instance(poolB, table, true, Duration.ofMinutes(1));
                ApiKeys c = instance(poolC, table, true, Duration.ofMinutes(1))) {
            List<Long> times = revocationTimes(a, List.of(b, c), 100, Duration.ofMillis(300));
            LOG.info("pushed revocations: {}", summary(times));
            assertThat(times.get(times.size() - 1)).as("every one well before the minute's poll").isLessThan(5_000);
        }
    }

    @Test
    void pollingAloneRefusesWithinAPoll() throws Exception {
        String table = Databases.freshTable();
        try (ApiKeys a = instance(poolA, table, false, Duration.ofSeconds(1));
                ApiKeys b = instance(poolB, table, false, Duration.ofSeconds(1));
                ApiKeys c = instance(poolC, table, false, Duration.ofSeconds(1))) {
            List<Long> times = revocationTimes(a, List.of(b, c), 100, Duration.ofMillis(1_500));
            LOG.info("polled revocations (1 s interval): {}", summary(times));
        }
    }

    @Test
    void aKilledListenerFallsBackToPollingAndReconnects() throws Exception {
        String table = Databases.freshTable();
        try (ApiKeys a = instance(poolA, table, true, Duration.ofMillis(200));
                ApiKeys b = instance(poolB, table, true, Duration.ofMillis(200))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (listeners() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(listeners()).as("both instances listen").isGreaterThanOrEqualTo(2);
            try (Connection c = poolA.getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN apikey_%'");
            }

            List<Long> times = revocationTimes(a, List.of(b), 5, Duration.ofMillis(500));
            assertThat(times.get(times.size() - 1)).as("the poll covers the gap").isLessThan(5_000);

            deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (listeners() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(listeners()).as("listening again after the backoff").isGreaterThanOrEqualTo(2);
        }
    }

    private static int listeners() throws Exception {
        try (Connection c = poolA.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN apikey_%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aChangeThatCommitsAfterALaterOneIsStillSeenByThePoll() throws Exception {
        String table = Databases.freshTable();
        try (ApiKeys a = instance(poolA, table, false, Duration.ofMillis(100));
                ApiKeys b = instance(poolB, table, false, Duration.ofMillis(100))) {
            IssuedKey late = a.create(KeySpec.builder("late").scopes("events:read").build());
            IssuedKey early = a.create(KeySpec.builder("early").scopes("events:read").build());
            Thread.sleep(400);
            assertThat(b.verify(late.plaintext(), "events:read").isGranted()).isTrue();
            assertThat(b.verify(early.plaintext(), "events:read").isGranted()).isTrue();

            try (Connection slow = poolA.getConnection(); Statement s = slow.createStatement()) {
                slow.setAutoCommit(false);
                // Takes the lower sequence number first, commits last.
                s.executeUpdate("UPDATE " + table + " SET revoked_utc = now(), change_seq = nextval('" + table
                        + "_change_seq') WHERE key_id = '" + late.info().keyId() + "'");
                a.revoke(early.info().keyId());
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (b.verify(early.plaintext(), "events:read").isGranted() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(b.verify(early.plaintext(), "events:read").failure()).contains(Failure.REVOKED_API_KEY);
                Thread.sleep(300); // polls that read past the uncommitted number
                slow.commit();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (b.verify(late.plaintext(), "events:read").isGranted() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(b.verify(late.plaintext(), "events:read").failure()).as("seen though it committed late")
                    .contains(Failure.REVOKED_API_KEY);
        }
    }
}
