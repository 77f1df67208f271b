package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.Failure;
import dev.apikey.IssuedKey;
import dev.apikey.KeySpec;
import dev.apikey.Quota;
import dev.apikey.hash.Sha256Hasher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A quota counted together by three instances through PostgreSQL: 50 calls a day across all of them. */
class PostgresQuotaTest {

    @Test
    void aRotationContinuesTheQuotaOfTheKeyItReplaces() throws Exception {
        String url = Databases.postgres().getJdbcUrl("postgres", "postgres");
        String table = Databases.freshTable();
        try (HikariDataSource pool = PostgresRateLimitTest.pool(url, 2)) {
            JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(table).pushChanges(false).build();
            store.createSchemaIfMissing();
            try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                    .hasher(Sha256Hasher.create()).quotaCounter(JdbcQuotaCounter.builder(pool).tableName(table).build())
                    .build()) {
                IssuedKey old = apiKeys.create(KeySpec.builder("metered").scopes("events:read")
                        .quota(Quota.perDay(10)).build());
                for (int i = 0; i < 6; i++) {
                    assertThat(apiKeys.verify(old.plaintext(), "events:read").isGranted()).isTrue();
                }
                IssuedKey next = apiKeys.rotate(old.info().keyId(), java.time.Duration.ofMinutes(5));
                assertThat(next.info().quotaRemaining()).hasValue(4);
                int granted = 0;
                for (int i = 0; i < 8; i++) {
                    granted += apiKeys.verify((i % 2 == 0 ? next : old).plaintext(), "events:read").isGranted() ? 1 : 0;
                }
                assertThat(granted).isEqualTo(4);
            }
        }
    }

    @Test
    void threeInstancesShareOneQuota() throws Exception {
        String url = Databases.postgres().getJdbcUrl("postgres", "postgres");
        String table = Databases.freshTable();
        List<HikariDataSource> pools = new ArrayList<>();
        List<ApiKeys> instances = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                HikariDataSource pool = PostgresRateLimitTest.pool(url, 2);
                pools.add(pool);
                JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(table).pushChanges(false).build();
                store.createSchemaIfMissing();
                instances.add(ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                        .hasher(Sha256Hasher.create()).quotaCounter(JdbcQuotaCounter.builder(pool).tableName(table).build())
                        .build());
            }
            IssuedKey key = instances.get(0).create(KeySpec.builder("metered").scopes("events:read")
                    .quota(Quota.perDay(50)).build());

            int granted = 0;
            int exceeded = 0;
            for (int i = 0; i < 90; i++) {
                var v = instances.get(i % 3).verify(key.plaintext(), "events:read");
                if (v.isGranted()) {
                    granted++;
                } else if (v.failure().orElseThrow() == Failure.QUOTA_EXCEEDED) {
                    exceeded++;
                }
            }

            assertThat(granted).isEqualTo(50);
            assertThat(exceeded).isEqualTo(40);
            assertThat(instances.get(2).get(key.info().keyId()).orElseThrow().quotaRemaining()).hasValue(0);
        } finally {
            instances.forEach(ApiKeys::close);
            pools.forEach(HikariDataSource::close);
        }
    }
}
