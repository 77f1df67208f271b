package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.ProblemTypes;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.servlet.ClientAddress;
import dev.apikey.spring.security.ApiKeyAuthentication;
import dev.apikey.spring.security.ApiKeyReactiveVerifier;
import dev.apikey.spring.security.ApiKeyServerProblemHandler;
import dev.apikey.spring.security.ApiKeyWebFilter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The reactive filter answers a cache hit when it is called, on the calling thread, with no Reactor operator between
 * (the WebFlux benchmark's profile found six per request: defer, just, three peeks and a flatMap); a key the cache
 * cannot answer is still verified only once the answer is subscribed to, on the bounded scheduler. Either way the
 * chain sees the key's authentication.
 */
class ReactiveCacheHitTest {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events").build();

    @Test
    void aCachedKeyIsGrantedAtTheCallAndAnUncachedOneOnSubscription() {
        InMemoryKeyStore store = new InMemoryKeyStore();
        try (ApiKeys warm = ApiKeys.builder().prefix("wlcro").store(store).scopes(SCOPES).build();
                ApiKeys cold = ApiKeys.builder().prefix("wlcro").store(store).scopes(SCOPES).build();
                ApiKeyReactiveVerifier warmVerifier = ApiKeyReactiveVerifier.bounded(warm, 1, 4);
                ApiKeyReactiveVerifier coldVerifier = ApiKeyReactiveVerifier.bounded(cold, 1, 4)) {
            String key = warm.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();
            assertThat(warm.verify(key, "events:read").isGranted()).isTrue();

            MockServerWebExchange hit = exchange(key);
            AtomicReference<Authentication> seenOnHit = new AtomicReference<>();
            Mono<Void> answer = filter(warmVerifier).filter(hit, chain(seenOnHit));
            assertThat(hit.<ApiKeyPrincipal>getAttribute(ApiKeyWebFilter.PRINCIPAL_ATTRIBUTE)).isNotNull();
            answer.block(Duration.ofSeconds(10));
            assertThat(seenOnHit.get()).isInstanceOf(ApiKeyAuthentication.class);
            assertThat(seenOnHit.get().getAuthorities()).extracting(a -> a.getAuthority())
                    .contains("SCOPE_events:read");

            MockServerWebExchange miss = exchange(key);
            AtomicReference<Authentication> seenOnMiss = new AtomicReference<>();
            Mono<Void> later = filter(coldVerifier).filter(miss, chain(seenOnMiss));
            assertThat(miss.<ApiKeyPrincipal>getAttribute(ApiKeyWebFilter.PRINCIPAL_ATTRIBUTE)).isNull();
            later.block(Duration.ofSeconds(10));
            assertThat(miss.<ApiKeyPrincipal>getAttribute(ApiKeyWebFilter.PRINCIPAL_ATTRIBUTE)).isNotNull();
            assertThat(seenOnMiss.get()).isInstanceOf(ApiKeyAuthentication.class);
        }
    }

    private static ApiKeyWebFilter filter(ApiKeyReactiveVerifier verifier) {
        return new ApiKeyWebFilter(verifier, new ApiKeyServerProblemHandler("api", ProblemTypes.DEFAULT_BASE),
                ClientAddress.direct(), null);
    }

    private static MockServerWebExchange exchange(String key) {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/events").header("X-Api-Key", key));
    }

    private static WebFilterChain chain(AtomicReference<Authentication> seen) {
        return exchange -> ReactiveSecurityContextHolder.getContext().map(SecurityContext::getAuthentication)
                .doOnNext(seen::set).then();
    }
}
