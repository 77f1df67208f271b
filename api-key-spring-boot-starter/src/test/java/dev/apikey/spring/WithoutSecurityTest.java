package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.KeyStore;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Without Spring Security (its auto-configuration excluded, as if absent) and without a DataSource: the starter
 * registers ApiKeyFilter for apikey.routes, and keeps keys in memory.
 */
@SpringBootTest(classes = WithoutSecurityTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.scopes.[events\\:write]=Send test events",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.routes[1]=POST /api/v1/events/test -> events:write",
            "apikey.routes[2]=GET /health -> public",
            "spring.autoconfigure.exclude="
                    + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
                    + "dev.apikey.spring.security.ApiKeySecurityAutoConfiguration,"
                    + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class WithoutSecurityTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(SeedControllers.class)
    static class App {
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    KeyStore store;

    @Test
    void theFilterGuardsTheRoutesAndKeysAreKeptInMemory() {
        String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();

        assertThat(store).isInstanceOf(InMemoryKeyStore.class);
        assertThat(Http.get(port, "/api/v1/events", key).statusCode()).isEqualTo(200);
        HttpResponse<String> none = Http.get(port, "/api/v1/events", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("\"code\":\"missing_api_key\"");
        HttpResponse<String> undeclared = Http.get(port, "/api/v1/other", key);
        assertThat(undeclared.statusCode()).as("the filter's 404 for undeclared routes").isEqualTo(404);
        assertThat(Http.get(port, "/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> post = Http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/events/test")).header("X-Api-Key", key)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("\"missing_scope\":\"events:write\"");
    }
}
