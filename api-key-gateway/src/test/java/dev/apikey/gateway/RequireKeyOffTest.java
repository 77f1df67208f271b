package dev.apikey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code apikey.gateway.require-key=false}: only routes with an {@code ApiKey=<scope>} filter need a key; the others
 * pass, still stripped of incoming forwarded-caller headers and still screened.
 */
@SpringBootTest(classes = GatewayApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequireKeyOffTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Upstream upstream;

    @LocalServerPort
    int port;
    @Autowired
    ApiKeys apiKeys;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        upstream = Upstream.withTestSecret();
        GatewayApp.common(registry);
        registry.add("apikey.gateway.require-key", () -> "false");
        GatewayApp.route(registry, 0, "events", upstream, "Path=/events/**", "ApiKey=events:read");
        GatewayApp.route(registry, 1, "open", upstream, "Path=/open/**");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyRoutesWithTheirOwnFilterNeedAKey() throws Exception {
        String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();

        HttpResponse<String> open = get("/open/page", "X-ApiKey-Key-Id", "someoneElse", "X-ApiKey-Signature", "v1=x");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).isEqualTo("path=/open/page\nprincipal=-\ntenant=-\nscopes=-\nheaders=[]");

        assertThat(get("/events/x").statusCode()).isEqualTo(401);
        assertThat(get("/events/x", "X-Api-Key", key).body()).contains("scopes=[events:read]");
        assertThat(get("/open/a/../b").statusCode()).isEqualTo(400);
    }
}
