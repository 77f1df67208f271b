package dev.apikey.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The example over real HTTP: each seed route with a key that has its scope and one that has not. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:seed;DB_CLOSE_DELAY=-1",
        "seed.admin-password=" + SeedApiApplicationTest.ADMIN_PASSWORD})
class SeedApiApplicationTest {

    /** The console admin's password in the example's tests (every test class shares one application context). */
    static final String ADMIN_PASSWORD = "correct-horse-battery";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    HttpResponse<String> send(String method, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everySeedRouteWantsItsScope() throws Exception {
        String reader = apiKeys.create(KeySpec.builder("reader").tenantId("92").scopes("events:read").build())
                .plaintext();
        String integrator = apiKeys.create(KeySpec.builder("crm").tenantId("92")
                .scopes("integrations:read", "integrations:write").build()).plaintext();
        String admin = apiKeys.create(KeySpec.builder("ops").tenantId("92").scopes("admin").build()).plaintext();

        assertThat(send("GET", "/api/v1/events", reader).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/events", integrator).body()).contains("\"missing_scope\":\"events:read\"");
        assertThat(send("GET", "/api/v1/integrations/clients/find", integrator).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/integrations/leads", integrator).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/webhooks/subscriptions", reader).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/webhooks/subscriptions", admin).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/events/test", reader).body()).contains("\"missing_scope\":\"admin\"");
        assertThat(send("POST", "/api/v1/events/test", admin).statusCode()).isEqualTo(200);
        HttpResponse<String> whoami = send("GET", "/api/v1/whoami", reader);
        assertThat(whoami.body()).contains("\"hint\":\"wlcro_92_").contains("events:read").doesNotContain(reader);
        assertThat(send("GET", "/api/v1/events", null).body()).contains("\"code\":\"missing_api_key\"");
        assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> health = send("GET", "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).as("status only, for anonymous callers").contains("\"status\":\"UP\"")
                .doesNotContain("apiKeys").doesNotContain("components").doesNotContain("store");
        assertThat(send("GET", "/admin/", reader).statusCode()).as("keys do not open the console").isEqualTo(302);
        assertThat(apiKeys.listAll()).extracting(k -> k.attributes().name()).contains("demo");
    }
}
