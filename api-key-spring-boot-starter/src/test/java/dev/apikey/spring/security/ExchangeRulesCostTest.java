package dev.apikey.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.ProblemTypes;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
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
 * A route's cost on a reactive chain of the host's: given to {@link ApiKeyServerSecurity#apply(ServerHttpSecurity,
 * ApiKeyExchangeRules)}, each key is verified at the cost of the rule matching the request; given to
 * {@code authorizeExchange} alone, nothing verifies at that cost, and that is said once, in a warning.
 */
class ExchangeRulesCostTest {

    private static final String[] RULES = {"GET /health -> public", "GET /api/v1/search -> events:read cost=4",
        "GET /api/v1/events -> events:read"};

    @Test
    void rulesAppliedWithTheFilterAreVerifiedAtTheirCost() {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ExchangeRulesOneRuleTest.SCOPES).build();
                ApiKeyReactiveVerifier verifier = ApiKeyReactiveVerifier.bounded(apiKeys, 1, 4)) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").quota(Quota.perDay(10)).build())
                    .plaintext();
            ServerHttpSecurity http = ServerHttpSecurity.http();
            security(verifier).apply(http, ApiKeyExchangeRules.of(RULES));
            WebFilterChainProxy chain = new WebFilterChainProxy(http.build());

            List<String> answers = new ArrayList<>();
            answers.add(status(chain, HttpMethod.GET, "/api/v1/search", key));
            answers.add(status(chain, HttpMethod.HEAD, "/api/v1/search", key));
            answers.add(status(chain, HttpMethod.GET, "/api/v1/search", key));
            answers.add(status(chain, HttpMethod.GET, "/api/v1/events", key));
            answers.add(status(chain, HttpMethod.GET, "/api/v1/events", key));
            answers.add(status(chain, HttpMethod.GET, "/api/v1/events", key));
            answers.add(status(chain, HttpMethod.GET, "/health", null));
            assertThat(answers).containsExactly("reached", "reached", "429 quota_exceeded", "reached", "reached",
                    "429 quota_exceeded", "reached");
        }
    }

    @Test
    void rulesWithACostGivenOnlyToAuthorizeExchangeAreCountedAtOneWithOneWarning() {
        Logger log = (Logger) LoggerFactory.getLogger(ApiKeyExchangeRules.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        boolean additive = log.isAdditive();
        seen.start();
        log.addAppender(seen);
        log.setAdditive(false); // asserted below, not printed
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ExchangeRulesOneRuleTest.SCOPES).build();
                ApiKeyReactiveVerifier verifier = ApiKeyReactiveVerifier.bounded(apiKeys, 1, 4)) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").quota(Quota.perDay(10)).build())
                    .plaintext();
            ServerHttpSecurity http = ServerHttpSecurity.http();
            http.authorizeExchange(ApiKeyExchangeRules.of(RULES));
            security(verifier).apply(http);
            WebFilterChainProxy chain = new WebFilterChainProxy(http.build());

            for (int i = 0; i < 3; i++) {
                assertThat(status(chain, HttpMethod.GET, "/api/v1/search", key)).isEqualTo("reached");
            }
        } finally {
            log.detachAppender(seen);
            log.setAdditive(additive);
        }
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .startsWith("a rule of cost 4 of ApiKeyExchangeRules[")
                .endsWith("matched a request verified at cost 1: give the rules to "
                        + "ApiKeyServerSecurity.apply(http, rules) for their costs to be spent");
    }

    private static ApiKeyServerSecurity security(ApiKeyReactiveVerifier verifier) {
        return new ApiKeyServerSecurity(verifier, new ApiKeyServerProblemHandler("api", ProblemTypes.DEFAULT_BASE),
                ClientAddress.direct(), null);
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
