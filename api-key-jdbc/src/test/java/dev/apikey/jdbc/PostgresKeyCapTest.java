package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.KeyManager;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.KeyLimitReachedException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.TooManyCreatesException;
import dev.apikey.spi.Meter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 26 §2 on PostgreSQL with two instances sharing the database: creates racing for a tenant's last places never
 * leave it over its cap, and an actor's creates per minute are counted once for both instances by the shared meter.
 */
class PostgresKeyCapTest {

    private static final int CAP = 3;

    private static ApiKeys instance(HikariDataSource pool, String table, Meter meter) {
        JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(table).pushChanges(false).build();
        store.createSchemaIfMissing();
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                .hasher(Sha256Hasher.create()).meter(meter).maxLiveKeysPerTenant(CAP).createsPerMinute(5).build();
    }

    @Test
    void createsRacingOnTwoInstancesNeverLeaveATenantOverItsCap() throws Exception {
        String url = Databases.postgres().getJdbcUrl("postgres", "postgres");
        String table = Databases.freshTable();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (HikariDataSource a = PostgresRateLimitTest.pool(url, 4); HikariDataSource b = PostgresRateLimitTest.pool(url, 4);
                HikariDataSource meters = PostgresRateLimitTest.pool(url, 2)) {
            Meter meter = PostgresRateLimitTest.meter(meters, table);
            try (ApiKeys first = instance(a, table, meter); ApiKeys second = instance(b, table, meter)) {
                KeySpec spec = KeySpec.builder("racer").tenantId("92").scopes("events:read").build();
                for (int round = 0; round < 5; round++) {
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<?>> racers = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        // Eight admins, so that no one's creates per minute refuse.
                        KeyManager on = (i % 2 == 0 ? first : second).manage(new Actor("user:admin-" + i,
                                GrantCeiling.everything(), null));
                        racers.add(threads.submit(() -> {
                            go.await(10, TimeUnit.SECONDS);
                            return on.create(spec);
                        }));
                    }
                    go.countDown();
                    int created = 0;
                    for (Future<?> racer : racers) {
                        try {
                            racer.get(30, TimeUnit.SECONDS);
                            created++;
                        } catch (ExecutionException e) {
                            assertThat(e.getCause()).isInstanceOf(KeyLimitReachedException.class);
                        }
                    }
                    List<ApiKeyInfo> live = first.list("92").stream().filter(ApiKeyInfo::isActive).toList();
                    assertThat(live).as("round %d", round).hasSizeLessThanOrEqualTo(CAP).hasSize(created);
                    live.forEach(k -> second.revoke(k.keyId()));
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anActorsCreatesPerMinuteAreCountedOnceForEveryInstance() throws Exception {
        String url = Databases.postgres().getJdbcUrl("postgres", "postgres");
        String table = Databases.freshTable();
        try (HikariDataSource a = PostgresRateLimitTest.pool(url, 2); HikariDataSource b = PostgresRateLimitTest.pool(url, 2);
                HikariDataSource meters = PostgresRateLimitTest.pool(url, 2)) {
            Meter meter = PostgresRateLimitTest.meter(meters, table);
            try (ApiKeys first = instance(a, table, meter); ApiKeys second = instance(b, table, meter)) {
                Actor alice = new Actor("user:alice", GrantCeiling.everything(), null);
                List<KeyManager> both = List.of(first.manage(alice), second.manage(alice));
                int granted = 0;
                int refused = 0;
                for (int i = 0; i < 8; i++) {
                    try {
                        both.get(i % 2).create(KeySpec.builder("k").tenantId("t" + i).scopes("events:read").build());
                        granted++;
                    } catch (TooManyCreatesException e) {
                        refused++;
                    }
                }
                // Five a minute, for both instances together (a token or so may refill during the run).
                assertThat(granted).isBetween(5, 6);
                assertThat(refused).isEqualTo(8 - granted);
            }
        }
    }
}
