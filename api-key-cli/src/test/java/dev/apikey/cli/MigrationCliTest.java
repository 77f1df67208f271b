package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.Verification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apikey export, import and copy: moving a store with keys in every state, and importing lines under the rules. */
class MigrationCliTest {

    @TempDir
    Path dir;

    private String h2(String name) {
        return "jdbc:h2:" + dir.resolve(name).toAbsolutePath();
    }

    private static ApiKeyCliTest.Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ApiKeyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        CliLeakCheck.output(args, out + "\n" + err);
        return new ApiKeyCliTest.Run(code, out.toString(), err.toString());
    }

    /** Keys in every state, by plaintext, with the code each must get. */
    private Map<String, String> keysInEveryState(String url) {
        Map<String, String> expected = new LinkedHashMap<>();
        try (KeyStoreSession s = KeyStoreSession.open(url, "", null, "wlcro", true)) {
            ApiKeys keys = s.apiKeys;
            String active = keys.create(KeySpec.builder("active").tenantId("92").scopes("events:read").build())
                    .plaintext();
            String activeId = id(keys, active);
            keys.update(activeId, KeyUpdate.builder().name("renamed")
                    .build());
            expected.put(active, "granted");
            String disabled = keys.create(KeySpec.builder("disabled").tenantId("92").scopes("events:read").build())
                    .plaintext();
            keys.disable(id(keys, disabled));
            expected.put(disabled, "disabled_api_key");
            String revoked = keys.create(KeySpec.builder("revoked").scopes("events:read").build()).plaintext();
            keys.revoke(id(keys, revoked));
            expected.put(revoked, "revoked_api_key");
            String old = keys.create(KeySpec.builder("rotated").tenantId("93").scopes("webhooks:write").build())
                    .plaintext();
            String fresh = keys.rotate(id(keys, old), Duration.ofDays(7)).plaintext();
            expected.put(old, "granted");
            expected.put(fresh, "granted");
            Instant past = Instant.now().minus(Duration.ofDays(30));
            try (ApiKeys then = ApiKeys.builder().prefix("wlcro").store(s.store).scopes(SeedApi.SCOPES)
                    .clock(Clock.fixed(past, ZoneOffset.UTC)).build()) {
                expected.put(then.create(KeySpec.builder("expired").scopes("events:read")
                        .expiresAt(past.plus(Duration.ofDays(1))).build()).plaintext(), "expired_api_key");
            }
        }
        return expected;
    }

    private static String id(ApiKeys keys, String plaintext) {
        return ApiKeyCliTest.keyIdOf(plaintext);
    }

    private static void assertEachVerifies(String url, String user, Map<String, String> expected, int events) {
        try (KeyStoreSession s = KeyStoreSession.open(url, user, null, "wlcro", false)) {
            expected.forEach((plaintext, code) -> {
                Verification v = s.apiKeys.verify(plaintext, null);
                assertThat(v.isGranted() ? "granted" : v.failure().orElseThrow().code())
                        .as(ApiKeyCliTest.keyIdOf(plaintext)).isEqualTo(code);
            });
            assertThat(s.apiKeys.listAll()).hasSize(expected.size());
            int n = 0;
            for (var k : s.apiKeys.listAll()) {
                n += s.apiKeys.history().ofKey(k.keyId()).size();
            }
            assertThat(n).as("events moved").isEqualTo(events);
        }
    }

    private int events(String url) {
        try (KeyStoreSession s = KeyStoreSession.open(url, "", null, "wlcro", false)) {
            return s.apiKeys.listAll().stream().mapToInt(k -> s.apiKeys.history().ofKey(k.keyId()).size()).sum();
        }
    }

    @Test
    void aStoreWithKeysInEveryStateMovesFromH2ToPostgresByCopyAndByExportThenImport() throws Exception {
        String source = h2("source");
        Map<String, String> expected = keysInEveryState(source);
        int events = events(source);
        assertThat(events).isGreaterThan(expected.size());
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("CREATE DATABASE exported");
            }
            String copied = postgres.getJdbcUrl("postgres", "postgres");
            ApiKeyCliTest.Run copy = cli("copy", "--from", source, "--to", copied, "--to-user", "postgres");
            assertThat(copy.code()).as(copy.out() + copy.err()).isZero();
            assertThat(copy.out()).contains(expected.size() + " keys written");
            assertEachVerifies(copied, "postgres", expected, events);

            Path file = dir.resolve("keys.jsonl");
            ApiKeyCliTest.Run export = cli("--db", source, "export", "--output", file.toString());
            assertThat(export.code()).as(export.err()).isZero();
            List<String> lines = Files.readAllLines(file);
            assertThat(lines.get(0)).contains("\"format\":\"apikey-export\"").contains("\"pepper_fingerprint\":null");
            assertThat(lines).hasSize(expected.size() + 1);
            expected.keySet().forEach(k -> assertThat(String.join("\n", lines)).doesNotContain(k));
            String exported = postgres.getJdbcUrl("postgres", "exported");
            ApiKeyCliTest.Run imported = cli("--db", exported, "--db-user", "postgres", "import", file.toString());
            assertThat(imported.code()).as(imported.out()).isZero();
            assertEachVerifies(exported, "postgres", expected, events);

            ApiKeyCliTest.Run again = cli("--db", exported, "--db-user", "postgres", "import", file.toString());
            assertThat(again.code()).isZero();
            assertThat(again.out()).contains("0 keys written, " + expected.size() + " there already, 0 refused");
        }
    }

    @Test
    void aCopyBetweenStoresOfDifferentPeppersIsRefusedAndWritesNothing() throws Exception {
        String source = h2("source");
        keysInEveryState(source);
        Path one = dir.resolve("one.pepper");
        Path two = dir.resolve("two.pepper");
        Files.writeString(one, Base64.getEncoder().encodeToString(new byte[32]));
        byte[] other = new byte[32];
        other[0] = 1;
        Files.writeString(two, Base64.getEncoder().encodeToString(other));

        ApiKeyCliTest.Run mismatch = cli("--json", "copy", "--from", source, "--to", h2("target"),
                "--from-pepper-file", one.toString(), "--to-pepper-file", two.toString());
        assertThat(mismatch.code()).isEqualTo(1);
        assertThat(mismatch.out()).contains("pepper_mismatch").doesNotContain(Files.readString(two).strip());
        ApiKeyCliTest.Run noPepperThere = cli("copy", "--from", source, "--to", h2("target"),
                "--from-pepper-file", one.toString());
        assertThat(noPepperThere.code()).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("target.mv.db"))).as("no target made").isFalse();
    }

    @Test
    void importChecksEveryLineReportsBadOnesByNumberAndABatchWithOneWritesNothing() throws Exception {
        String other = h2("other");
        List<String> keys = List.of(issue(other, "92"), issue(other, "92"), issue(other, "93"));
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"plaintext\": \"" + keys.get(0) + "\", \"name\": \"crm\", \"tenant_id\": \"92\", "
                        + "\"scopes\": [\"events:read\"], \"external_id\": \"cust-1\"}",
                "",
                "{\"plaintext\": \"" + keys.get(1) + "\", \"tenant_id\": \"92\", \"scopes\": [\"nope:read\"]}",
                "{\"plaintext\": \"" + keys.get(2) + "\", \"tenant_id\": \"92\", \"scopes\": [\"events:read\"]}",
                "{\"plaintext\": \"wlcro_92_notakey\", \"scopes\": [\"events:read\"], \"scopes\": []}",
                "[1, 2]"), StandardCharsets.UTF_8);
        String target = h2("target");
        KeyStoreSession.open(target, "", null, "wlcro", true).close();

        ApiKeyCliTest.Run dry = cli("--db", target, "import", file.toString(), "--dry-run");
        assertThat(dry.code()).isEqualTo(1);
        assertThat(dry.out()).contains("line 1: create " + ApiKeyCliTest.keyIdOf(keys.get(0)))
                .contains("line 3: refused " + ApiKeyCliTest.keyIdOf(keys.get(1)) + ": unknown_scope")
                .contains("line 4: refused: invalid: tenant_id must be the key's own tenant")
                .contains("line 5: refused: malformed_line").contains("member twice")
                .contains("line 6: refused: malformed_line: the line must be a JSON object");
        ApiKeyCliTest.Run batch = cli("--db", target, "import", file.toString());
        assertThat(batch.code()).isEqualTo(1);
        assertThat(batch.out()).contains("0 keys written").contains("a batch with a refused line writes nothing");
        assertThat(cli("--db", target, "list").out()).doesNotContain(ApiKeyCliTest.keyIdOf(keys.get(0)));

        ApiKeyCliTest.Run perLine = cli("--db", target, "import", file.toString(), "--per-line");
        assertThat(perLine.out()).contains("1 keys written");
        try (KeyStoreSession s = KeyStoreSession.open(target, "", null, "wlcro", false)) {
            assertThat(s.apiKeys.verify(keys.get(0), "events:read").isGranted()).isTrue();
            assertThat(s.apiKeys.history().ofKey(ApiKeyCliTest.keyIdOf(keys.get(0))).get(0).details())
                    .containsEntry("external_id", "cust-1");
        }
    }

    @Test
    void aCsvWithQuotedFieldsAndAwsColumnsImportsWithDefaults() throws Exception {
        String other = h2("other");
        String a = issue(other, "92");
        String b = issue(other, "92");
        Path file = dir.resolve("aws.csv");
        Files.writeString(file, "Name,Key,Description,Enabled,UsageplanIds\r\n"
                + "crm,\"" + a + "\",\"CRM, \"\"prod\"\"\",true,plan1\r\n"
                + "etl," + b + ",\"two\nlines\",false,\r\n"
                + "\"unclosed,x,y,z,w\r\n", StandardCharsets.UTF_8);
        String target = h2("target");

        ApiKeyCliTest.Run run = cli("--db", target, "import", file.toString(), "--tenant", "92", "--scope",
                "events:read", "--per-line");

        assertThat(run.out()).contains("line 3: refused: invalid: enabled is false")
                .contains("line 5: refused: malformed_line: field 1 opens a quote that is never closed")
                .contains("1 keys written");
        assertThat(run.code()).isEqualTo(1);
        try (KeyStoreSession s = KeyStoreSession.open(target, "", null, "wlcro", false)) {
            var info = s.apiKeys.get(ApiKeyCliTest.keyIdOf(a)).orElseThrow();
            assertThat(info.attributes().name()).isEqualTo("crm");
            assertThat(info.attributes().metadata()).containsEntry("description", "CRM, \"prod\"")
                    .containsEntry("aws_usage_plan_ids", "plan1");
        }
    }

    @Test
    void legacyKeysImportedIntoH2ByPlaintextAndByStoredHashVerifyOnceTheirFormatIsDeclared() throws Exception {
        String byPlaintext = "sk_live_0123456789abcdef0123456789abcdef";
        String byHash = "sk_live_fedcba9876543210fedcba9876543210";
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(byHash.getBytes(StandardCharsets.US_ASCII)));
        Path file = dir.resolve("legacy.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"plaintext\": \"" + byPlaintext + "\", \"name\": \"old-a\", \"tenant_id\": \"92\", "
                        + "\"scopes\": [\"events:read\"]}",
                "{\"stored_hash\": \"" + hash + "\", \"name\": \"old-b\", \"tenant_id\": \"92\", "
                        + "\"scopes\": [\"events:read\"]}"), StandardCharsets.UTF_8);
        String target = h2("target");

        ApiKeyCliTest.Run run = cli("--db", target, "import", file.toString());
        assertThat(run.out()).as(run.err()).contains("2 keys written");
        assertThat(run.code()).isZero();
        assertThat(run.out() + run.err()).doesNotContain(byPlaintext);
        assertThat(cli("--db", target, "import", file.toString()).out()).as("a rerun").contains("0 keys written");
        String legacyId;
        try (KeyStoreSession s = KeyStoreSession.open(target, "", null, "wlcro", false)) {
            legacyId = s.apiKeys.listAll().stream().filter(k -> k.attributes().name().equals("old-a")).findFirst()
                    .orElseThrow().keyId();
        }
        assertThat(cli("--db", target, "list").out()).contains("(legacy)");
        assertThat(cli("--db", target, "show", legacyId).out()).contains("legacy").contains("rotate it");

        try (KeyStoreSession s = KeyStoreSession.open(target, "", null, "wlcro", false);
                ApiKeys keys = ApiKeys.builder().prefix("wlcro").store(s.store).scopes(SeedApi.SCOPES)
                        .legacyFormat(dev.apikey.model.LegacyFormat.digest("hand-written").prefix("sk_live_")
                                .length(40, 40).alphabet("0123456789abcdef").build())
                        .build()) {
            for (String key : List.of(byPlaintext, byHash)) {
                Verification v = keys.verify(key, "events:read");
                assertThat(v.isGranted()).as(key.substring(0, 12)).isTrue();
                assertThat(v.principal().orElseThrow().legacy()).isTrue();
                assertThat(v.principal().orElseThrow().tenantId()).contains("92");
            }
            assertThat(keys.verify("sk_live_00000000000000000000000000000000", "events:read").failure()
                    .orElseThrow().code()).isEqualTo("invalid_api_key");
        }
    }

    private String issue(String url, String tenant) {
        try (KeyStoreSession s = KeyStoreSession.open(url, "", null, "wlcro", true)) {
            return s.apiKeys.create(KeySpec.builder("src").tenantId(tenant).scopes("events:read").build())
                    .plaintext();
        }
    }
}
