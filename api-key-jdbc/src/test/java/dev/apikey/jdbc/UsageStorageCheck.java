package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsageSubject;
import dev.apikey.spi.UsageCount;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What verify counts cost PostgreSQL (docs/SCALING.md, "Usage counts"): the bytes one active key takes per day (used
 * every minute, with a grant and one kind of refusal each minute), table and indexes together, and how long one flush
 * of many active keys takes. A measurement, not a test of speed: it asserts only that the counts add up, and prints
 * the figures. Run it with
 * {@code ./mvnw -pl api-key-jdbc -am verify -Dapikey.scale=true -Dtest=UsageStorageCheck -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "apikey.scale", matches = "true")
class UsageStorageCheck {

    private static final Instant DAY = Instant.parse("2026-12-03T00:00:00Z");

    private static String id(int i) {
        return String.format("k%07d", i);
    }

    @Test
    void bytesPerActiveKeyPerDayAndTheTimeOfAFlush() throws Exception {
        try (HikariDataSource ds = Databases.postgresPool(2)) {
            String table = Databases.freshTable();
            JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(table).build();
            store.createSchemaIfMissing();
            int keys = 100;
            for (int minute = 0; minute < 1440; minute++) {
                List<UsageCount> batch = new ArrayList<>();
                Instant at = DAY.plusSeconds(60L * minute);
                for (int k = 0; k < keys; k++) {
                    batch.add(new UsageCount(at, id(k), "t" + (k % 10), "granted", 50, 1L << (k % 64)));
                    batch.add(new UsageCount(at, id(k), "t" + (k % 10), "insufficient_scope", 1, 1L << (k % 64)));
                }
                store.addUsage(batch);
            }
            long bytes;
            long rows;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE " + table + "_usage");
                try (ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('" + table + "_usage'), "
                        + "pg_relation_size('" + table + "_usage'), (SELECT count(*) FROM " + table + "_usage)")) {
                    rs.next();
                    bytes = rs.getLong(1);
                    rows = rs.getLong(3);
                    System.out.printf("usage rows %d, table %d bytes, with indexes %d bytes%n", rows, rs.getLong(2),
                            bytes);
                }
            }
            System.out.printf("per active key per day: %d rows, %d bytes (table and indexes), %.1f bytes a row%n",
                    rows / keys, bytes / keys, (double) bytes / rows);
            assertThat(store.readUsage(UsageSubject.key(id(7)), UsageGrain.DAY, DAY, DAY.plusSeconds(86_400)))
                    .extracting(UsageCount::count).containsExactlyInAnyOrder(50L * 1440, 1440L);

            for (int active : new int[] {1_000, 10_000}) {
                Instant at = DAY.plusSeconds(86_400 + active);
                List<UsageCount> batch = new ArrayList<>();
                for (int k = 0; k < active; k++) {
                    batch.add(new UsageCount(at, id(k), "t" + (k % 10), "granted", 3, 1));
                }
                // As the core writes a flush: calls of at most 1,000 counts (UsageCounter.MAX_BATCH).
                for (int round = 0; round < 2; round++) {
                    long start = System.nanoTime();
                    for (int from = 0; from < active; from += 1_000) {
                        store.addUsage(batch.subList(from, Math.min(active, from + 1_000)));
                    }
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    System.out.printf("flush %d of %d active keys (one outcome each: %d rows upserted, %s): %d ms%n",
                            round + 1, active, 3 * active, round == 0 ? "inserted" : "updated", millis);
                }
            }
        }
    }
}
