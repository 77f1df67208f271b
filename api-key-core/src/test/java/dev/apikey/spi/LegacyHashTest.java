package dev.apikey.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The stored forms of legacy hashes and the look-up digest a store indexes. */
class LegacyHashTest {

    /** {@code printf %s sk_live_4f9a2b7c1d3e5f60718293a4b5c6d7e8 | sha256sum}. */
    private static final String SHA256SUM = "490adf8c2f9e4a6a718459640971746b05f938a37fdd4c667db689ac382981a2";
    private static final String KEY = "sk_live_4f9a2b7c1d3e5f60718293a4b5c6d7e8";
    private static final String BCRYPT = "$2y$05$Iw//OsaGGyLxSckO7heWWORGI8D6jbsFbiXQLgkvHuYWWbdIr7nfa";

    @Test
    void aDigestGivenAsHexOrBase64IsStoredOneWayAndLookedUpByItself() {
        String fromHex = LegacyHash.sha256Hex(SHA256SUM.toUpperCase(java.util.Locale.ROOT));
        byte[] raw = HexFormat.of().parseHex(SHA256SUM);
        assertThat(LegacyHash.sha256Base64(Base64.getEncoder().encodeToString(raw))).isEqualTo(fromHex);
        assertThat(LegacyHash.sha256Base64(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)))
                .isEqualTo(fromHex);
        assertThat(LegacyHash.sha256(raw)).isEqualTo(fromHex).isEqualTo("$legacy-sha256$" + SHA256SUM);
        assertThat(LegacyHash.lookupDigest(fromHex)).isEqualTo(SHA256SUM).isEqualTo(LegacyHash.keyDigest(KEY));
        assertThat(LegacyHash.isLegacy(fromHex)).isTrue();
        assertThat(LegacyHash.saltedHash(fromHex)).isNull();
    }

    @Test
    void aSaltedHashIsFoundByItsIdPartsDigest() {
        String stored = LegacyHash.salted("7Hq2LmP9", BCRYPT);
        assertThat(stored).startsWith("$legacy-id$").endsWith(BCRYPT);
        assertThat(LegacyHash.lookupDigest(stored)).isEqualTo(LegacyHash.idDigest("7Hq2LmP9"))
                .isNotEqualTo(LegacyHash.keyDigest("7Hq2LmP9"));
        assertThat(LegacyHash.saltedHash(stored)).isEqualTo(BCRYPT);
        assertThat(LegacyHash.saltedAlgorithm(BCRYPT)).isEqualTo("bcrypt");
    }

    @Test
    void ourOwnHashesAndCorruptOnesAreNotLegacyNorIndexed() {
        assertThat(LegacyHash.isLegacy("$sha256$c2FsdA$aGFzaA")).isFalse();
        assertThat(LegacyHash.lookupDigest("$sha256$c2FsdA$aGFzaA")).isNull();
        assertThat(LegacyHash.lookupDigest("$legacy-sha256$" + SHA256SUM + "0")).isNull();
        assertThat(LegacyHash.lookupDigest("$legacy-sha256$" + SHA256SUM.toUpperCase(java.util.Locale.ROOT))).isNull();
        assertThat(LegacyHash.lookupDigest("$legacy-id$" + SHA256SUM + "$md5$x")).isNull();
        assertThat(LegacyHash.lookupDigest(null)).isNull();
    }

    @Test
    void badInputIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> LegacyHash.sha256Hex("abc")).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> LegacyHash.sha256Base64("!!")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> LegacyHash.sha256Base64("AAAA")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> LegacyHash.sha256(new byte[31])).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> LegacyHash.salted("", BCRYPT)).hasMessageContaining("idPart");
        assertThatThrownBy(() -> LegacyHash.salted("id", "$md5$abc")).hasMessageContaining("hash must be bcrypt");
        assertThatThrownBy(() -> LegacyHash.salted("id", "$2b$" + "x".repeat(600)))
                .hasMessageContaining("at most 512");
    }
}
