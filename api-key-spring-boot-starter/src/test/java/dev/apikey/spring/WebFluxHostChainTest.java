package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import dev.apikey.spring.security.ApiKeyExchangeRules;
import dev.apikey.spring.security.ApiKeyServerSecurity;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * A reactive host with chains of its own: API keys on {@code /api/**} through the starter's
 * {@link ApiKeyServerSecurity} and rules from {@link ApiKeyExchangeRules}, everything else open. The starter's own
 * chain steps aside, as the servlet one does, and so does its keys-only authentication manager, for the host's
 * {@code spring.security.user.*}.
 */
@SpringBootTest(classes = WebFluxHostChainTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.main.web-application-type=reactive",
            "server.address=127.0.0.1",
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.scopes.[events\\:write]=Send test events",
            "apikey.routes[0]=GET /nothing -> events:write",
            "spring.security.user.name=alice",
            "spring.security.user.password=correct-horse-battery-staple"})
class WebFluxHostChainTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReactiveControllers.class)
    static class App {
        // README:webflux-chain:start
        @Bean
        @Order(1)
        SecurityWebFilterChain api(ServerHttpSecurity http, ApiKeyServerSecurity apiKeys) {
            http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**"))
                .authorizeExchange(ApiKeyExchangeRules.of(
                        "GET /api/v1/events -> events:read",
                        "POST /api/v1/events/test -> events:write"));
            return apiKeys.apply(http).build();
        }
        // README:webflux-chain:end

        @Bean
        @Order(2)
        SecurityWebFilterChain rest(ServerHttpSecurity http) {
            return http.authorizeExchange(a -> a.anyExchange().permitAll()).build();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    ApplicationContext context;

    @Test
    void theHostsChainsDecideAndTheStartersStepsAside() {
        String reader = apiKeys.create(KeySpec.builder("r").scopes("events:read").build()).plaintext();

        assertThat(context.containsBean("apiKeySecurityWebFilterChain")).isFalse();
        assertThat(context.containsBean("apiKeyReactiveAuthenticationManager"))
                .as("spring.security.user.* set: Spring Boot's user, not the keys-only manager").isFalse();
        assertThat(context.getBeanNamesForType(
                org.springframework.security.core.userdetails.ReactiveUserDetailsService.class)).hasSize(1);
        assertThat(Http.get(port, "/api/v1/events", reader).statusCode()).isEqualTo(200);
        HttpResponse<String> none = Http.get(port, "/api/v1/events", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("\"code\":\"missing_api_key\"");
        HttpResponse<String> post = SecurityStarterTest.send(port, "POST", "/api/v1/events/test", "X-Api-Key", reader);
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("\"missing_scope\":\"events:write\"");
        assertThat(SecurityStarterTest.send(port, "HEAD", "/api/v1/events", "X-Api-Key", reader).statusCode())
                .isEqualTo(200);
        assertThat(Http.get(port, "/health", null).statusCode()).as("the host's other chain: open").isEqualTo(200);
    }
}
