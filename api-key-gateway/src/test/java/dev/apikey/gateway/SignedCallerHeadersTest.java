package dev.apikey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.forwarded.ForwardedHeaders;
import dev.apikey.forwarded.SignedCaller;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.KeySpec;
import dev.apikey.model.VerifyRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

/**
 * The URL a signature covers is the URL as the routing filter sends it: its ASCII form. The headers given are never
 * edited.
 */
class SignedCallerHeadersTest {

    @Test
    void anAsciiUrlIsSignedAsItIsAndOneWithOtherCharactersInItsEncodedForm() throws Exception {
        URI ascii = URI.create("http://upstream:8080/events/a%2Bb?q=a%20b&plus=1+2");
        assertThat(SignedCallerHeaders.sent(ascii)).isSameAs(ascii);

        // A route that rewrites the path can leave characters outside ASCII in the URL; the routing filter sends
        // toASCIIString(), so the signed path must be that one.
        URI other = new URI("http", null, "upstream", 8080, "/événements", "q=ü", null);
        URI sent = SignedCallerHeaders.sent(other);
        assertThat(sent.getRawPath()).isEqualTo("/%C3%A9v%C3%A9nements");
        assertThat(sent.getRawQuery()).isEqualTo("q=%C3%BC");
        assertThat(sent.toString()).isEqualTo(other.toASCIIString());
    }

    @Test
    void theHeadersGivenAreNeverEditedNotEvenAPlainWrapperOfTheRequestsOwn() {
        SignedCallerHeaders filter = new SignedCallerHeaders(SignedCaller.withSecret("s".repeat(32),
                ForwardedHeaders.DEFAULTS), Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC));
        ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/events/1")
                .header("Accept", "*/*").header("X-ApiKey-Tenant", "forged"));
        exchange.getAttributes().put(GatewayKeyCheck.PRINCIPAL_ATTRIBUTE, principal());
        List<String> signed = List.of("Accept", "X-ApiKey-Key-Id", "X-ApiKey-Tenant", "X-ApiKey-Scopes",
                "X-ApiKey-Timestamp", "X-ApiKey-Signature");
        HttpHeaders own = exchange.getRequest().getHeaders();

        // In Spring 7 new HttpHeaders(h) wraps h's map: a host's headers filter could hand on such a wrapper, and an
        // edit in place would write the signed caller into the request's own headers.
        HttpHeaders wrapper = new HttpHeaders(own);
        HttpHeaders fromWrapper = filter.filter(wrapper, exchange);
        HttpHeaders fromOwn = filter.filter(own, exchange);

        assertThat(fromWrapper).isNotSameAs(wrapper);
        assertThat(fromWrapper.headerNames()).containsExactlyInAnyOrderElementsOf(signed);
        assertThat(fromWrapper.getFirst("X-ApiKey-Tenant")).isEqualTo("acme");
        assertThat(fromWrapper.getFirst("x-apikey-tenant")).as("the copy's names are case-insensitive").isEqualTo("acme");
        assertThat(fromWrapper.getFirst("ACCEPT")).isEqualTo("*/*");
        assertThat(fromOwn.toSingleValueMap()).isEqualTo(fromWrapper.toSingleValueMap());
        assertThat(own.toSingleValueMap()).as("the request's own headers unchanged")
                .isEqualTo(java.util.Map.of("Accept", "*/*", "X-ApiKey-Tenant", "forged"));
    }

    private static ApiKeyPrincipal principal() {
        try (ApiKeys keys = ApiKeys.builder().prefix("gwtst").store(new InMemoryKeyStore()).scopes(GatewayApp.SCOPES)
                .build()) {
            String key = keys.create(KeySpec.builder("k").tenantId("acme").scopes("events:read").build()).plaintext();
            return keys.verify(VerifyRequest.header(key)).principal().orElseThrow();
        }
    }
}
