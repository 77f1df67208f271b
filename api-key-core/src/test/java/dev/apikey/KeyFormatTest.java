package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The key format as API: parse to public parts, hints, the scanner regex and the checksum rule. */
class KeyFormatTest {

    private final ApiKeys apiKeys = ApiKeys.builder().prefix("k_live").store(new InMemoryKeyStore())
            .scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2()).build();
    private final KeyFormat format = KeyFormat.of("k_live");

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    @Test
    void parseGivesThePublicPartsAndNeverTheSecret() {
        IssuedKey issued = apiKeys.create(KeySpec.builder("a").tenantId("acme-1").scopes("events:read").build());
        String plaintext = issued.plaintext();

        KeyFormat.Parts parts = format.parse(plaintext).orElseThrow();

        assertThat(parts.prefix()).isEqualTo("k_live");
        assertThat(parts.tenantId()).contains("acme-1");
        assertThat(parts.keyId()).isEqualTo(issued.info().keyId());
        assertThat(parts.hint()).isEqualTo(issued.info().hint()).isEqualTo(format.hint("acme-1", parts.keyId()));
        assertThat(parts.toString()).doesNotContain(TestKeys.secretOf(plaintext));
        assertThat(apiKeys.keyFormat().parse(plaintext)).contains(parts);
    }

    @Test
    void parseRefusesKeysOfOtherPrefixesBadChecksumsAndHeaders() {
        String plaintext = apiKeys.create(KeySpec.builder("a").scopes("events:read").build()).plaintext();
        assertThat(format.parse(plaintext).orElseThrow().tenantId()).isEmpty();

        assertThat(KeyFormat.of("k_test").parse(plaintext)).isEmpty();
        assertThat(format.parse("Bearer " + plaintext)).isEmpty();
        assertThat(format.parse(plaintext + " ")).isEmpty();
        assertThat(format.parse(flipLast(plaintext))).isEmpty();
        assertThat(format.parse(null)).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> KeyFormat.of("k__live")).withMessageStartingWith("prefix ");
    }

    @Test
    void theRegexAndChecksumFindRealKeysAndDropLookAlikes() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            KeySpec.Builder spec = KeySpec.builder("k" + i).scopes("events:read");
            if (i % 2 == 0) {
                spec.tenantId("t-" + i);
            }
            keys.add(apiKeys.create(spec.build()).plaintext());
        }
        Pattern own = Pattern.compile(format.regex());
        Pattern any = Pattern.compile(KeyFormat.anyPrefixRegex());
        for (String key : keys) {
            String text = "config:\n  token: \"" + key + "\"\n";
            assertThat(own.matcher(text).results().map(r -> r.group()).toList()).containsExactly(key);
            assertThat(any.matcher(text).find()).isTrue();
            assertThat(KeyFormat.looksLikeKey(key)).isTrue();
            assertThat(KeyFormat.checksumValid(key)).isTrue();

            String typo = flipLast(key);
            assertThat(own.matcher(typo).find()).as("the regex alone cannot tell").isTrue();
            assertThat(KeyFormat.checksumValid(typo)).isFalse();
            assertThat(KeyFormat.looksLikeKey(typo)).isFalse();
            assertThat(own.matcher(key.substring(1)).find()).as("another prefix").isFalse();
            assertThat(own.matcher(key + "x").find()).as("a longer token").isFalse();
        }
        assertThat(KeyFormat.looksLikeKey("k_live_" + "a".repeat(46))).isFalse();
        assertThat(KeyFormat.looksLikeKey(null)).isFalse();
    }

    @Test
    void theChecksumIsCrc32OfEverythingBeforeItInBase62() {
        String body = "k_live_92_" + "A".repeat(40);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long value = crc.getValue();
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < KeyFormat.CHECKSUM_LENGTH; i++) {
            digits.insert(0, KeyFormat.ALPHABET.charAt((int) (value % 62)));
            value /= 62;
        }
        assertThat(KeyFormat.checksum(body)).isEqualTo(digits.toString());
        assertThat(KeyFormat.checksumValid(body + digits)).isTrue();
    }

    private static String flipLast(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == '0' ? '1' : '0');
    }

    @Test
    void containsKeyFindsAKeyOfThisPrefixWithAValidChecksumAnywhereInText() {
        KeyFormat format = KeyFormat.of("wlcro");
        String token = "3kTz9QbC" + "a".repeat(32);
        String key = "wlcro_92_" + token + KeyFormat.checksum("wlcro_92_" + token);

        assertThat(format.containsKey("see " + key + " here")).isTrue();
        assertThat(format.containsKey(key.substring(0, key.length() - 1) + "x")).as("bad checksum").isFalse();
        assertThat(KeyFormat.of("k_live").containsKey(key)).as("another prefix").isFalse();
        assertThat(format.containsKey("wlcro_short")).isFalse();
        assertThat(format.containsKey(null)).isFalse();
    }
}
