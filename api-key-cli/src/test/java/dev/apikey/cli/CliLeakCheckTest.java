package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.apikey.model.KeyFormat;
import org.junit.jupiter.api.Test;

/** The CLI's output check bites: a key is allowed only in what create, rotate and demo print, and only once. */
class CliLeakCheckTest {

    private static final String BODY = "wlcro_92_" + "Ab1".repeat(13) + "x";
    private static final String KEY = BODY + KeyFormat.checksum(BODY);

    @Test
    void aKeyPrintedByAReadingCommandFails() {
        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> CliLeakCheck.output(new String[] {"list"}, "NAME\n" + KEY + "\n"));
    }

    @Test
    void theIssuedKeyMayBePrintedByCreateButNothingElseSecretShaped() {
        assertThatCode(() -> CliLeakCheck.output(new String[] {"create", "--name", "x"}, "key: " + KEY + "\n"))
                .doesNotThrowAnyException();
        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> CliLeakCheck.output(
                new String[] {"create"}, KEY + "\nhash: $sha256$c2FsdA$aGFzaA\n"));
    }
}
