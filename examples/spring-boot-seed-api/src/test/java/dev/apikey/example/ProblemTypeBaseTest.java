package dev.apikey.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A host's {@code apikey.problem-type-base} names the problems of the API's chain and of the key console's API alike
 * (issue 31 §6); the {@code code} stays the same.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:types;DB_CLOSE_DELAY=-1",
        "seed.admin-password=" + SeedApiApplicationTest.ADMIN_PASSWORD,
        "apikey.problem-type-base=https://docs.example.com/errors/"})
class ProblemTypeBaseTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theApiAndTheConsolesApiNameTheirProblemsUnderTheHostsBase() throws Exception {
        HttpResponse<String> noKey = get("/api/v1/events", Map.of());
        assertThat(noKey.body()).contains("\"type\":\"https://docs.example.com/errors/missing_api_key\"")
                .contains("\"code\":\"missing_api_key\"");
        ApiChainTest chain = new ApiChainTest();
        chain.port = port;
        HttpResponse<String> nothingThere = get("/admin/api-keys/nothing-here",
                Map.of("Cookie", chain.signIn(), "Accept", "application/json"));
        assertThat(nothingThere.statusCode()).as(nothingThere.body()).isEqualTo(404);
        assertThat(nothingThere.body()).contains("\"type\":\"https://docs.example.com/errors/not_found\"")
                .contains("\"code\":\"not_found\"");
    }
}
