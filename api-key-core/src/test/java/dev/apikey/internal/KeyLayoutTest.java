package dev.apikey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rules for prefixes, tenant ids and key ids at their edges, with the reason each refusal gives. */
class KeyLayoutTest {

    private static final String LETTER = "must start with a letter";
    private static final String UNDERSCORE = "must not end with '_' or contain '__'";
    private static final String PREFIX_CHARS = "may contain only letters, digits and '_'";
    private static final String TENANT_CHARS = "may contain only letters, digits and '-'";
    private static final String KEY_ID = "must be 8 base62 characters";

    @Test
    void prefixLength() {
        assertThat(KeyLayout.prefixProblem(null)).isEqualTo("must not be null");
        assertThat(KeyLayout.prefixProblem("")).isEqualTo("must be 1 to 20 characters, was 0");
        assertThat(KeyLayout.prefixProblem("a")).isNull();
        assertThat(KeyLayout.prefixProblem("a".repeat(20))).isNull();
        assertThat(KeyLayout.prefixProblem("a".repeat(21))).isEqualTo("must be 1 to 20 characters, was 21");
    }

    @Test
    void prefixStartsWithAnAsciiLetter() {
        for (String ok : new String[] {"a", "z", "A", "Z", "m1"}) {
            assertThat(KeyLayout.prefixProblem(ok)).as(ok).isNull();
        }
        // The characters on either side of each letter range, and the other allowed characters.
        for (String bad : new String[] {"@", "[", "`", "{", "0", "9", "_a"}) {
            assertThat(KeyLayout.prefixProblem(bad)).as(bad).isEqualTo(LETTER);
        }
    }

    @Test
    void prefixCharactersAndUnderscores() {
        assertThat(KeyLayout.prefixProblem("a0")).isNull();
        assertThat(KeyLayout.prefixProblem("a9Zz")).isNull();
        assertThat(KeyLayout.prefixProblem("a_b_c")).isNull();
        assertThat(KeyLayout.prefixProblem("ab_")).isEqualTo(UNDERSCORE);
        assertThat(KeyLayout.prefixProblem("a__b")).isEqualTo(UNDERSCORE);
        assertThat(KeyLayout.prefixProblem("a-b")).isEqualTo(PREFIX_CHARS);
        assertThat(KeyLayout.prefixProblem("a\u00e9")).isEqualTo(PREFIX_CHARS);
    }

    @Test
    void tenantLengthAndCharacters() {
        assertThat(KeyLayout.tenantProblem(null)).isEqualTo("must not be null");
        assertThat(KeyLayout.tenantProblem("")).isEqualTo("must be 1 to 36 characters, was 0");
        assertThat(KeyLayout.tenantProblem("0")).isNull();
        assertThat(KeyLayout.tenantProblem("-")).isNull();
        assertThat(KeyLayout.tenantProblem("550e8400-e29b-41d4-a716-446655440000")).isNull();
        assertThat(KeyLayout.tenantProblem("x".repeat(37))).isEqualTo("must be 1 to 36 characters, was 37");
        assertThat(KeyLayout.tenantProblem("a_b")).isEqualTo(TENANT_CHARS);
        assertThat(KeyLayout.tenantProblem("a b")).isEqualTo(TENANT_CHARS);
    }

    @Test
    void keyIdIsEightBase62Characters() {
        assertThat(KeyLayout.keyIdProblem(null)).isEqualTo("must not be null");
        assertThat(KeyLayout.keyIdProblem("00000000")).isNull();
        assertThat(KeyLayout.keyIdProblem("zzzzzzzz")).isNull();
        assertThat(KeyLayout.keyIdProblem("0000000")).isEqualTo(KEY_ID);
        assertThat(KeyLayout.keyIdProblem("000000000")).isEqualTo(KEY_ID);
        assertThat(KeyLayout.keyIdProblem("0000000-")).isEqualTo(KEY_ID);
    }

    @Test
    void theHintIsPrefixTenantAndKeyId() {
        assertThat(KeyLayout.hint("wlcro", "92", "3kTz9QbC")).isEqualTo("wlcro_92_3kTz9QbC");
        assertThat(KeyLayout.hint("wlcro", null, "3kTz9QbC")).isEqualTo("wlcro_3kTz9QbC");
    }
}
