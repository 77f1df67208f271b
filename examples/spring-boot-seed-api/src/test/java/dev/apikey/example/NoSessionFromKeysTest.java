package dev.apikey.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.KeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:seed;DB_CLOSE_DELAY=-1")
class NoSessionFromKeysTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @org.springframework.boot.test.context.TestConfiguration
    static class Listen {
        @org.springframework.context.annotation.Bean
        jakarta.servlet.http.HttpSessionListener listener() {
            return new jakarta.servlet.http.HttpSessionListener() {
                @Override
                public void sessionCreated(jakarta.servlet.http.HttpSessionEvent se) {
                    new Exception("SESSION CREATED").printStackTrace(System.out);
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    HttpResponse<String> send(String method, String path, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (header != null) {
            b.header(header, value);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void repro() throws Exception {
        String reader = apiKeys.create(KeySpec.builder("reader").tenantId("92").scopes("events:read").build())
                .plaintext();
        HttpResponse<String> r = send("GET", "/api/v1/events", "X-Api-Key", reader);
        System.out.println("STATUS " + r.statusCode() + " HEADERS " + r.headers().map());
        HttpResponse<String> h = send("HEAD", "/api/v1/events", "X-Api-Key",
                apiKeys.create(KeySpec.builder("x").tenantId("92").scopes("webhooks:write").build()).plaintext());
        System.out.println("HEAD " + h.statusCode() + " HEADERS " + h.headers().map());
        String cookie = r.headers().firstValue("Set-Cookie").orElse("none").split(";")[0];
        HttpResponse<String> m = send("GET", "/actuator/metrics", "Cookie", cookie);
        System.out.println("METRICS " + m.statusCode());
        new Exception("who").printStackTrace();
    }
}
