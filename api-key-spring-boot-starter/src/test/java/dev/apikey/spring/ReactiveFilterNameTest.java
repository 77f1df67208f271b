package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.ProblemTypes;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.servlet.ClientAddress;
import dev.apikey.spring.security.ApiKeyReactiveVerifier;
import dev.apikey.spring.security.ApiKeyServerProblemHandler;
import dev.apikey.spring.security.ApiKeyWebFilter;
import org.junit.jupiter.api.Test;

/**
 * Spring's {@code DefaultWebFilterChain} asks each filter's {@code toString()} for every exchange (the name of its
 * checkpoint), so the reactive filter's name is made once, not per request (a JFR profile of the WebFlux benchmark,
 * docs/BENCHMARKS.md, found it rebuilt on every request).
 */
class ReactiveFilterNameTest {

    @Test
    void theFiltersNameIsMadeOnceAndSaysWhatItIs() {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("events:read", "Read events").build()).build();
                ApiKeyReactiveVerifier verifier = ApiKeyReactiveVerifier.bounded(apiKeys, 1, 1)) {
            ApiKeyWebFilter filter = new ApiKeyWebFilter(verifier,
                    new ApiKeyServerProblemHandler("api", ProblemTypes.DEFAULT_BASE), ClientAddress.direct(), null);

            String name = filter.toString();

            assertThat(filter.toString()).isSameAs(name);
            assertThat(name).startsWith("ApiKeyWebFilter[ApiKeyServerProblemHandler[api, ");
        }
    }
}
