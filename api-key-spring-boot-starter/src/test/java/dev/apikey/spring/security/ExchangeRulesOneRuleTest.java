package dev.apikey.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.ProblemTypes;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.servlet.ClientAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.WebFilterChainProxy;
import reactor.core.publisher.Mono;

/**
 * The routes of {@link ApiKeyExchangeRules} are one rule of Spring Security's, matched by the rules themselves: a
 * request runs none of Spring Security's request matchers per route (each was an {@code OrServerWebExchangeMatcher}
 * around the route's matcher, a Flux and a flatMap per route tried, with debug messages that commons-logging's SLF4J
 * bridge formats even with DEBUG off: the WebFlux benchmark's profiles found them on every request), and every
 * decision is still the routes' (first match, {@code GET} also {@code HEAD}, public, scope, tenant, 405, 404).
 */
class ExchangeRulesOneRuleTest {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events")
            .scope("webhooks:write", "Manage webhooks").build();

    @Test
    void aRequestRunsNoSpringSecurityMatcherPerRouteAndGetsTheRoutesDecision() {
        Logger matchers = (Logger) LoggerFactory.getLogger("org.springframework.security.web.server.util.matcher");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        Level level = matchers.getLevel();
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(SCOPES).build();
                ApiKeyReactiveVerifier verifier = ApiKeyReactiveVerifier.bounded(apiKeys, 1, 4)) {
            String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build())
                    .plaintext();
            ServerHttpSecurity http = ServerHttpSecurity.http();
            http.authorizeExchange(ApiKeyExchangeRules.of("GET /health -> public",
                    "POST /api/v1/events -> webhooks:write", "GET /api/v1/events -> events:read",
                    "GET /api/v1/tenants/{tenantId}/events -> events:read", "* /api/v1/whoami -> authenticated"));
            new ApiKeyServerSecurity(verifier, new ApiKeyServerProblemHandler("api", ProblemTypes.DEFAULT_BASE),
                    ClientAddress.direct(), null).apply(http);
            WebFilterChainProxy chain = new WebFilterChainProxy(http.build());
            seen.start();
            matchers.addAppender(seen);
            matchers.setLevel(Level.DEBUG);

            List<String> answers = new ArrayList<>();
            answers.add(status(chain, HttpMethod.GET, "/api/v1/events", key));
            answers.add(status(chain, HttpMethod.HEAD, "/api/v1/events", key));
            answers.add(status(chain, HttpMethod.POST, "/api/v1/events", key));
            answers.add(status(chain, HttpMethod.GET, "/api/v1/events", null));
            answers.add(status(chain, HttpMethod.GET, "/health", null));
            answers.add(status(chain, HttpMethod.GET, "/api/v1/tenants/92/events", key));
            answers.add(status(chain, HttpMethod.GET, "/api/v1/tenants/93/events", key));
            answers.add(status(chain, HttpMethod.PATCH, "/api/v1/whoami", key));
            answers.add(status(chain, HttpMethod.DELETE, "/api/v1/events", key));
            answers.add(status(chain, HttpMethod.GET, "/api/v1/nothing", key));
            assertThat(answers).containsExactly("reached", "reached", "403 insufficient_scope",
                    "401 missing_api_key", "reached", "reached", "403 tenant_mismatch", "reached",
                    "405 method_not_allowed", "404 not_found");
        } finally {
            matchers.setLevel(level);
            matchers.detachAppender(seen);
        }
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage)
                .as("Spring Security's matchers, run per route").isEmpty();
    }

    /** {@return "reached" if the request got through the chain, else its status and problem code} */
    private static String status(WebFilterChainProxy chain, HttpMethod method, String path, String key) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.method(method, path);
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        boolean[] reached = {false};
        chain.filter(exchange, e -> {
            reached[0] = true;
            return Mono.empty();
        }).block(Duration.ofSeconds(10));
        if (reached[0]) {
            return "reached";
        }
        String body = exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(10));
        String code = body == null ? "" : body.replaceAll(".*\"code\":\"([a-z_]+)\".*", "$1");
        return exchange.getResponse().getStatusCode().value() + " " + code;
    }
}
