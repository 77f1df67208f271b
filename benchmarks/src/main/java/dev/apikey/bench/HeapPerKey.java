package dev.apikey.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.jdbc.JdbcKeyStore;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Heap held per cached key: creates N keys in a real PostgreSQL (embedded, out of this JVM's heap), builds a
 * fresh {@link ApiKeys} over them, and measures the used heap after a full GC before and after verifying every
 * key once. Each cached key holds what the JDBC store read for it, as in production.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.apikey.bench.HeapPerKey [keys]} (default 100,000).
 */
public final class HeapPerKey {

    private HeapPerKey() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        boolean counting = !"false".equals(System.getProperty("apikey.bench.counting"));
        ScopeCatalog scopes = ScopeCatalog.builder().scope("events:read", "Read events")
                .scope("webhooks:write", "Manage webhooks").build();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                HikariDataSource pool = pool(pg)) {
            JdbcKeyStore store = JdbcKeyStore.builder(pool).build();
            store.createSchemaIfMissing();
            String[] keys = new String[n];
            try (ApiKeys creator = ApiKeys.builder().prefix("wlcro").store(store).scopes(scopes)
                    .hasher(Sha256Hasher.create()).build()) {
                for (int i = 0; i < n; i++) {
                    // A typical key: a tenant shared with 99 others, a name, one scope, no metadata.
                    keys[i] = creator.create(KeySpec.builder("integration-" + i).tenantId(Integer.toString(i / 100))
                            .scopes("events:read").build()).plaintext();
                }
            }
            try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(scopes)
                    .hasher(Sha256Hasher.create()).cacheMaximumSize(2L * n).cacheMaxStaleness(Duration.ofHours(1))
                    .lastUsedFlushInterval(Duration.ofHours(1))
                    .usageCounting(counting).build()) {
                // Load the classes and fill per-thread buffers before the first measurement.
                apiKeys.verify(keys[0], "events:read");
                long before = usedAfterGc();
                for (String key : keys) {
                    if (!apiKeys.verify(key, "events:read").isGranted()) {
                        throw new IllegalStateException("a key did not verify");
                    }
                }
                if (counting) {
                    // The counts written, as they are every few seconds: what stays is what a key holds between flushes,
                    // not a flush's rows caught on their way to the store.
                    apiKeys.usage().flush();
                }
                long after = usedAfterGc();
                System.out.printf("keys=%d heap-before=%d heap-after=%d bytes-per-cached-key=%.0f%n", n, before, after,
                        (after - before) / (double) (n - 1));
            }
        }
    }

    private static HikariDataSource pool(EmbeddedPostgres pg) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
