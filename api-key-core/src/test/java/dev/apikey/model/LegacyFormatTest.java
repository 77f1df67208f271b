package dev.apikey.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Recognising a legacy key: length first, then prefix, then the alphabet, one scan. */
class LegacyFormatTest {

    private static final String HEX = "0123456789abcdef";

    private final LegacyFormat format = LegacyFormat.digest("hand-written").prefix("sk_live_").length(40, 40)
            .alphabet(HEX).build();

    @Test
    void matchesAKeyOfItsShapeOnly() {
        String key = "sk_live_" + "4f9a2b7c1d3e5f60718293a4b5c6d7e8";
        assertThat(matches(key)).isTrue();
        assertThat(matches(key.substring(1))).isFalse();
        assertThat(matches(key + "0")).isFalse();
        assertThat(matches("sk_test_" + key.substring(8))).isFalse();
        assertThat(matches(key.substring(0, 39) + "G")).isFalse();
    }

    @Test
    void nonAsciiAsTheHeaderScanCopiesItIsNeverInAnAlphabet() {
        byte[] b = ("sk_live_" + "4f9a2b7c1d3e5f60718293a4b5c6d7e8").getBytes(StandardCharsets.US_ASCII);
        b[20] = (byte) 0x80;
        assertThat(format.matches(b, 0, b.length)).isFalse();
    }

    @Test
    void matchesWithinALargerBuffer() {
        byte[] b = ("Bearer sk_live_" + "4f9a2b7c1d3e5f60718293a4b5c6d7e8").getBytes(StandardCharsets.US_ASCII);
        assertThat(format.matches(b, 7, b.length)).isTrue();
        assertThat(format.matches(b, 6, b.length)).isFalse();
    }

    @Test
    void badRulesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> LegacyFormat.digest("x").length(10, 20).build())
                .hasMessageContaining("alphabet must be set");
        assertThatThrownBy(() -> LegacyFormat.digest("x").alphabet("ab c").length(10, 20).build())
                .hasMessageContaining("alphabet");
        assertThatThrownBy(() -> LegacyFormat.digest("x").alphabet(HEX).length(20, 10).build())
                .hasMessageContaining("length must satisfy");
        assertThatThrownBy(() -> LegacyFormat.digest("x").alphabet(HEX).length(10, 513).build())
                .hasMessageContaining("length must satisfy");
        assertThatThrownBy(() -> LegacyFormat.digest("x").prefix("a,b").alphabet(HEX).length(10, 20).build())
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> LegacyFormat.digest("bad name").alphabet(HEX).length(10, 20).build())
                .hasMessageContaining("name must be");
        assertThatThrownBy(() -> LegacyFormat.idPart("x", 2, 8).prefix("abc").alphabet(HEX).length(20, 30).build())
                .hasMessageContaining("id part must lie after the prefix");
        assertThatThrownBy(() -> LegacyFormat.idPart("x", 3, 18).prefix("abc").alphabet(HEX).length(20, 30).build())
                .hasMessageContaining("id part must lie after the prefix");
    }

    @Test
    void anIdPartFormatKeepsItsPosition() {
        LegacyFormat f = LegacyFormat.idPart("gw", 3, 8).prefix("gw_").alphabet(HEX).length(30, 40).build();
        assertThat(f.lookup()).isEqualTo(LegacyFormat.Lookup.ID_PART);
        assertThat(f.idStart()).isEqualTo(3);
        assertThat(f.idLength()).isEqualTo(8);
        assertThat(f.toString()).contains("gw", "ID_PART", "3+8");
    }

    private boolean matches(String key) {
        byte[] b = key.getBytes(StandardCharsets.US_ASCII);
        return format.matches(b, 0, b.length);
    }
}
