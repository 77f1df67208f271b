package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz targets for the header parser and {@code verify}: any header, no exception, and the answer agrees with
 * a plain reference check written without the parser's tricks (trim, optional Bearer, exact string equality
 * against the keys issued). The build replays the committed corpus under
 * {@code src/test/resources/dev/apikey/VerifyFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md).
 */
class VerifyFuzzTest {

    private static ApiKeys apiKeys;
    private static List<String> live;
    private static String revoked;
    private static String noScope;
    private static String otherEnvironment;

    @BeforeAll
    static void issueKeys() {
        // No throttle within a fuzz run: every wrong secret must still be compared, and the right one granted.
        apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .failedAttemptLimit(1_000_000).build();
        KeySpec readable = KeySpec.builder("fuzz").tenantId("92").scopes("events:read").build();
        live = List.of(apiKeys.create(readable).plaintext(),
                apiKeys.create(KeySpec.builder("fuzz-untenanted").scopes("admin").build()).plaintext());
        String toRevoke = apiKeys.create(readable).plaintext();
        apiKeys.revoke(KeyFormat.of("wlcro").parse(toRevoke).orElseThrow().keyId());
        revoked = toRevoke;
        noScope = apiKeys.create(KeySpec.builder("fuzz-webhooks").tenantId("92").scopes("webhooks:write").build())
                .plaintext();
        try (ApiKeys other = ApiKeys.builder().prefix("wltst").store(new InMemoryKeyStore())
                .scopes(TestKeys.SCOPES).build()) {
            otherEnvironment = other.create(readable).plaintext();
        }
    }

    @AfterAll
    static void close() {
        apiKeys.close();
    }

    /** A header built from a real key, bent by the fuzzer: scheme, blanks, one character, checksum, tail. */
    private static String header(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            return data.consumeRemainingAsString();
        }
        List<String> keys = List.of(live.get(0), live.get(1), revoked, noScope, otherEnvironment);
        String key = keys.get(data.consumeInt(0, keys.size() - 1));
        if (data.consumeBoolean()) {
            int at = data.consumeInt(0, key.length() - 1);
            char c = data.consumeChar();
            key = key.substring(0, at) + c + key.substring(at + 1);
            if (data.consumeBoolean() && c < 0x80) {
                key = TestKeys.withChecksum(key.substring(0, key.length() - KeyFormat.CHECKSUM_LENGTH));
            }
        }
        String[] schemes = {"", "Bearer ", "bearer\t", "BEARER  "};
        String lead = data.consumeString(4);
        String scheme = schemes[data.consumeInt(0, schemes.length - 1)];
        return lead + scheme + key + data.consumeRemainingAsString();
    }

    /** The header for a failure message: issued keys named, not shown; other characters escaped. */
    private static String shown(String header) {
        String s = header;
        for (int i = 0; i < live.size(); i++) {
            s = s.replace(live.get(i), "<live" + i + ">");
        }
        s = s.replace(revoked, "<revoked>").replace(noScope, "<noScope>").replace(otherEnvironment, "<other>");
        StringBuilder out = new StringBuilder("\"");
        s.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.append('"').toString();
    }

    /**
     * The plain reading of the documented rule: blanks trimmed, an optional Bearer, then exactly one key, issued,
     * not revoked, holding the scope asked for (the two live keys hold it; the third only when none is asked).
     */
    private static boolean referenceGrants(String header, String scope) {
        if (header == null) {
            return false;
        }
        String value = strip(header);
        int blank = indexOfBlank(value);
        if (blank >= 0 && value.substring(0, blank).toLowerCase(Locale.ROOT).equals("bearer")) {
            value = strip(value.substring(blank));
        }
        return live.contains(value) || (scope == null && value.equals(noScope));
    }

    private static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    @FuzzTest(maxDuration = "5m")
    void verifyAgreesWithThePlainReading(FuzzedDataProvider data) {
        String header = header(data);
        String scope = data.consumeBoolean() ? "events:read" : null;
        Verification v = apiKeys.verify(header, scope);
        boolean expected = referenceGrants(header, scope);
        assertThat(v.isGranted()).as(() -> "granted for " + shown(header) + " " + v).isEqualTo(expected);
        assertThat(v.failure().isPresent()).isNotEqualTo(v.isGranted());
        v.failure().ifPresent(f -> assertThat(f).isNotEqualTo(Failure.TOO_MANY_FAILED_ATTEMPTS));
    }

    /** The documented shape, written as a regular expression: the scanner rule, independent of the parser. */
    private static final Pattern DOCUMENTED = Pattern.compile(
            "wlcro_(?:[A-Za-z0-9-]{1,36}_)?[0-9A-Za-z]{" + KeyFormat.TOKEN_LENGTH + "}");

    @FuzzTest(maxDuration = "5m")
    void keyFormatAgreesWithTheScannerRule(FuzzedDataProvider data) {
        String text = data.consumeBoolean() ? header(data) : data.consumeRemainingAsString();
        KeyFormat format = KeyFormat.of("wlcro");
        Optional<KeyFormat.Parts> parts = format.parse(text);
        boolean documented = DOCUMENTED.matcher(text).matches() && KeyFormat.checksumValid(text);
        assertThat(parts.isPresent()).as("KeyFormat.parse").isEqualTo(documented);
        if (parts.isPresent()) {
            assertThat(KeyFormat.looksLikeKey(text)).isTrue();
            assertThat(format.containsKey(text)).isTrue();
            assertThat(parts.get().hint()).isEqualTo(text.substring(0, text.length() - KeyFormat.TOKEN_LENGTH)
                    + parts.get().keyId());
            assertThat(text.substring(text.length() - KeyFormat.TOKEN_LENGTH)).startsWith(parts.get().keyId());
        }
        // Never throws, whatever the text.
        format.containsKey(text);
        KeyFormat.looksLikeKey(text);
    }
}
