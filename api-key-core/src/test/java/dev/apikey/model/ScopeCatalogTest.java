package dev.apikey.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.apikey.ApiKeys;
import dev.apikey.CountingKeyStore;
import dev.apikey.TestKeys;
import dev.apikey.internal.ScopeBits;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeCatalogTest {

    private static final ScopeCatalog CATALOG = TestKeys.SCOPES;

    @Test
    void anUnknownScopeGetsADidYouMean() {
        assertThatExceptionOfType(UnknownScopeException.class)
                .isThrownBy(() -> CATALOG.requireDeclared(List.of("events:read", "event:read")))
                .withMessage("unknown scope 'event:read' (did you mean 'events:read'?)")
                .satisfies(e -> assertThat(e.suggestion()).contains("events:read"))
                .satisfies(e -> assertThat(e.scope()).isEqualTo("event:read"));
    }

    @Test
    void aScopeFarFromEveryOtherGetsNoSuggestion() {
        assertThatExceptionOfType(UnknownScopeException.class)
                .isThrownBy(() -> CATALOG.requireDeclared(List.of("billing:export")))
                .satisfies(e -> assertThat(e.suggestion()).isEmpty())
                .withMessage("unknown scope 'billing:export'");
    }

    @Test
    void aValueThatIsNoScopeNameIsRefusedWithoutEchoingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CATALOG.requireDeclared(List.of("events:read\nFAKE LOG LINE")))
                .withMessageNotContaining("FAKE");
    }

    @Test
    void creatingAKeyWithAnUnknownScopeFailsAndWritesNothing() {
        CountingKeyStore store = new CountingKeyStore();
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(CATALOG)
                .hasher(TestKeys.cheapArgon2()).build()) {

            assertThatExceptionOfType(UnknownScopeException.class).isThrownBy(() ->
                    apiKeys.create(KeySpec.builder("typo").scopes("webhook:write").build()))
                    .withMessageContaining("did you mean 'webhooks:write'");
            assertThat(TestKeys.all(store.delegate)).isEmpty();
        }
    }

    @Test
    void matchingIsExactWithoutCaseFoldingOrPrefixTricks() {
        Set<String> held = Set.of("events:read");
        ScopeBits bits = CATALOG.compile(held);

        assertThat(bits.has(CATALOG.bitOf("events:read"))).isTrue();
        assertThat(CATALOG.bitOf("Events:read")).isEqualTo(-1);
        assertThat(CATALOG.bitOf("events:read ")).isEqualTo(-1);
        assertThat(CATALOG.bitOf("events")).isEqualTo(-1);
        assertThat(bits.has(CATALOG.bitOf("events:write"))).isFalse();
        assertThat(bits.has(CATALOG.bitOf("events:*"))).isFalse();
    }

    @Test
    void aWildcardGrantsItsResourceOnlyAndASuperScopeGrantsAll() {
        ScopeBits wildcard = CATALOG.compile(Set.of("events:*"));
        ScopeBits admin = CATALOG.compile(Set.of("admin"));

        assertThat(wildcard.has(CATALOG.bitOf("events:read"))).isTrue();
        assertThat(wildcard.has(CATALOG.bitOf("events:write"))).isTrue();
        assertThat(wildcard.has(CATALOG.bitOf("webhooks:write"))).isFalse();
        assertThat(wildcard.has(CATALOG.bitOf("admin"))).isFalse();
        for (Scope s : CATALOG.scopes()) {
            assertThat(admin.has(CATALOG.bitOf(s.name()))).as(s.name()).isTrue();
        }
    }

    @Test
    void theBuilderRefusesBadDeclarations() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScopeCatalog.builder().scope("", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> ScopeCatalog.builder().scope(":read", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> ScopeCatalog.builder().scope("a b", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> ScopeCatalog.builder().scope("events:*", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> ScopeCatalog.builder().wildcard("events", "x"))
                .withMessageContaining("<resource>:*");
        assertThatIllegalArgumentException().isThrownBy(() -> ScopeCatalog.builder().scope("a", " "))
                .withMessageContaining("description");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ScopeCatalog.builder().scope("a", "x").superScope("a", "y"))
                .withMessageContaining("declared twice");
        assertThatIllegalStateException().isThrownBy(() -> ScopeCatalog.builder().build());
    }
}
