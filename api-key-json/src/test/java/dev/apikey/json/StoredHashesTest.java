package dev.apikey.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.KeyImport;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.hash.Pbkdf2Hasher;
import dev.apikey.spi.LegacyHash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The text forms of stored hashes, read from fixtures made by independent tools (scripts/make-import-fixtures:
 * sha256sum, openssl, htpasswd -B, argon2, Python's hashlib), checked against the keys they were made of.
 */
class StoredHashesTest {

    private static List<KeyLines.Line> fixture(String name) throws IOException {
        try (InputStream in = StoredHashesTest.class.getResourceAsStream("/import-fixtures/" + name)) {
            return KeyLines.read(in, KeyLines.Format.of(name));
        }
    }

    private static Map<Long, String> plaintexts() throws IOException {
        Map<Long, String> out = new HashMap<>();
        try (InputStream in = StoredHashesTest.class.getResourceAsStream("/import-fixtures/legacy-keys.plaintexts")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] kv = line.split("=", 2);
                out.put(Long.parseLong(kv[0]), kv[1]);
            }
        }
        return out;
    }

    private static String stored(KeyLines.Line line) {
        ObjectNode n = line.node();
        return StoredHashes.legacy(n.get("stored_hash").asText(), n.has("id_part") ? n.get("id_part").asText() : null);
    }

    @Test
    void everyFormOfTheFixturesReadsAndTheSaltedOnesVerifyTheirKey() throws IOException {
        List<KeyLines.Line> lines = fixture("legacy-keys.jsonl");
        Map<Long, String> keys = plaintexts();
        assertThat(lines).hasSize(6).allSatisfy(l -> assertThat(l.error()).isNull());

        for (long n : List.of(1L, 2L)) {
            assertThat(stored(lines.get((int) n - 1))).as("line " + n)
                    .isEqualTo(LegacyHash.sha256Hex(LegacyHash.keyDigest(keys.get(n))));
        }
        String bcrypt = stored(lines.get(2));
        assertThat(LegacyHash.saltedAlgorithm(LegacyHash.saltedHash(bcrypt))).isEqualTo("bcrypt");
        assertThat(LegacyHash.lookupDigest(bcrypt)).isEqualTo(LegacyHash.idDigest(keys.get(3L).substring(5, 13)));
        assertThat(Argon2idHasher.owaspMinimum().verify(bytes(keys.get(4L)), LegacyHash.saltedHash(stored(
                lines.get(3))))).isTrue();
        Pbkdf2Hasher pbkdf2 = Pbkdf2Hasher.create();
        for (long n : List.of(5L, 6L)) {
            String salted = LegacyHash.saltedHash(stored(lines.get((int) n - 1)));
            assertThat(pbkdf2.verify(bytes(keys.get(n)), salted)).as("line " + n).isTrue();
            assertThat(pbkdf2.verify(bytes(keys.get(n) + "x"), salted)).isFalse();
        }
        for (KeyLines.Line l : lines) {
            KeyImport i = ImportJson.read(l.number(), l.node(), false, ImportJson.Defaults.none());
            assertThat(i.isRecord()).isFalse();
            assertThat(i.toString()).contains("legacy hash redacted").doesNotContain(l.node().get("stored_hash")
                    .asText());
        }
    }

    @Test
    void aBadHashOrAMissingIdPartIsRefusedNamingTheFieldNeverQuotingTheHash() {
        assertThatExceptionOfType(JsonRefusal.class).isThrownBy(() -> StoredHashes.legacy("$2b$05$abc", null))
                .satisfies(e -> assertThat(e.field()).isEqualTo("id_part"));
        assertThatExceptionOfType(JsonRefusal.class).isThrownBy(() -> StoredHashes.legacy("$md5$secretish", null))
                .satisfies(e -> assertThat(e.getMessage()).startsWith("stored_hash must be").doesNotContain(
                        "secretish"));
        assertThatExceptionOfType(JsonRefusal.class).isThrownBy(() -> StoredHashes.legacy("abcd", null))
                .satisfies(e -> assertThat(e.field()).isEqualTo("stored_hash"));
        assertThatExceptionOfType(JsonRefusal.class).isThrownBy(() -> StoredHashes.legacy("a".repeat(64), "id"))
                .satisfies(e -> assertThat(e.field()).isEqualTo("id_part"));
    }

    @Test
    void theAwsExportReadsAsCsvWithItsQuotedFields() throws IOException {
        List<KeyLines.Line> lines = fixture("aws-apigateway.csv");
        assertThat(lines).extracting(KeyLines.Line::number).containsExactly(2L, 3L);
        assertThat(lines.get(0).node().get("description").asText()).isEqualTo("CRM, production");
        assertThat(lines.get(1).node().get("description").asText()).isEqualTo("nightly \"etl\" job");
        KeyImport i = ImportJson.read(2, lines.get(0).node(), true, new ImportJson.Defaults("92",
                List.of("events:read")));
        assertThat(i.spec().name()).isEqualTo("crm-prod");
        assertThat(i.spec().metadata()).containsEntry("aws_usage_plan_ids", "a1b2c3");
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.US_ASCII);
    }
}
