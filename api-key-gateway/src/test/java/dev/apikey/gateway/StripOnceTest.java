package dev.apikey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.ProblemTypes;
import dev.apikey.forwarded.ForwardedHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.scheduler.Schedulers;

/**
 * An exchange is stripped of forwarded-caller headers once: a second strip of the exchange the first one returned reads
 * nothing again, and a strip of any other request (the unstripped original) strips it. A request that is not the
 * server's own (here a mock) is rebuilt without what is removed; the server's own is edited in place
 * ({@code ApiKeyGatewayTest}).
 */
class StripOnceTest {

    @Test
    void aStrippedRequestIsNotReadAgainAndTheOriginalIsStillStripped() {
        try (ApiKeys keys = ApiKeys.builder().prefix("gwtst").store(new InMemoryKeyStore()).scopes(GatewayApp.SCOPES)
                .build()) {
            GatewayKeyCheck check = new GatewayKeyCheck(keys, ForwardedHeaders.DEFAULTS, "api", ProblemTypes.DEFAULT_BASE,
                    Schedulers.immediate());
            ServerWebExchange original = MockServerWebExchange.from(MockServerHttpRequest.get("/events/1")
                    .header("X-ApiKey-Key-Id", "forged").header("X-ApiKey-Scopes", "admin").header("Accept", "*/*"));

            ServerWebExchange stripped = check.strip(original);
            assertThat(stripped).isNotSameAs(original);
            assertThat(stripped.getRequest().getHeaders().headerNames()).containsExactly("Accept");
            assertThat(check.strip(stripped)).as("the same clean request: not read again").isSameAs(stripped);

            // The attributes are shared with the original, whose request still carries the forged headers.
            ServerWebExchange again = check.strip(original);
            assertThat(again).isNotSameAs(original);
            assertThat(again.getRequest().getHeaders().headerNames()).containsExactly("Accept");

            ServerWebExchange clean = MockServerWebExchange.from(MockServerHttpRequest.get("/events/1"));
            assertThat(check.strip(clean)).isSameAs(clean);
            assertThat(check.strip(clean)).isSameAs(clean);
        }
    }

    @Test
    void aRequestThatIsNotTheServersOwnIsRebuiltWithoutTheKeysHeaders() {
        ServerWebExchange mock = MockServerWebExchange.from(MockServerHttpRequest.get("/events/1")
                .header("X-Api-Key", "gwtst_k").header("Authorization", "Bearer gwtst_k").header("Accept", "*/*"));

        ServerWebExchange without = GatewayKeyCheck.withoutKey(mock);

        assertThat(without).isNotSameAs(mock);
        assertThat(without.getRequest().getHeaders().headerNames()).containsExactly("Accept");
        assertThat(ServerHeaders.of(mock.getRequest())).as("a mock request has no server headers").isNull();
    }
}
