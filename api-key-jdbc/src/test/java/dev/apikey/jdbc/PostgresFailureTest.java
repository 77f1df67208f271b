package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.KeyStoreException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the JDBC store behaves when PostgreSQL fails: 503 for misses, cached keys keep working, nothing half-written. */
class PostgresFailureTest {

    private static ApiKeys apiKeys(JdbcKeyStore store) {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                .hasher(Sha256Hasher.create()).cacheMaxStaleness(Duration.ofMinutes(5)).build();
    }

    private static HikariDataSource pool(String url, int size, long connectionTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(connectionTimeoutMillis);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    @Test
    void aDatabaseThatGoesAwayGivesStoreUnavailableForMissesWhileCachedKeysKeepVerifying() throws Exception {
        EmbeddedPostgres own = EmbeddedPostgres.builder().start();
        try (HikariDataSource ds = pool(own.getJdbcUrl("postgres", "postgres"), 2, 500)) {
            // No push: its listener would hold one of the two connections, and its notice of the creates could
            // drop the cached key just before the database goes away.
            JdbcKeyStore store = JdbcKeyStore.builder(ds).pushChanges(false).build();
            store.createSchemaIfMissing();
            try (ApiKeys keys = apiKeys(store)) {
                IssuedKey cached = keys.create(KeySpec.builder("cached").scopes("events:read").build());
                IssuedKey cold = keys.create(KeySpec.builder("cold").scopes("events:read").build());
                assertThat(keys.verify(cached.plaintext(), "events:read").isGranted()).isTrue();

                own.close();
                ds.getHikariPoolMXBean().softEvictConnections();

                assertThat(keys.verify(cached.plaintext(), "events:read").isGranted()).isTrue();
                assertThat(keys.verify(cold.plaintext(), "events:read").failure()).contains(Failure.STORE_UNAVAILABLE);
            }
        } finally {
            own.close();
        }
    }

    @Test
    void aStatementThatTimesOutGivesStoreUnavailableAndAFailedCreateLeavesNoRow() throws Exception {
        try (HikariDataSource ds = Databases.postgresPool(4)) {
            JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(Databases.freshTable())
                    .queryTimeout(Duration.ofSeconds(1)).build();
            store.createSchemaIfMissing();
            try (ApiKeys keys = apiKeys(store)) {
                IssuedKey key = keys.create(KeySpec.builder("k").scopes("events:read").build());
                String table = store.toString().replaceAll(".*\\[(.*)]", "$1");
                try (Connection locker = ds.getConnection(); Statement s = locker.createStatement()) {
                    locker.setAutoCommit(false);
                    s.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");

                    assertThat(keys.verify(key.plaintext(), "events:read").failure()).contains(Failure.STORE_UNAVAILABLE);
                    assertThatExceptionOfType(KeyStoreException.class)
                            .isThrownBy(() -> keys.create(KeySpec.builder("during-lock").scopes("events:read").build()))
                            .withMessageNotContaining("$sha256$");
                    locker.rollback();
                }
                assertThat(keys.listAll()).extracting(i -> i.attributes().name()).containsExactly("k");
                assertThat(keys.verify(key.plaintext(), "events:read").isGranted()).isTrue();
            }
        }
    }

    @Test
    void anExhaustedPoolFailsFastWithStoreUnavailable() throws Exception {
        try (HikariDataSource ds = pool(Databases.postgres().getJdbcUrl("postgres", "postgres"), 1, 250)) {
            // A pool of one: the push's listener would hold it.
            JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(Databases.freshTable()).pushChanges(false).build();
            store.createSchemaIfMissing();
            try (ApiKeys keys = apiKeys(store)) {
                IssuedKey key = keys.create(KeySpec.builder("k").scopes("events:read").build());
                try (Connection held = ds.getConnection()) {
                    assertThat(held.isValid(1)).isTrue();
                    assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                            assertThat(keys.verify(key.plaintext(), "events:read").failure())
                                    .contains(Failure.STORE_UNAVAILABLE));
                }
                // A failed load is tried again after a second, not on every request (issue 30).
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(keys.verify(key.plaintext(), "events:read").isGranted()).isTrue());
            }
        }
    }

    @Test
    void tableNamesAreValidated() {
        JdbcKeyStore.Builder builder = JdbcKeyStore.builder(new org.h2.jdbcx.JdbcDataSource());
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        for (String bad : new String[] {"", "Keys", "api-keys", "keys; DROP TABLE x", "1keys", "a.b.c"}) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> builder.tableName(bad))
                    .withMessageStartingWith("tableName");
            assertThatIllegalArgumentException().as("meter: " + bad)
                    .isThrownBy(() -> JdbcMeter.builder(h2).tableName(bad)).withMessageStartingWith("tableName");
        }
        assertThat(JdbcKeyStore.builder(new org.h2.jdbcx.JdbcDataSource()).tableName("auth.api_keys").build())
                .hasToString("JdbcKeyStore[auth.api_keys]");
    }
}
