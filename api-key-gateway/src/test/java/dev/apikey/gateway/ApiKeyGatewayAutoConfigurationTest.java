package dev.apikey.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.UnknownScopeException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.gateway.filter.GlobalFilter;

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
    void withoutTheWebFluxGatewayTheStartFailsInsteadOfProtectingNothing() {
        ApplicationContextRunner noGateway = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ApiKeyGatewayAutoConfiguration.class,
                        ApiKeyGatewayGuardAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(GlobalFilter.class))
                .withPropertyValues("apikey.gateway.secret=" + SECRET);

        noGateway.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("api-key-gateway protects Spring Cloud Gateway server WebFlux applications"));
        noGateway.withPropertyValues("apikey.gateway.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theGuardStaysOutOfAGateway() {
        runner.withConfiguration(AutoConfigurations.of(ApiKeyGatewayGuardAutoConfiguration.class))
                .withPropertyValues("apikey.gateway.secret=" + SECRET)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ApiKeyGlobalFilter.class));
    }

    @Test
    void verifyThreadsAndQueueOutOfRangeFailTheStartNamingThem() {
        runner.withPropertyValues("apikey.gateway.secret=" + SECRET, "apikey.gateway.verify-threads=0")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessage("apikey.gateway.verify-threads must be 1 to 1024"));
        runner.withPropertyValues("apikey.gateway.secret=" + SECRET, "apikey.gateway.verify-queue=0")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessage("apikey.gateway.verify-queue must be 1 to 1000000"));
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

    @Test
    void aRouteFiltersCostIsOneUnlessSetAndOutOfRangeFailsTheRoute() {
        runner.withPropertyValues("apikey.gateway.secret=" + SECRET).run(context -> {
            ApiKeyGatewayFilterFactory factory = context.getBean(ApiKeyGatewayFilterFactory.class);
            assertThat(factory.shortcutFieldOrder()).containsExactly("scope", "cost");
            assertThat(new ApiKeyGatewayFilterFactory.Config().getCost()).isNull();
            assertThat(factory.apply(c -> c.setScope("events:read"))).hasToString("ApiKey[events:read]");
            assertThat(factory.apply(c -> {
                c.setScope("events:read");
                c.setCost("4");
            })).hasToString("ApiKey[events:read, cost 4]");
            for (String bad : new String[] {"0", "1000001"}) {
                assertThatThrownBy(() -> factory.apply(c -> {
                    c.setScope("events:read");
                    c.setCost(bad);
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("cost must be 1 to 1000000, was "
                        + Long.parseLong(bad) + " in the ApiKey route filter ApiKey=events:read," + bad);
            }
            for (String bad : new String[] {"", "-1", "+5", " 5", "0x10", "#10", "\u0663", "1e3",
                "99999999999999999999"}) {
                assertThatThrownBy(() -> factory.apply(c -> {
                    c.setScope("events:read");
                    c.setCost(bad);
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("cost must be a whole number 1 to "
                        + "1000000, was '" + bad + "' in the ApiKey route filter ApiKey=events:read," + bad);
            }
        });
    }

    @Test
    void aGatewayWithARouteOfCostZeroFailsToStartNamingTheFilter() {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (var ignored = new org.springframework.boot.builder.SpringApplicationBuilder(GatewayApp.class)
                    .properties("spring.main.web-application-type=reactive", "spring.main.banner-mode=off",
                            "server.address=127.0.0.1", "server.port=0", "apikey.gateway.secret=" + SECRET,
                            // The failure is asserted below, not printed (the gateway and Spring Boot log it).
                            "logging.level.root=off",
                            "spring.cloud.gateway.server.webflux.routes[0].id=search",
                            "spring.cloud.gateway.server.webflux.routes[0].uri=http://127.0.0.1:9",
                            "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/search/**",
                            "spring.cloud.gateway.server.webflux.routes[0].filters[0]=ApiKey=events:read,0")
                    .run()) {
                // started: no failure
            }
        });
        assertThat(failure).as("the start fails").isNotNull();
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertThat(root).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost must be 1 to 1000000, was 0 in the ApiKey route filter ApiKey=events:read,0");
    }
}
