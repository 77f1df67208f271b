package dev.apikey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.internal.KeyParser.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The header scan at its edges: the length caps, the scheme, each part of the token, the head's rules. */
class KeyParserTest {

    private static final String ID = "3kTz9QbC";
    private static final String SECRET = "a".repeat(KeyLayout.SECRET_LENGTH);

    private final KeyParser parser = new KeyParser("wlcro");
    private final ParsedKey into = new ParsedKey();

    /** {@code body} with its CRC-32 checksum appended: any bytes, so a checksum never hides a bad character. */
    static String withChecksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.ISO_8859_1));
        return body + Base62.encode(crc.getValue(), KeyLayout.CHECKSUM_LENGTH);
    }

    private Outcome parse(String header) {
        return parser.parse(header, into);
    }

    @Test
    void aKeyWithAndWithoutTenantParsesIntoItsParts() {
        assertThat(parse(withChecksum("wlcro_92_" + ID + SECRET))).isEqualTo(Outcome.OK);
        assertThat(into.keyId()).isEqualTo(ID);
        assertThat(into.tenantId()).isEqualTo("92");
        assertThat(parse(withChecksum("wlcro_" + ID + SECRET))).isEqualTo(Outcome.OK);
        assertThat(into.keyId()).isEqualTo(ID);
        assertThat(into.hasTenant()).isFalse();
    }

    @Test
    void theBearerSchemeIsReadInAnyCaseAndNothingElseIsAScheme() {
        String key = withChecksum("wlcro_" + ID + SECRET);
        assertThat(parse("Bearer " + key)).isEqualTo(Outcome.OK);
        assertThat(parse("bEARER \t " + key)).isEqualTo(Outcome.OK);
        assertThat(parse("Bearer")).isEqualTo(Outcome.MISSING);
        assertThat(parse("  bearer  ")).isEqualTo(Outcome.MISSING);
        for (String scheme : new String[] {"Basic", "Bearerr", "Beare", "Xearer", "Bxarer", "Bexrer", "Beaxer", "Bearxr",
            "Bearex", "B3arer"}) {
            assertThat(parse(scheme + " " + key)).as(scheme).isEqualTo(Outcome.MALFORMED_REQUEST);
        }
        // Six letters that are not "bearer" are a malformed key, not a missing one.
        assertThat(parse("Bearex")).isEqualTo(Outcome.MALFORMED_KEY);
        assertThat(parse("Bearer " + key + " " + key)).isEqualTo(Outcome.MALFORMED_REQUEST);
    }

    @Test
    void theHeaderCapIs256CharactersAfterTrimming() {
        assertThat(parse("a".repeat(KeyLayout.MAX_HEADER_LENGTH))).isEqualTo(Outcome.MALFORMED_KEY);
        assertThat(parse("a".repeat(KeyLayout.MAX_HEADER_LENGTH + 1))).isEqualTo(Outcome.MALFORMED_REQUEST);
        // Surrounding blanks do not count towards the cap.
        String key = withChecksum("wlcro_" + ID + SECRET);
        assertThat(parse(" ".repeat(200) + key + "\t".repeat(200))).isEqualTo(Outcome.OK);
    }

    @Test
    void aBlankLeftInTheBufferByAnEarlierParseIsNotReadAsPartOfTheNextOne() {
        String key = withChecksum("wlcro_" + ID + SECRET);
        String bearer = "Bearer " + key;
        assertThat(parse("x".repeat(bearer.length()) + " " + "x".repeat(10))).isEqualTo(Outcome.MALFORMED_REQUEST);
        assertThat(parse(bearer)).isEqualTo(Outcome.OK);
    }

    @Test
    void keyLengthsAtTheirCaps() {
        KeyParser shortest = new KeyParser("a");
        assertThat(shortest.parse(withChecksum("a_" + ID + SECRET), into)).isEqualTo(Outcome.OK);
        assertThat(shortest.parse(withChecksum("_" + ID + SECRET), into)).isEqualTo(Outcome.MALFORMED_KEY);

        String longestPrefix = "p".repeat(KeyLayout.MAX_PREFIX_LENGTH);
        KeyParser longest = new KeyParser(longestPrefix);
        String tenant = "t".repeat(KeyLayout.MAX_TENANT_LENGTH);
        String longestKey = withChecksum(longestPrefix + "_" + tenant + "_" + ID + SECRET);
        assertThat(longestKey).hasSize(KeyLayout.MAX_KEY_LENGTH);
        assertThat(longest.parse(longestKey, into)).isEqualTo(Outcome.OK);
        assertThat(into.tenantId()).isEqualTo(tenant);
        assertThat(longest.parse(withChecksum(longestPrefix + "_" + tenant + "t_" + ID + SECRET), into))
                .isEqualTo(Outcome.MALFORMED_KEY);
    }

    @Test
    void tenantLengthsAtTheirCaps() {
        assertThat(parse(withChecksum("wlcro_a_" + ID + SECRET))).isEqualTo(Outcome.OK);
        assertThat(into.tenantId()).isEqualTo("a");
        String longest = "0123456789-".repeat(4).substring(0, KeyLayout.MAX_TENANT_LENGTH);
        assertThat(parse(withChecksum("wlcro_" + longest + "_" + ID + SECRET))).isEqualTo(Outcome.OK);
        assertThat(into.tenantId()).isEqualTo(longest);
        assertThat(parse(withChecksum("wlcro_" + longest + "x_" + ID + SECRET))).isEqualTo(Outcome.WRONG_ENVIRONMENT);
        assertThat(parse(withChecksum("wlcro__" + ID + SECRET))).isEqualTo(Outcome.WRONG_ENVIRONMENT);
        assertThat(parse(withChecksum("wlcro_a.b_" + ID + SECRET))).isEqualTo(Outcome.WRONG_ENVIRONMENT);
    }

    @Test
    void aHeadThatIsNotThisPrefixIsAnotherEnvironment() {
        assertThat(parse(withChecksum("wl_" + ID + SECRET))).isEqualTo(Outcome.WRONG_ENVIRONMENT);
        assertThat(parse(withChecksum("wlcrx_" + ID + SECRET))).isEqualTo(Outcome.WRONG_ENVIRONMENT);
        assertThat(parse(withChecksum("wlcrox_" + ID + SECRET))).isEqualTo(Outcome.WRONG_ENVIRONMENT);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 8, 39, 40, 45})
    void aCharacterOutsideTheAlphabetAnywhereInTheTokenIsMalformedEvenWithAMatchingChecksum(int at) {
        String token = ID + SECRET + "000000";
        String bad = token.substring(0, at) + "!" + token.substring(at + 1);
        String key = "wlcro_" + bad;
        if (at < KeyLayout.LOOKUP_ID_LENGTH + KeyLayout.SECRET_LENGTH) {
            key = withChecksum(key.substring(0, key.length() - KeyLayout.CHECKSUM_LENGTH));
        }
        assertThat(parse(key)).as(key).isEqualTo(Outcome.MALFORMED_KEY);
    }

    @Test
    void aChecksumWithABadLastCharacterIsMalformedEvenWhenItsValueWouldMatch() {
        // Read as a base62 digit, '!' is -1: find a body whose CRC the checksum "<5 digits>!" encodes exactly.
        for (int n = 0; n < 10_000; n++) {
            String body = "wlcro_" + ID + String.format("%032d", n);
            CRC32 crc = new CRC32();
            crc.update(body.getBytes(StandardCharsets.US_ASCII));
            if (crc.getValue() % 62 == 61) {
                String key = body + Base62.encode((crc.getValue() + 1) / 62, KeyLayout.CHECKSUM_LENGTH - 1) + "!";
                assertThat(parse(key)).isEqualTo(Outcome.MALFORMED_KEY);
                return;
            }
        }
        throw new AssertionError("no body with a CRC of 61 modulo 62 among 10,000");
    }

    @Test
    void controlCharactersCommasAndNonAsciiAreRefused() {
        String key = withChecksum("wlcro_" + ID + SECRET);
        assertThat(parse(key + "\u0000")).isEqualTo(Outcome.MALFORMED_REQUEST);
        assertThat(parse(key + "\u007f")).isEqualTo(Outcome.MALFORMED_REQUEST);
        assertThat(parse(key + "," + key)).isEqualTo(Outcome.MALFORMED_REQUEST);
        assertThat(parse(key.substring(0, 10) + "\u0133" + key.substring(11))).isEqualTo(Outcome.MALFORMED_KEY);
        assertThat(parse(null)).isEqualTo(Outcome.MISSING);
        assertThat(parse(" \t ")).isEqualTo(Outcome.MISSING);
    }

    @Test
    void theDigestCoversTheTenantSoTheSameSecretUnderAnotherTenantDiffers() {
        byte[] plain = digestOf(withChecksum("wlcro_" + ID + SECRET));
        byte[] tenant92 = digestOf(withChecksum("wlcro_92_" + ID + SECRET));
        byte[] tenant93 = digestOf(withChecksum("wlcro_93_" + ID + SECRET));
        assertThat(plain).isNotEqualTo(tenant92);
        assertThat(tenant92).isNotEqualTo(tenant93);
        assertThat(digestOf(withChecksum("wlcro_92_" + ID + SECRET))).isEqualTo(tenant92);
    }

    @Test
    void clearingForgetsTheSecretOfAWellFormedKeyAndEveryByteOfAnythingElse() {
        String key = withChecksum("wlcro_92_" + ID + SECRET);
        assertThat(parse(key)).isEqualTo(Outcome.OK);
        into.clear();
        String left = new String(into.chars, 0, key.length(), StandardCharsets.ISO_8859_1);
        assertThat(left).doesNotContain("aaaa").startsWith("wlcro_92_" + ID);
        String bad = "x" + SECRET + SECRET;
        assertThat(parse(bad)).isEqualTo(Outcome.MALFORMED_KEY);
        into.clear();
        for (int i = 0; i < bad.length(); i++) {
            assertThat(into.chars[i]).as("byte %d", i).isZero();
        }
    }

    private byte[] digestOf(String key) {
        assertThat(parse(key)).isEqualTo(Outcome.OK);
        byte[] digest = into.credentialDigest().clone();
        into.clear();
        return digest;
    }
}
