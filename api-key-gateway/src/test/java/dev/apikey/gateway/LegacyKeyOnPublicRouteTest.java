package dev.apikey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.KeySpec;
import dev.apikey.model.LegacyFormat;
import dev.apikey.spi.LegacyHash;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A key of a legacy format the verifier takes goes no further than the gateway on a public route either. */
@SpringBootTest(classes = LegacyKeyOnPublicRouteTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LegacyKeyOnPublicRouteTest {

    static final String LEGACY = "sk_live_4f9a2b7c1d3e5f60718293a4b5c6d7e8";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Upstream upstream;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean(destroyMethod = "close")
        ApiKeys apiKeys() {
            return ApiKeys.builder().prefix("gwtst").store(new InMemoryKeyStore()).scopes(GatewayApp.SCOPES)
                    .legacyFormat(LegacyFormat.digest("hw").prefix("sk_live_").length(40, 40)
                            .alphabet("0123456789abcdef").build()).build();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ApiKeys apiKeys;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        upstream = Upstream.withTestSecret();
        GatewayApp.common(registry);
        registry.add("apikey.gateway.public-routes[0]", () -> "open");
        GatewayApp.route(registry, 0, "events", upstream, "Path=/events/**");
        GatewayApp.route(registry, 1, "open", upstream, "Path=/open/**");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLegacyKeyInAuthorizationIsRemovedOnAPublicRoute() throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(LEGACY.getBytes(StandardCharsets.US_ASCII)));
        apiKeys.legacy().importKey(KeySpec.builder("legacy").scopes("events:read").build(), LegacyHash.sha256Hex(hex));
        assertThat(get("/events/x", "Bearer " + LEGACY).statusCode()).as("a key the verifier takes").isEqualTo(200);

        for (String value : new String[] {"Bearer " + LEGACY, LEGACY, "Bearer x, bearer  " + LEGACY}) {
            HttpResponse<String> open = get("/open/x", value);
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.body()).as(value.replace(LEGACY, "<key>")).endsWith("headers=[]");
        }
        assertThat(get("/open/x", "Bearer sk_live_not-a-key").body()).as("another token goes on")
                .endsWith("headers=[authorization]");
    }
}
