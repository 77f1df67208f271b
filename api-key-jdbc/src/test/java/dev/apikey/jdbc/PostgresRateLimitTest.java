package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.ApiKeysBuilder;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Verification;
import dev.apikey.spi.Meter;
import dev.apikey.testkit.InstanceLoad;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limits shared through PostgreSQL ({@link JdbcMeter}) by three instances with their own caches and pools: a key
 * limited to 100 a minute gets about 100 grants across the three, where the in-process meter grants about 300. A
 * database that goes away fails open or closed as configured, each check bounded by the timeout.
 */
class PostgresRateLimitTest {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.test.ratelimit");

    static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    static ApiKeys instance(HikariDataSource keys, String table, Meter meter, boolean failClosed) {
        JdbcKeyStore store = JdbcKeyStore.builder(keys).tableName(table).pushChanges(false).build();
        store.createSchemaIfMissing();
        ApiKeysBuilder b = ApiKeys.builder().prefix("wlcro").store(store)
                .scopes(dev.apikey.testkit.KeyStoreContract.SCOPES).hasher(Sha256Hasher.create())
                .meterFailClosed(failClosed);
        if (meter != null) {
            b.meter(meter);
        }
        return b.build();
    }

    /** A meter on the pool, its table made. */
    static JdbcMeter meter(HikariDataSource pool, String table) {
        JdbcMeter meter = JdbcMeter.builder(pool).tableName(table).build();
        meter.createSchemaIfMissing();
        return meter;
    }

    @Test
    void threeInstancesShareOneLimitWhereLocalLimitersGiveThreeTimesIt() throws Exception {
        String url = Databases.postgres().getJdbcUrl("postgres", "postgres");
        String shared = Databases.freshTable();
        String local = Databases.freshTable();
        List<HikariDataSource> pools = new ArrayList<>();
        List<ApiKeys> sharing = new ArrayList<>();
        List<ApiKeys> alone = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                HikariDataSource keys = pool(url, 2);
                HikariDataSource limits = pool(url, 2);
                pools.add(keys);
                pools.add(limits);
                sharing.add(instance(keys, shared, meter(limits, shared), false));
                alone.add(instance(keys, local, null, false));
            }
            IssuedKey key = sharing.get(0).create(KeySpec.builder("limited").scopes("events:read")
                    .rateLimit(RateLimit.perMinute(100)).build());
            IssuedKey localKey = alone.get(0).create(KeySpec.builder("limited").scopes("events:read")
                    .rateLimit(RateLimit.perMinute(100)).build());

            int sharedGrants = InstanceLoad.grants(sharing, key.plaintext(), "events:read", Duration.ofSeconds(3));
            int localGrants = InstanceLoad.grants(alone, localKey.plaintext(), "events:read", Duration.ofSeconds(3));
            LOG.info("100/min over 3 s on 3 instances: shared meter {} grants, local meters {} grants",
                    sharedGrants, localGrants);

            // 100 at once, plus the refill during the run (100/min is 5 more in 3 s), plus one call in flight per
            // thread when the run ends.
            assertThat(sharedGrants).isBetween(100, 108);
            assertThat(localGrants).isGreaterThanOrEqualTo(300);
        } finally {
            sharing.forEach(ApiKeys::close);
            alone.forEach(ApiKeys::close);
            pools.forEach(HikariDataSource::close);
        }
    }

    @Test
    void aDatabaseThatGoesAwayFailsOpenOrClosedWithinTheTimeout() throws Exception {
        EmbeddedPostgres own = EmbeddedPostgres.builder().start();
        String url = own.getJdbcUrl("postgres", "postgres");
        try (HikariDataSource keys = pool(url, 2); HikariDataSource limits = pool(url, 2)) {
            JdbcMeter meter = JdbcMeter.builder(limits).timeout(Duration.ofMillis(200)).build();
            meter.createSchemaIfMissing();
            try (ApiKeys open = instance(keys, "api_keys", meter, false);
                    ApiKeys closed = instance(keys, "api_keys", meter, true)) {
                IssuedKey key = open.create(KeySpec.builder("k").scopes("events:read")
                        .rateLimit(RateLimit.perMinute(1_000)).build());
                assertThat(open.verify(key.plaintext(), "events:read").isGranted()).isTrue();
                assertThat(closed.verify(key.plaintext(), "events:read").isGranted()).isTrue();
                IssuedKey quoted = open.create(KeySpec.builder("q").scopes("events:read")
                        .allowance(dev.apikey.model.Quota.perDay(1_000)).build());
                assertThat(closed.verify(quoted.plaintext(), "events:read").isGranted()).isTrue();
                assertThat(open.verify(quoted.plaintext(), "events:read").isGranted()).isTrue();

                own.close();
                limits.getHikariPoolMXBean().softEvictConnections();

                long start = System.nanoTime();
                assertThat(open.verify(key.plaintext(), "events:read").isGranted()).as("fail open").isTrue();
                Verification refused = closed.verify(key.plaintext(), "events:read");
                long took = (System.nanoTime() - start) / 1_000_000;
                assertThat(refused.failure()).as("fail closed").contains(Failure.RATE_LIMIT_UNAVAILABLE);
                assertThat(refused.retryAfter()).contains(Duration.ofSeconds(1));
                assertThat(Failure.RATE_LIMIT_UNAVAILABLE.httpStatus()).isEqualTo(503);
                // Not a speed claim: a hang would last the driver's own timeouts (minutes). Two checks, each bounded by
                // the pool's 250 ms and the meter's 200 ms, with a margin of ten for a busy machine.
                assertThat(took).as("both checks bounded by the pool's and the meter's timeouts")
                        .isLessThan(10 * 2 * (250 + 200));
                assertThat(open.stats().rateLimiterFailures()).isEqualTo(1);
                assertThat(closed.stats().rateLimiterFailures()).isEqualTo(1);
                // A key with a quota and no rate limit: the quota's own code (503), on PostgreSQL as on Redis.
                Verification noQuota = closed.verify(quoted.plaintext(), "events:read");
                assertThat(noQuota.failure()).as("fail closed, the quota's code").contains(Failure.QUOTA_UNAVAILABLE);
                assertThat(Failure.QUOTA_UNAVAILABLE.httpStatus()).isEqualTo(503);
                assertThat(open.verify(quoted.plaintext(), "events:read").isGranted()).as("fail open").isTrue();
            }
        } finally {
            own.close();
        }
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JdbcMeter.builder(new org.h2.jdbcx.JdbcDataSource()).timeout(Duration.ZERO))
                .withMessageStartingWith("timeout must be 10 ms to 10 s");
    }
}
