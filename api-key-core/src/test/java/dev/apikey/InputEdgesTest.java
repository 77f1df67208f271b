package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.UnknownScopeException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Dates at the edges of time and keys pasted where text belongs (issue 30): refused with a message naming the field
 * and the rule, and a date already stored out of range never breaks a verify.
 */
class InputEdgesTest {

    private static final Instant FAR = Instant.parse("+999999999-12-31T23:59:59Z");
    private final MutableClock clock = MutableClock.at("2026-12-03T10:00:00Z");

    private ApiKeysBuilder builder(InMemoryKeyStore store) {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).clock(clock);
    }

    @Test
    void aDateBeyondYear9999IsRefusedWhereverItIsSet() {
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("k").expiresAt(FAR))
                .withMessageContaining("expiresAt must be between").withMessageContaining("year 9999 at most");
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("k").rotateBy(FAR))
                .withMessageContaining("rotateBy must be between");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyUpdate.builder().expiresAt(FAR))
                .withMessageContaining("expiresAt must be between");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyQuery.all().unusedSince(Instant.MIN))
                .withMessageContaining("since must be between");
        assertThat(KeySpec.builder("k").scopes("events:read").expiresAt(Instant.parse("9999-12-31T23:59:59Z"))
                .build().expiresAt()).contains(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void aKeyExpiringAtTheLastSecondOfYear9999VerifiesAndRotates() {
        try (ApiKeys apiKeys = builder(new InMemoryKeyStore()).build()) {
            IssuedKey key = apiKeys.create(KeySpec.builder("k").scopes("events:read")
                    .expiresAt(Instant.parse("9999-12-31T23:59:59Z")).rotateBy(Instant.parse("9999-12-31T23:59:59Z"))
                    .build());
            assertThat(apiKeys.verify(key.plaintext(), null).isGranted()).isTrue();
            IssuedKey next = apiKeys.rotate(key.info().keyId(), Duration.ofDays(365));
            // The successor's rotate-by keeps the old interval from now, which saturates at the end of year 9999.
            assertThat(next.info().attributes().rotateBy()).contains(Instant.parse("9999-12-31T23:59:59Z"));
            assertThat(apiKeys.verify(next.plaintext(), null).isGranted()).isTrue();
        }
    }

    @Test
    void aKeyPastedIntoAFreeTextAttributeIsRefusedWithoutEchoingIt() {
        try (ApiKeys apiKeys = builder(new InMemoryKeyStore()).build()) {
            String plaintext = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build())
                    .plaintext();
            String other = TestKeys.withHead(plaintext, "k_test");
            for (String text : new String[] {plaintext, "key " + plaintext, "(" + plaintext + ")", "x-" + other,
                    other + " for crm"}) {
                assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder(text))
                        .withMessageStartingWith("name must not hold an API key")
                        .withMessageNotContaining(TestKeys.secretOf(plaintext));
                assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("k").owner(text))
                        .withMessageStartingWith("owner must not hold an API key");
                assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("k").metadata("note", text))
                        .withMessageStartingWith("metadata value of 'note' must not hold an API key");
                assertThatIllegalArgumentException().isThrownBy(() -> KeyUpdate.builder().name(text))
                        .withMessageStartingWith("name must not hold an API key");
            }
            assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("k").metadata(
                    TestKeys.withHead(plaintext, "ab"), "v")).withMessageStartingWith("metadata key must not hold");
        }
    }

    @Test
    void textThatOnlyLooksLikeAKeyIsAccepted() {
        String fake = "wlcro_92_" + "A".repeat(46);
        assertThat(KeySpec.builder(fake).scopes("events:read").build().name()).isEqualTo(fake);
        assertThat(KeySpec.builder("k").owner("team-crm@example.com").metadata("ticket", "OPS_1234").scopes("admin")
                .build().owner()).contains("team-crm@example.com");
    }

    @Test
    void anUnknownScopeThatIsAKeyIsNotEchoed() {
        try (ApiKeys apiKeys = builder(new InMemoryKeyStore()).build()) {
            String plaintext = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();
            org.assertj.core.api.Assertions.assertThatExceptionOfType(UnknownScopeException.class)
                    .isThrownBy(() -> apiKeys.create(KeySpec.builder("k2").scopes(plaintext).build()))
                    .withMessage("unknown scope '[an API key, not shown]'")
                    .satisfies(e -> assertThat(e.scope()).doesNotContain(TestKeys.secretOf(plaintext)));
        }
    }
}
