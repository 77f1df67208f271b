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
 * {@code server.forward-headers-strategy=native} (Spring Boot's default on a cloud platform it detects) makes Reactor
 * Netty take the request's remote address from {@code X-Forwarded-For}, a header the client writes: a key's allow
 * list still sees the connection's address.
 */
@SpringBootTest(classes = GatewayApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.forward-headers-strategy=native")
class ForwardedAddressTest {

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
        GatewayApp.route(registry, 0, "events", upstream, "Path=/events/**", "ApiKey=events:read");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    private HttpResponse<String> get(String key, String forwardedFor) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events/x"))
                .timeout(Duration.ofSeconds(20)).header("X-Api-Key", key).header("X-Forwarded-For", forwardedFor)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aForgedForwardedForNeitherOpensNorClosesAnAllowList() throws Exception {
        String office = apiKeys.create(KeySpec.builder("office").scopes("events:read")
                .allowedAddresses("192.0.2.0/24").build()).plaintext();
        String local = apiKeys.create(KeySpec.builder("local").scopes("events:read")
                .allowedAddresses("127.0.0.1/32").build()).plaintext();

        HttpResponse<String> forged = get(office, "192.0.2.7");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("ip_not_allowed");
        assertThat(get(local, "192.0.2.7").statusCode()).isEqualTo(200);
    }
}
