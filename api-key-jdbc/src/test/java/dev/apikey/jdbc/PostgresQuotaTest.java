package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quotas counted together by three instances through PostgreSQL ({@link JdbcMeter}): 50 calls a day across all of
 * them, a tenant's plan shared by its keys, a rotation that continues its key's count.
 */
class PostgresQuotaTest {

    @Test
    void aRotationContinuesTheQuotaOfTheKeyItReplaces() throws Exception {
        String url = Databases.postgres().getJdbcUrl("postgres", "postgres");
        String table = Databases.freshTable();
        try (HikariDataSource pool = PostgresRateLimitTest.pool(url, 2)) {
            JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(table).pushChanges(false).build();
            store.createSchemaIfMissing();
            try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                    .hasher(Sha256Hasher.create()).meter(PostgresRateLimitTest.meter(pool, table))
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
                instances.add(PostgresRateLimitTest.instance(pool, table, PostgresRateLimitTest.meter(pool, table),
                        false));
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

    @Test
    void threeInstancesShareATenantQuotaOf50AndAKeyRateOf100AMinute() throws Exception {
        String url = Databases.postgres().getJdbcUrl("postgres", "postgres");
        String table = Databases.freshTable();
        List<HikariDataSource> pools = new ArrayList<>();
        List<ApiKeys> instances = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                HikariDataSource pool = PostgresRateLimitTest.pool(url, 3);
                pools.add(pool);
                instances.add(PostgresRateLimitTest.instance(pool, table, PostgresRateLimitTest.meter(pool, table),
                        false));
            }
            instances.get(0).setTenantAllowances("92", List.of(Quota.perDay(50).named("plan")));
            IssuedKey a = instances.get(1).create(KeySpec.builder("a").tenantId("92").scopes("events:read")
                    .rateLimit(RateLimit.perMinute(100)).build());
            IssuedKey b = instances.get(2).create(KeySpec.builder("b").tenantId("92").scopes("events:read").build());
            IssuedKey c = instances.get(0).create(KeySpec.builder("c").tenantId("93").scopes("events:read")
                    .rateLimit(RateLimit.perMinute(100)).build());

            int tenantGrants = 0;
            for (int i = 0; i < 90; i++) {
                IssuedKey key = i % 2 == 0 ? a : b;
                tenantGrants += instances.get(i % 3).verify(key.plaintext(), "events:read").isGranted() ? 1 : 0;
            }
            int rateGrants = dev.apikey.testkit.InstanceLoad.grants(instances, c.plaintext(), "events:read",
                    Duration.ofSeconds(2));

            assertThat(tenantGrants).as("one plan of 50 for both keys of tenant 92, on three instances").isEqualTo(50);
            // 100 at once, the refill of 2 s (about 4), one call in flight per thread at the end.
            assertThat(rateGrants).as("the key rate of 100/min across three instances").isBetween(100, 108);
        } finally {
            instances.forEach(ApiKeys::close);
            pools.forEach(HikariDataSource::close);
        }
    }
}
