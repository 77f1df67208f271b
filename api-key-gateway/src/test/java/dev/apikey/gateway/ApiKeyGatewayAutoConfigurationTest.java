package dev.apikey.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.UnknownScopeException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration's start: what it needs, and the errors that name the property at fault. */
class ApiKeyGatewayAutoConfigurationTest {

    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes-here";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApiKeyGatewayAutoConfiguration.class))
            .withBean(ApiKeys.class, () -> ApiKeys.builder().prefix("gwtst").store(new InMemoryKeyStore())
                    .scopes(GatewayApp.SCOPES).build());

    @Test
    void withASecretAndApiKeysTheFiltersAreThere() {
        runner.withPropertyValues("apikey.gateway.secret=" + SECRET, "apikey.gateway.headers.key-id=X-Caller-Id")
                .run(context -> {
                    assertThat(context).hasSingleBean(ApiKeyGlobalFilter.class)
                            .hasSingleBean(ApiKeyGatewayFilterFactory.class).hasSingleBean(SignedCallerHeaders.class);
                    assertThat(context.getBean(GatewayKeyCheck.class).names().keyId()).isEqualTo("X-Caller-Id");
                    assertThat(context.getBean(ApiKeyGatewayProperties.class).toString()).doesNotContain(SECRET);
                });
    }

    @Test
    void withoutASecretTheStartFailsNamingTheProperty() {
        runner.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("apikey.gateway.secret is required"));
    }

    @Test
    void aShortSecretFailsTheStartWithoutShowingIt() {
        runner.withPropertyValues("apikey.gateway.secret=too-short-secret").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(failure).rootCause().hasMessage("secret must be at least 32 bytes, was 16");
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("too-short-secret");
            }
        });
    }

    @Test
    void aBadHeaderNameFailsTheStartNamingIt() {
        runner.withPropertyValues("apikey.gateway.secret=" + SECRET, "apikey.gateway.headers.tenant=X Tenant")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("header name tenant must be 1 to 64 of [A-Za-z0-9-]"));
    }

    @Test
    void withoutApiKeysTheStartFailsSayingWhatIsMissing() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ApiKeyGatewayAutoConfiguration.class))
                .withPropertyValues("apikey.gateway.secret=" + SECRET)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("api-key-gateway needs an ApiKeys bean"));
    }

    @Test
    void disabledConfiguresNothing() {
        runner.withPropertyValues("apikey.gateway.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ApiKeyGlobalFilter.class));
    }

    @Test
    void aRouteFilterNeedsADeclaredScope() {
        runner.withPropertyValues("apikey.gateway.secret=" + SECRET).run(context -> {
            ApiKeyGatewayFilterFactory factory = context.getBean(ApiKeyGatewayFilterFactory.class);
            assertThat(factory.name()).isEqualTo("ApiKey");
            assertThat(factory.apply(c -> c.setScope("events:read"))).hasToString("ApiKey[events:read]");
            assertThatThrownBy(() -> factory.apply(c -> c.setScope("events:write")))
                    .isInstanceOf(UnknownScopeException.class);
            assertThatThrownBy(() -> factory.apply(c -> c.setScope(" ")))
                    .hasMessageContaining("the ApiKey route filter needs a scope");
        });
    }
}
