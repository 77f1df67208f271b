package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.AnomalyPolicy;
import dev.apikey.ApiKeys;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Anomaly;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.UsageSubject;
import dev.apikey.spi.KeyEventListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anomaly detection of three instances on one real PostgreSQL, each with its own pool as separate processes would
 * have: a burst that no instance saw alone (10 refusals each, 20 needed) is found in the stored counts of all three,
 * and opened once although all three run the detection at the same moment; a wrong secret from all three fires
 * nothing. The clock is fixed and every flush and run is called, so nothing waits on time.
 */
class PostgresAnomalyTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:20:30Z");
    private static final HikariDataSource[] POOLS = new HikariDataSource[3];

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

    private static ApiKeys instance(HikariDataSource pool, String table, List<Anomaly> heard) {
        JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(table).pushChanges(false).build();
        store.createSchemaIfMissing();
        KeyEventListener listener = new KeyEventListener() {
            @Override
            public void anomaly(Anomaly anomaly) {
                heard.add(anomaly);
            }
        };
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                .hasher(Sha256Hasher.create()).clock(Clock.fixed(NOW, ZoneOffset.UTC)).listener(listener)
                .usageFlushInterval(Duration.ofMinutes(1))
                .anomalyDetection(AnomalyPolicy.defaults().withInterval(Duration.ofHours(1))).build();
    }

    private static String wrongSecret(String key) {
        int token = key.length() - KeyFormat.TOKEN_LENGTH;
        String body = key.substring(0, token + KeyFormat.KEY_ID_LENGTH) + "w".repeat(KeyFormat.SECRET_LENGTH);
        return body + KeyFormat.checksum(body);
    }

    @Test
    void threeInstancesFindABurstNoneSawAloneAndOpenItOnce() throws Exception {
        String table = Databases.freshTable();
        List<Anomaly> heard = new CopyOnWriteArrayList<>();
        List<ApiKeys> instances = new ArrayList<>();
        for (HikariDataSource pool : POOLS) {
            instances.add(instance(pool, table, heard));
        }
        try {
            String key = instances.get(0).create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build())
                    .plaintext();
            String other = instances.get(0).create(KeySpec.builder("quiet").tenantId("92").scopes("events:read")
                    .build()).plaintext();
            for (ApiKeys apiKeys : instances) {
                for (int i = 0; i < 10; i++) {
                    apiKeys.verify(key, "webhooks:write");
                }
                for (int i = 0; i < 50; i++) {
                    apiKeys.verify(wrongSecret(other), "events:read");
                }
                apiKeys.usage().flush();
            }

            List<Callable<List<Anomaly>>> runs = new ArrayList<>();
            instances.forEach(apiKeys -> runs.add(() -> apiKeys.anomalies().detectNow()));
            ExecutorService pool = Executors.newFixedThreadPool(runs.size());
            List<Anomaly> opened = new ArrayList<>();
            try {
                for (Future<List<Anomaly>> f : pool.invokeAll(runs, 60, TimeUnit.SECONDS)) {
                    opened.addAll(f.get());
                }
            } finally {
                pool.shutdownNow();
            }

            String id = key.substring(key.length() - KeyFormat.TOKEN_LENGTH,
                    key.length() - KeyFormat.TOKEN_LENGTH + KeyFormat.KEY_ID_LENGTH);
            assertThat(opened).extracting(Anomaly::subject).containsExactlyInAnyOrder(UsageSubject.key(id),
                    UsageSubject.tenant("92"));
            assertThat(opened).allSatisfy(a -> {
                assertThat(a.kind()).isEqualTo(Anomaly.Kind.REFUSAL_BURST);
                assertThat(a.observed()).isEqualTo(30);
            });
            assertThat(heard).containsExactlyInAnyOrderElementsOf(opened);
            for (ApiKeys apiKeys : instances) {
                assertThat(apiKeys.anomalies().detectNow()).isEmpty();
                assertThat(apiKeys.anomalies().open("92")).containsExactlyInAnyOrderElementsOf(opened);
            }
        } finally {
            instances.forEach(ApiKeys::close);
        }
    }
}
