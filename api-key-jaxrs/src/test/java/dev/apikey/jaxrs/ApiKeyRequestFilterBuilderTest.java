package dev.apikey.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import org.junit.jupiter.api.Test;

/** The builder refuses bad settings, naming the setting and the rule. */
class ApiKeyRequestFilterBuilderTest {

    @Test
    void aBadRealmOrTypeBaseIsRefusedByName() {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(JaxrsContract.SCOPES).hasher(Sha256Hasher.create()).build()) {
            ApiKeyRequestFilter.Builder builder = ApiKeyRequestFilter.builder(apiKeys);
            assertThatThrownBy(() -> builder.realm("a\"b")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("realm").hasMessageContaining("[A-Za-z0-9 ._-]");
            assertThatThrownBy(() -> builder.problemTypeBase("not a uri")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("base");
            assertThatThrownBy(() -> builder.peerAddress(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("peerAddress");
            assertThat(builder.realm("api").build().toString()).contains("api").contains("urn:apikey:problem:");
        }
    }

    @Test
    void theSecurityContextsSchemeIsTheServletFiltersAuthType() {
        assertThat(ApiKeyRequestFilter.AUTHENTICATION_SCHEME).isEqualTo("API_KEY");
        assertThat(ApiKeyRequestFilter.PRINCIPAL_PROPERTY).isEqualTo(dev.apikey.servlet.ApiKeyFilter.PRINCIPAL_ATTRIBUTE);
    }
}
