package dev.apikey.spring.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which {@code @PreAuthorize} expressions read as scopes, and which are quoted instead. */
class HandlerScopesTest {

    @Test
    void scopeChecksJoinedByAndAreOneSetAndByOrAreAlternatives() {
        assertThat(HandlerScopes.parse("hasAuthority('SCOPE_a')").alternatives()).containsExactly(Set.of("a"));
        assertThat(HandlerScopes.parse("hasAuthority('SCOPE_a') and hasAuthority('SCOPE_b')").alternatives())
                .containsExactly(Set.of("a", "b"));
        assertThat(HandlerScopes.parse("hasAuthority('SCOPE_a') || hasAuthority('SCOPE_b')").alternatives())
                .containsExactly(Set.of("a"), Set.of("b"));
        assertThat(HandlerScopes.parse("hasAnyAuthority('SCOPE_a', 'SCOPE_b')").alternatives())
                .containsExactly(Set.of("a"), Set.of("b"));
    }

    @Test
    void anythingElseIsQuotedNotGuessed() {
        for (String unreadable : List.of("hasRole('X')", "!hasAuthority('SCOPE_a')",
                "hasAuthority('SCOPE_a') and hasAuthority('SCOPE_b') or hasAuthority('SCOPE_c')",
                "hasAuthority('SCOPE_a') and @tenants.owns(#id)",
                "hasAnyAuthority('SCOPE_a', 'SCOPE_b') and hasAuthority('SCOPE_c')",
                "hasAuthority('ROLE_a')")) {
            HandlerScopes read = HandlerScopes.parse(unreadable);
            assertThat(read.alternatives()).as(unreadable).isEmpty();
            assertThat(read.unreadable()).as(unreadable).isEqualTo(unreadable);
        }
    }
}
