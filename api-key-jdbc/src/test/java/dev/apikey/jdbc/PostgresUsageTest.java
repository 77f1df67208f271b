package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsagePoint;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.VerifyRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verify counts of three instances on one real PostgreSQL, each with its own pool as separate processes would have:
 * after their flushes the totals are exact, per key, per tenant and in the unknown series; an instance that dies
 * (its scheduler stopped, never closed) loses what it counted since its last flush and nothing before. The clock is
 * fixed and every flush is called, so nothing waits on time.
 */
class PostgresUsageTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:30Z");
    private static final Instant MINUTE = Instant.parse("2026-12-03T10:00:00Z");
    private static HikariDataSource[] pools = new HikariDataSource[3];

    @BeforeAll
    static void pools() {
        for (int i = 0; i < pools.length; i++) {
            pools[i] = Databases.postgresPool(3);
        }
    }

    @AfterAll
    static void close() {
        for (HikariDataSource pool : pools) {
            pool.close();
        }
    }

    private static ApiKeys instance(HikariDataSource pool, String table, ScheduledExecutorService scheduler) {
        JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(table).pushChanges(false).build();
        store.createSchemaIfMissing();
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                .hasher(Sha256Hasher.create()).clock(Clock.fixed(NOW, ZoneOffset.UTC)).scheduler(scheduler)
                .usageFlushInterval(Duration.ofMinutes(1)).build();
    }

    private static String unknownId(String key) {
        int token = key.length() - KeyFormat.TOKEN_LENGTH;
        String body = key.substring(0, token) + "ZZZZZZZZ" + key.substring(token + KeyFormat.KEY_ID_LENGTH,
                key.length() - KeyFormat.CHECKSUM_LENGTH);
        return body + KeyFormat.checksum(body);
    }

    private static String wrongSecret(String key) {
        int token = key.length() - KeyFormat.TOKEN_LENGTH;
        String body = key.substring(0, token + KeyFormat.KEY_ID_LENGTH) + "w".repeat(KeyFormat.SECRET_LENGTH);
        return body + KeyFormat.checksum(body);
    }

    /** Each of {@code threads} threads: {@code rounds} times a grant of each key, a wrong secret, an unknown id. */
    private static void traffic(ApiKeys apiKeys, List<String> keys, int threads, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        for (String key : keys) {
                            assertThat(apiKeys.verify(VerifyRequest.header(key).remoteAddress("10.0." + thread + ".1"))
                                    .isGranted()).isTrue();
                        }
                        assertThat(apiKeys.verify(wrongSecret(keys.get(0)), null).isGranted()).isFalse();
                        assertThat(apiKeys.verify(unknownId(keys.get(0)), null).isGranted()).isFalse();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static UsagePoint minute(ApiKeys reader, UsageSubject subject) {
        return reader.usage().series(subject, MINUTE, MINUTE.plusSeconds(60), UsageGrain.MINUTE).get(0);
    }

    @Test
    void threeInstancesAddUpExactlyAndAKilledOneLosesOnlyWhatItCountedSinceItsLastFlush() throws Exception {
        String table = "usage_" + System.nanoTime() % 1_000_000;
        ScheduledExecutorService[] schedulers = new ScheduledExecutorService[3];
        ApiKeys[] instances = new ApiKeys[3];
        for (int i = 0; i < 3; i++) {
            schedulers[i] = Executors.newSingleThreadScheduledExecutor();
            instances[i] = instance(pools[i], table, schedulers[i]);
        }
        try {
            List<String> keys = List.of(
                    instances[0].create(KeySpec.builder("a").tenantId("92").scopes("events:read").build()).plaintext(),
                    instances[0].create(KeySpec.builder("b").tenantId("92").scopes("events:read").build()).plaintext(),
                    instances[0].create(KeySpec.builder("c").tenantId("7").scopes("events:read").build()).plaintext());
            int threads = 3;
            int rounds = 200;
            for (ApiKeys apiKeys : instances) {
                traffic(apiKeys, keys, threads, rounds);
            }
            for (ApiKeys apiKeys : instances) {
                apiKeys.usage().flush();
            }
            // The third instance counts more, then dies before its next flush: its scheduler stops, close never runs.
            traffic(instances[2], keys, threads, rounds);
            schedulers[2].shutdownNow();
            assertThat(schedulers[2].awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            // The two others count more and flush twice (the second adds nothing).
            traffic(instances[0], keys, threads, rounds);
            traffic(instances[1], keys, threads, rounds);
            for (int flush = 0; flush < 2; flush++) {
                instances[0].usage().flush();
                instances[1].usage().flush();
            }

            long perInstanceRun = (long) threads * rounds;
            long runs = 3 + 2;
            ApiKeys reader = instances[0];
            String a = keys.get(0).substring(keys.get(0).length() - KeyFormat.TOKEN_LENGTH,
                    keys.get(0).length() - KeyFormat.TOKEN_LENGTH + KeyFormat.KEY_ID_LENGTH);
            UsagePoint keyA = minute(reader, UsageSubject.key(a));
            assertThat(keyA.granted()).isEqualTo(runs * perInstanceRun);
            assertThat(keyA.outcomes().get("invalid_api_key")).as("wrong secrets").isEqualTo(runs * perInstanceRun);
            assertThat(keyA.networks()).as("10.0.0/24 to 10.0.2/24").isEqualTo(3);
            UsagePoint tenant92 = minute(reader, UsageSubject.tenant("92"));
            assertThat(tenant92.granted()).isEqualTo(2 * runs * perInstanceRun);
            assertThat(minute(reader, UsageSubject.tenant("7")).granted()).isEqualTo(runs * perInstanceRun);
            assertThat(minute(reader, UsageSubject.unknown()).outcomes())
                    .containsEntry("invalid_api_key", runs * perInstanceRun);
            assertThat(reader.usage().series(UsageSubject.tenant("92"), MINUTE, MINUTE.plusSeconds(3600),
                    UsageGrain.HOUR).get(0).total()).as("the hour row adds up the same").isEqualTo(tenant92.total());
        } finally {
            instances[0].close();
            instances[1].close();
            schedulers[0].shutdownNow();
            schedulers[1].shutdownNow();
        }
    }
}
