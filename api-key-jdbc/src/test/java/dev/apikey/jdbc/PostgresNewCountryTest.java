package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.AnomalyPolicy;
import dev.apikey.ApiKeys;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Anomaly;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.UsageCountry;
import dev.apikey.testkit.ReadClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The new-country anomaly of two instances on one real PostgreSQL, each with its own pool: the countries both learnt
 * are stored by the hour in {@code <table>_usage_countries}, and a country only the second instance saw, not in the
 * baseline the first one built, opens one anomaly. The clock is set by the test and every flush and run is called.
 */
class PostgresNewCountryTest {

    private static final Instant CREATED = Instant.parse("2026-12-02T00:10:00Z");
    private static final Instant HOUR = Instant.parse("2026-12-03T02:00:00Z");
    private static final HikariDataSource[] POOLS = new HikariDataSource[2];

    @BeforeAll
    static void pools() {
        for (int i = 0; i < POOLS.length; i++) {
            POOLS[i] = Databases.postgresPool(3);
        }
    }

    @AfterAll
    static void close() {
        for (HikariDataSource pool : POOLS) {
            pool.close();
        }
    }


    private static JdbcKeyStore store(HikariDataSource pool, String table) {
        JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(table).pushChanges(false).build();
        store.createSchemaIfMissing();
        return store;
    }

    private static ApiKeys instance(JdbcKeyStore store, Clock clock) {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                .hasher(Sha256Hasher.create()).clock(clock).usageFlushInterval(Duration.ofMinutes(1))
                .anomalyDetection(AnomalyPolicy.defaults().withInterval(Duration.ofHours(1))
                        .withBaseline(Duration.ofDays(7), Duration.ofHours(12))).build();
    }

    private static void verify(ApiKeys apiKeys, String key, String address, String country) {
        assertThat(apiKeys.verify(VerifyRequest.header(key).scope("events:read").remoteAddress(address)
                .country(() -> country)).isGranted()).isTrue();
    }

    @Test
    void aCountryOnlyTheSecondInstanceSawIsNewAgainstTheBaselineBothShare() {
        String table = Databases.freshTable();
        AtomicReference<Instant> now = new AtomicReference<>(CREATED);
        Clock clock = ReadClock.of(now::get);
        JdbcKeyStore first = store(POOLS[0], table);
        List<ApiKeys> instances = new ArrayList<>(List.of(instance(first, clock),
                instance(store(POOLS[1], table), clock)));
        try {
            String key = instances.get(0).create(KeySpec.builder("crm").tenantId("92").scopes("events:read")
                    .build()).plaintext();
            String id = key.substring(key.length() - KeyFormat.TOKEN_LENGTH,
                    key.length() - KeyFormat.TOKEN_LENGTH + KeyFormat.KEY_ID_LENGTH);
            for (Instant h = Instant.parse("2026-12-02T01:20:00Z"); h.isBefore(HOUR); h = h.plusSeconds(3_600)) {
                now.set(h);
                verify(instances.get(0), key, "10.0.1.7", "DE");
                instances.get(0).usage().flush();
            }
            now.set(HOUR.plusSeconds(20 * 60));
            verify(instances.get(0), key, "10.0.1.7", "DE");
            verify(instances.get(1), key, "198.51.100.9", "FR");
            instances.forEach(apiKeys -> apiKeys.usage().flush());

            List<UsageCountry> stored = first.readCountries(id, CREATED, HOUR.plusSeconds(3_600));
            assertThat(stored).hasSize(27).allSatisfy(c -> assertThat(c.tenantId()).isEqualTo("92"));
            assertThat(first.readCountries(id, HOUR, HOUR.plusSeconds(3_600))).extracting(UsageCountry::country)
                    .containsExactly("DE", "FR");

            List<Anomaly> opened = instances.get(0).anomalies().detectNow();
            assertThat(opened).filteredOn(a -> a.kind() == Anomaly.Kind.NEW_COUNTRY).singleElement()
                    .satisfies(a -> {
                        assertThat(a.detail()).isEqualTo("FR");
                        assertThat(a.keyId()).contains(id);
                        assertThat(a.baseline()).isEqualTo(1);
                    });
            assertThat(instances.get(1).anomalies().detectNow()).as("the lease holder ran: nothing twice")
                    .noneMatch(a -> a.kind() == Anomaly.Kind.NEW_COUNTRY);
            assertThat(instances.get(1).anomalies().open("92")).as("read back from the table, its id naming FR")
                    .filteredOn(a -> a.kind() == Anomaly.Kind.NEW_COUNTRY).extracting(Anomaly::id)
                    .containsExactly("new_country.key." + id + "." + HOUR.getEpochSecond() + ".FR");
        } finally {
            instances.forEach(ApiKeys::close);
        }
    }
}
