package dev.apikey.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.AnomalyPolicy;
import dev.apikey.ApiKeys;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.jdbc.JdbcKeyStore;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What verify counting costs PostgreSQL (docs/SCALING.md, "What counting costs the database"): an instance (a real
 * {@link ApiKeys} over a {@link JdbcKeyStore} on an embedded PostgreSQL) with N active keys, each verified in every
 * flush interval (5 grants, and one refusal for every tenth key), flushed as the scheduler would every 10 s. For each
 * flush it prints the counts handed to the store, the rows PostgreSQL says were inserted or updated in the usage
 * table ({@code pg_stat_user_tables}), the transactions committed ({@code pg_stat_database}) and the flush's time,
 * and what that makes per second at the default 10 s flush interval. Then it times one anomaly detection run over
 * the same keys (issue 27 §3) and counts its statements. A measurement, not a test: it asserts nothing about speed.
 *
 * <p>Run (after {@code ./mvnw -B -o -pl benchmarks -am package -DskipTests}):
 * {@code java -cp benchmarks/target/benchmarks.jar dev.apikey.bench.UsageWriteProbe [keys, default 1000,10000]
 * [flushes per size, default 5]}.
 */
public final class UsageWriteProbe {

    private static final int FLUSH_SECONDS = 10;

    private UsageWriteProbe() {
    }

    public static void main(String[] args) throws Exception {
        String[] sizes = (args.length > 0 ? args[0] : "1000,10000").split(",");
        int flushes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ScopeCatalog scopes = ScopeCatalog.builder().scope("events:read", "Read events")
                .scope("webhooks:write", "Manage webhooks").build();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start(); HikariDataSource pool = pool(pg)) {
            System.out.println("PostgreSQL " + scalar(pool, "SHOW server_version") + ", "
                    + Runtime.getRuntime().availableProcessors() + " cores, flush interval " + FLUSH_SECONDS + " s");
            for (String size : sizes) {
                measure(pool, scopes, Integer.parseInt(size.strip()), flushes);
            }
        }
    }

    private static void measure(HikariDataSource pool, ScopeCatalog scopes, int n, int flushes) throws Exception {
        String table = "probe_" + n;
        JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(table).pushChanges(false).build();
        store.createSchemaIfMissing();
        List<String> keys = new ArrayList<>(n);
        try (ApiKeys creator = ApiKeys.builder().prefix("wlcro").store(store).scopes(scopes)
                .hasher(Sha256Hasher.create()).build()) {
            for (int i = 0; i < n; i++) {
                keys.add(creator.create(KeySpec.builder("integration-" + i).tenantId(Integer.toString(i / 100))
                        .scopes("events:read").build()).plaintext());
            }
        }
        // Flushed by this program, not the scheduler (an hour away), so that each flush is one round of every key.
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(scopes)
                .hasher(Sha256Hasher.create()).cacheMaximumSize(2L * n).cacheMaxStaleness(Duration.ofHours(1))
                .lastUsedFlushInterval(Duration.ofHours(1)).usageFlushInterval(Duration.ofMinutes(1))
                .changeFeedPollInterval(Duration.ofMinutes(1))
                .anomalyDetection(AnomalyPolicy.defaults().withInterval(Duration.ofHours(1))
                        .withMaxKeysPerRun(Math.max(1_000, n)))
                .build()) {
            round(apiKeys, keys);
            apiKeys.usage().flush();
            System.out.printf("%n%,d active keys (tenants of 100), each verified 5 times a flush, every tenth key"
                    + " refused once too%n", n);
            System.out.println("flush  counts  rows-written  transactions  ms    rows/s at 10 s  transactions/s");
            for (int f = 1; f <= flushes; f++) {
                round(apiKeys, keys);
                long[] before = stats(pool, table);
                long start = System.nanoTime();
                apiKeys.usage().flush();
                long ms = (System.nanoTime() - start) / 1_000_000;
                long[] after = stats(pool, table);
                long rows = after[0] - before[0];
                // The three statements of the first stats() are counted too, not the flush's.
                long xacts = after[1] - before[1] - 3;
                System.out.printf("%5d  %6d  %12d  %12d  %4d  %14.0f  %14.1f%n", f, n + n / 10, rows, xacts, ms,
                        rows / (double) FLUSH_SECONDS, xacts / (double) FLUSH_SECONDS);
            }
            for (int r = 1; r <= 2; r++) {
                long[] before = stats(pool, table);
                long start = System.nanoTime();
                int opened = apiKeys.anomalies().detectNow().size();
                long ms = (System.nanoTime() - start) / 1_000_000;
                long[] after = stats(pool, table);
                System.out.printf("anomaly detection run %d: %d ms, %d transactions (statements), %d opened%n", r, ms,
                        after[1] - before[1] - 3, opened);
            }
            System.out.printf("usage table after: %s rows, %s bytes with indexes%n",
                    scalar(pool, "SELECT count(*) FROM " + table + "_usage"),
                    scalar(pool, "SELECT pg_total_relation_size('" + table + "_usage')"));
        }
    }

    private static void round(ApiKeys apiKeys, List<String> keys) {
        for (int i = 0; i < keys.size(); i++) {
            for (int v = 0; v < 5; v++) {
                if (!apiKeys.verify(keys.get(i), "events:read").isGranted()) {
                    throw new IllegalStateException("a key did not verify");
                }
            }
            if (i % 10 == 0) {
                apiKeys.verify(keys.get(i), "webhooks:write");
            }
        }
    }

    /** Rows inserted or updated in the usage table, and transactions committed, as PostgreSQL counts them. */
    private static long[] stats(HikariDataSource pool, String table) throws Exception {
        // The statistics reach the shared counters within about a second of a transaction's end.
        Thread.sleep(1_200);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            long rows;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0) FROM pg_stat_user_tables"
                    + " WHERE relname = '" + table + "_usage'")) {
                rs.next();
                rows = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT xact_commit FROM pg_stat_database"
                    + " WHERE datname = current_database()")) {
                rs.next();
                return new long[] {rows, rs.getLong(1)};
            }
        }
    }

    private static String scalar(HikariDataSource pool, String sql) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static HikariDataSource pool(EmbeddedPostgres pg) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }
}
