package dev.apikey.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * A filter's {@code SCOPE_} authorities are made once from the catalog, and a grant hands out the same ones: the
 * scopes the key holds (a wildcard's included) and a factor authority issued by this grant.
 */
class ScopeAuthoritiesTest {

    @Test
    void grantsShareTheCatalogsAuthoritiesAndEachGetsItsOwnFactor() {
        ScopeCatalog catalog = ScopeCatalog.builder().scope("events:read", "Read events")
                .scope("events:write", "Write events").wildcard("events:*", "All events")
                .scope("billing:read", "Read billing").build();
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(catalog).build()) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("events:*").build()).plaintext();
            ApiKeyPrincipal principal = apiKeys.verify(key, "events:read").principal().orElseThrow();
            ApiKeyAuthentication.ScopeAuthorities authorities = new ApiKeyAuthentication.ScopeAuthorities(catalog);

            ApiKeyAuthentication first = authorities.of(principal);
            ApiKeyAuthentication second = authorities.of(principal);

            assertThat(names(first)).containsExactly("SCOPE_events:read", "SCOPE_events:write", "SCOPE_events:*",
                    ApiKeyAuthentication.FACTOR_AUTHORITY);
            assertThat(names(first)).isEqualTo(names(ApiKeyAuthentication.of(apiKeys, principal)));
            List<GrantedAuthority> a = List.copyOf(first.getAuthorities());
            List<GrantedAuthority> b = List.copyOf(second.getAuthorities());
            for (int i = 0; i < 3; i++) {
                assertThat(b.get(i)).isSameAs(a.get(i));
            }
            assertThat(a.get(3)).isInstanceOf(FactorGrantedAuthority.class).isNotSameAs(b.get(3));
            assertThat(first.getPrincipal()).isSameAs(principal);
            assertThat(first.isAuthenticated()).isTrue();
        }
    }

    private static List<String> names(ApiKeyAuthentication authentication) {
        return authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
    }
}
