package dev.apikey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.KeyFormat;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 30 (key-shaped text in free-text attributes): a key glued to a letter or digit before it is still a
 * key's plaintext, recoverable by dropping that character, so it must be found like a key that stands alone.
 */
class KeyShapesGluedTest {

    private static final String BEFORE_CHECKSUM = "wlcro_92_3kTz9QbCq7Lm2Xv8Rt5Wn1Yp4Zs6Ud9Hf3Jk0Ga2";
    private static final String KEY = BEFORE_CHECKSUM + KeyFormat.checksum(BEFORE_CHECKSUM);

    @Test
    void aKeyStandingAloneOrAfterPunctuationIsFound() {
        assertThat(KeyShapes.containsKey(KEY)).isTrue();
        assertThat(KeyShapes.containsKey("token: " + KEY)).isTrue();
        assertThat(KeyShapes.containsKey("token=" + KEY)).isTrue();
    }

    @Test
    void aKeyGluedToALetterOrDigitBeforeItIsFoundToo() {
        assertThat(KeyShapes.containsKey("x" + KEY)).as("a letter before the key").isTrue();
        assertThat(KeyShapes.containsKey("9" + KEY)).as("a digit before the key").isTrue();
        assertThat(KeyShapes.containsKey("token" + KEY)).as("a word before the key").isTrue();
        assertThat(Printable.problem("x" + KEY, 100)).isEqualTo(Printable.KEY_INSIDE);
    }

    @Test
    void aKeyWhosePrefixAndTenantWereRetypedInTheOtherCaseIsFoundItsSecretIsIntact() {
        String upperHead = "WLCRO_92_" + KEY.substring("wlcro_92_".length());
        assertThat(KeyFormat.checksumValid(upperHead)).as("no longer a valid key as written").isFalse();
        assertThat(KeyShapes.containsKey(upperHead)).isTrue();
        assertThat(KeyShapes.containsKey("name: " + upperHead)).isTrue();
        assertThat(Printable.problem(upperHead, 100)).isEqualTo(Printable.KEY_INSIDE);
        String upperBeforeChecksum = "ACME_92_3kTz9QbCq7Lm2Xv8Rt5Wn1Yp4Zs6Ud9Hf3Jk0Ga2";
        String upperKey = upperBeforeChecksum + KeyFormat.checksum(upperBeforeChecksum);
        assertThat(KeyShapes.containsKey("acme_92_" + upperKey.substring("ACME_92_".length())))
                .as("an upper-case prefix typed in small letters").isTrue();
        assertThat(KeyShapes.containsKey("wlcro_92_" + KEY.substring("wlcro_92_".length(), KEY.length() - 1)
                + (KEY.endsWith("0") ? "1" : "0"))).as("a changed checksum is still no key").isFalse();
    }
}
