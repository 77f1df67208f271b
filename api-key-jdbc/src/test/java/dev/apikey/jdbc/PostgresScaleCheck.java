package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Lookup latency by key id with 1,000 and 1,000,000 rows in PostgreSQL. A measurement, not a test of speed:
 * it asserts only that every lookup finds its key, and prints the figures. Run it with
 * {@code ./mvnw -pl api-key-jdbc -am verify -Dapikey.scale=true -Dtest=PostgresScaleCheck -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "apikey.scale", matches = "true")
class PostgresScaleCheck {

    @Test
    void lookupLatencyAtOneThousandAndOneMillionRows() throws Exception {
        try (HikariDataSource ds = Databases.postgresPool(2)) {
            for (int rows : new int[] {1_000, 1_000_000}) {
                String table = Databases.freshTable();
                JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(table).build();
                store.createSchemaIfMissing();
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO " + table + " (key_id, tenant_id, name, secret_hash, scopes, created_utc, "
                            + "metadata, allowed_cidrs, change_seq) SELECT lpad(i::text, 8, '0'), (i % 1000)::text, "
                            + "'key-' || i, '$sha256$c2FsdA$aGFzaA', '[\"events:read\"]', now(), '{}', '[]', "
                            + "nextval('" + table + "_change_seq') FROM generate_series(1, " + rows + ") AS i");
                    s.execute("ANALYZE " + table);
                }
                Random random = new Random(rows);
                for (int i = 0; i < 2_000; i++) {
                    store.findById(String.format("%08d", 1 + random.nextInt(rows)));
                }
                long[] nanos = new long[5_000];
                for (int i = 0; i < nanos.length; i++) {
                    String id = String.format("%08d", 1 + random.nextInt(rows));
                    long start = System.nanoTime();
                    boolean found = store.findById(id).isPresent();
                    nanos[i] = System.nanoTime() - start;
                    assertThat(found).as(id).isTrue();
                }
                Arrays.sort(nanos);
                System.out.printf("PostgreSQL findById, %,d rows: p50 %.1f us, p99 %.1f us, max %.1f us (n=%d)%n",
                        rows, nanos[nanos.length / 2] / 1e3, nanos[nanos.length * 99 / 100] / 1e3,
                        nanos[nanos.length - 1] / 1e3, nanos.length);
            }
        }
    }
}
