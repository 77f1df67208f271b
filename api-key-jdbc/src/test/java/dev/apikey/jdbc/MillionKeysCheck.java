package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeyStats;
import dev.apikey.ApiKeys;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeyFormat;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.PGConnection;

/**
 * One million keys in PostgreSQL, a verify cache bounded to 100,000, a uniform random workload over all keys from
 * four threads: the cache hit ratio, verify p50/p99 and database reads per second. A measurement for
 * docs/SCALING.md, not a test of speed: it asserts only that every verify of a real key is granted. Run it with
 * {@code ./mvnw -B -pl api-key-jdbc -am verify -Dapikey.scale=true -Dtest=MillionKeysCheck -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "apikey.scale", matches = "true")
class MillionKeysCheck {

    private static final int KEYS = 1_000_000;
    private static final int THREADS = 4;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private static String random(SecureRandom r, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = BASE62[r.nextInt(62)];
        }
        return new String(c);
    }

    @Test
    void aMillionKeysBehindAHundredThousandCachedOnes() throws Exception {
        String table = Databases.freshTable();
        try (HikariDataSource ds = Databases.postgresPool(THREADS + 2)) {
            JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(table).pushChanges(false).build();
            store.createSchemaIfMissing();
            String[] keys = new String[KEYS];
            SecureRandom r = new SecureRandom();
            Sha256Hasher sha = Sha256Hasher.create();
            long loadStart = System.nanoTime();
            StringBuilder rows = new StringBuilder();
            try (Connection c = ds.getConnection()) {
                var copy = c.unwrap(PGConnection.class).getCopyAPI();
                for (int i = 0; i < KEYS; i++) {
                    String keyId = random(r, 8);
                    String secret = random(r, 32);
                    String body = "wlcro_" + keyId + secret;
                    keys[i] = body + KeyFormat.checksum(body);
                    rows.append(keyId).append("\tk").append(i).append('\t')
                            .append(sha.hash(secret.getBytes(StandardCharsets.US_ASCII)))
                            .append("\t[\"events:read\"]\t2026-11-23 00:00:00+00\t{}\t[]\t0\n");
                    if (rows.length() > 4_000_000 || i == KEYS - 1) {
                        copy.copyIn("COPY " + table + " (key_id, name, secret_hash, scopes, created_utc, metadata, "
                                + "allowed_cidrs, change_seq) FROM STDIN", new StringReader(rows.toString()));
                        rows.setLength(0);
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE " + table);
                }
            }
            System.out.printf("loaded %,d keys in %.1f s%n", KEYS, (System.nanoTime() - loadStart) / 1e9);

            try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                    .hasher(Sha256Hasher.create()).cacheMaximumSize(100_000).build()) {
                run(apiKeys, keys, Duration.ofSeconds(20), false);
                run(apiKeys, keys, Duration.ofSeconds(60), true);
            }
        }
    }

    private static void run(ApiKeys apiKeys, String[] keys, Duration during, boolean report) throws Exception {
        ApiKeyStats before = apiKeys.stats();
        long start = System.nanoTime();
        long end = start + during.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<long[]>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            runs.add(pool.submit(() -> {
                long[] sample = new long[2_000_000];
                int n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end && n < sample.length) {
                    String key = keys[random.nextInt(keys.length)];
                    long t0 = System.nanoTime();
                    boolean granted = apiKeys.verify(key, "events:read").isGranted();
                    sample[n++] = System.nanoTime() - t0;
                    if (!granted) {
                        throw new AssertionError("refused a real key");
                    }
                }
                return Arrays.copyOf(sample, n);
            }));
        }
        List<long[]> samples = new ArrayList<>();
        for (Future<long[]> f : runs) {
            samples.add(f.get(during.toSeconds() + 60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        ApiKeyStats after = apiKeys.stats();
        long[] all = samples.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        assertThat(all.length).isGreaterThan(0);
        if (!report) {
            return;
        }
        long hits = after.cacheHits() - before.cacheHits();
        long misses = after.cacheMisses() - before.cacheMisses();
        System.out.printf("%d threads, %.0f s: %,d verifies (%,.0f/s), cache hit ratio %.3f, cache size %,d, "
                + "store reads %,.0f/s, verify p50 %.0f us, p99 %.0f us, max %.1f ms%n", THREADS, seconds, all.length,
                all.length / seconds, (double) hits / (hits + misses), after.cacheSize(),
                (after.loads() - before.loads()) / seconds, all[all.length / 2] / 1e3, all[all.length * 99 / 100] / 1e3,
                all[all.length - 1] / 1e6);
    }
}
