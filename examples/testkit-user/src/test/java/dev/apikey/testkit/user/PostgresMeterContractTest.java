package dev.apikey.testkit.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.jdbc.JdbcMeter;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.Meter;
import dev.apikey.spi.MeterException;
import dev.apikey.spi.Metered;
import dev.apikey.testkit.MeterContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meter contract on PostgreSQL (a real server, from Maven Central's binary): each case on a table of its own,
 * each instance with a pool of its own. Plus a server stopped under a meter: spends throw, none hangs.
 */
class PostgresMeterContractTest extends MeterContract {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private final List<HikariDataSource> pools = new ArrayList<>();
    private String table;

    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
        return postgres;
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    private JdbcMeter meterOnNewPool() {
        HikariDataSource pool = pool(postgres().getJdbcUrl("postgres", "postgres"));
        pools.add(pool);
        return JdbcMeter.builder(pool).tableName(table).timeout(Duration.ofSeconds(5)).build();
    }

    @Override
    protected Meter newMeter() {
        table = "meter_case_" + NEXT.incrementAndGet();
        JdbcMeter meter = meterOnNewPool();
        meter.createSchemaIfMissing();
        meter.createSchemaIfMissing();
        return meter;
    }

    @Override
    protected Meter anotherInstance() {
        return meterOnNewPool();
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
    }

    @Test
    void idleRowsAreDeleted() {
        JdbcMeter jdbc = (JdbcMeter) meter;
        Metered rate = new Metered(subject("key"), RateLimit.perMinute(5));
        Metered quota = new Metered(subject("tenant"), Quota.perMonth(5));
        assertThat(jdbc.spend(List.of(rate, quota), 2, T0).granted()).isTrue();
        assertThat(jdbc.deleteIdle(T0 + Duration.ofDays(32).toMillis())).isZero();
        assertThat(jdbc.used(quota, T0 + Duration.ofDays(1).toMillis())).isEqualTo(2);
        assertThat(jdbc.deleteIdle(T0 + Duration.ofDays(34).toMillis())).isEqualTo(2);
        assertThat(jdbc.used(quota, T0)).isZero();
    }

    @Test
    void aStoppedServerMakesSpendsThrowWithinTheirTimeoutsNeverHang() throws Exception {
        EmbeddedPostgres own = EmbeddedPostgres.builder().start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(own.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcMeter down = JdbcMeter.builder(pool).timeout(Duration.ofMillis(200)).build();
            down.createSchemaIfMissing();
            Metered rate = new Metered(subject("key"), RateLimit.perMinute(100));
            assertThat(down.spend(List.of(rate), 1, T0).granted()).isTrue();

            own.close();
            pool.getHikariPoolMXBean().softEvictConnections();
            // Not a speed claim: a hang would last the driver's own timeouts (minutes); each call is bounded by the
            // pool's 250 ms and the meter's 200 ms, and 10 s leaves a busy machine a wide margin.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThatThrownBy(() -> down.spend(List.of(rate), 1, T0)).isInstanceOf(MeterException.class)
                        .hasMessageContaining("api_keys_meter").hasMessageNotContaining("key:");
                assertThatThrownBy(() -> down.used(rate, T0)).isInstanceOf(MeterException.class);
            });
        } finally {
            own.close();
        }
    }
}
