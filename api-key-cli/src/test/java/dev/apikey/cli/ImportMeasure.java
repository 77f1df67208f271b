package dev.apikey.cli;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.json.KeyJson;
import dev.apikey.model.KeySpec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures importing 100,000 plaintext keys of our format into embedded PostgreSQL with the default SHA-256 hasher,
 * as one batch through {@code apikey import}, and the per-hash cost of Argon2id (OWASP minimum) times 100,000. A
 * program, not a test: run it by hand on a quiet machine (docs/BENCHMARKS.md, "Importing 100,000 keys").
 *
 * <pre>{@code java -cp <test class path> dev.apikey.cli.ImportMeasure [keys]}</pre>
 */
public final class ImportMeasure {

    private ImportMeasure() {
    }

    /**
     * Runs the measurement and prints the results.
     *
     * @param args the number of keys (default 100000)
     * @throws Exception if the database cannot start or the file cannot be written
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path file = Files.createTempFile("import-measure", ".jsonl");
        long t0 = System.nanoTime();
        try (ApiKeys source = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(SeedApi.SCOPES).build();
                BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                String key = source.create(KeySpec.builder("k" + i).scopes("events:read").build()).plaintext();
                w.write(KeyJson.mapper().createObjectNode().put("plaintext", key).put("name", "imported-" + i)
                        .put("external_id", "c-" + i).set("scopes", KeyJson.mapper().createArrayNode()
                                .add("events:read")).toString());
                w.newLine();
            }
        }
        System.out.printf("wrote %d lines in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            KeyStoreSession.open(url, "postgres", null, "wlcro", true).close();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            long start = System.nanoTime();
            int code = ApiKeyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                    .execute("--db", url, "--db-user", "postgres", "import", file.toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            String summary = out.toString().lines().reduce((a, b) -> b).orElse("");
            System.out.printf("import of %d keys into PostgreSQL (SHA-256, one batch): %.1f s, exit %d: %s%n", n,
                    seconds, code, code == 0 ? summary : err.toString().strip());
        } finally {
            Files.deleteIfExists(file);
        }
        Argon2idHasher argon = Argon2idHasher.owaspMinimum();
        byte[] secret = new byte[32];
        for (int i = 0; i < 5; i++) {
            argon.hash(secret);
        }
        int hashes = 50;
        long start = System.nanoTime();
        for (int i = 0; i < hashes; i++) {
            argon.hash(secret);
        }
        double perHash = (System.nanoTime() - start) / 1e6 / hashes;
        System.out.printf("Argon2id (OWASP minimum) per hash: %.1f ms; x %d keys = %.0f s on one core%n", perHash, n,
                perHash * n / 1000);
    }
}
