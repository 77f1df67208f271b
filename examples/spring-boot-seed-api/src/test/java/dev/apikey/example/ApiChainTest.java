package dev.apikey.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The example's two chains over real HTTP, as the issue probed them: a granted key makes no session, and no cookie
 * from any response opens anything; HEAD and OPTIONS obey the scope rules; what no route names is 404 or 405; a CORS
 * preflight reaches the host's CORS handling; the health details are for a signed-in admin only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:seed;DB_CLOSE_DELAY=-1",
        "seed.admin-password=" + SeedApiApplicationTest.ADMIN_PASSWORD})
class ApiChainTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String key(String... scopes) {
        return apiKeys.create(KeySpec.builder("k").tenantId("92").scopes(scopes).build()).plaintext();
    }

    static List<String> cookies(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().map(c -> c.split(";")[0]).toList();
    }

    @Test
    void aGrantedKeyMakesNoSessionAndNoCookieOpensAnything() throws Exception {
        String reader = key("events:read");
        String admin = key("admin");
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(send("GET", "/api/v1/events", Map.of("X-Api-Key", reader)));
        answers.add(send("GET", "/api/v1/whoami", Map.of("Authorization", "Bearer " + reader)));
        answers.add(send("POST", "/api/v1/events/test", Map.of("X-Api-Key", admin)));
        answers.add(send("HEAD", "/api/v1/events", Map.of("X-Api-Key", reader)));
        for (HttpResponse<String> granted : answers) {
            assertThat(granted.statusCode()).as(granted.request().method() + " " + granted.uri()).isEqualTo(200);
            assertThat(granted.headers().allValues("Set-Cookie")).as("no session for a key: " + granted.uri())
                    .isEmpty();
        }
        answers.add(send("GET", "/api/v1/events", Map.of("X-Api-Key", key("webhooks:write"))));
        answers.add(send("GET", "/api/v1/nowhere", Map.of("X-Api-Key", reader)));
        answers.add(send("GET", "/api/v1/events", Map.of()));
        answers.add(send("GET", "/actuator/metrics", Map.of("X-Api-Key", admin)));
        answers.add(send("GET", "/login", Map.of()));
        apiKeys.revoke(apiKeys.keyFormat().parse(admin).orElseThrow().keyId());

        assertThat(answers.stream().mapToLong(a -> cookies(a).size()).sum()).as("cookies to try (the login page's)")
                .isPositive();
        for (HttpResponse<String> earlier : answers) {
            for (String cookie : cookies(earlier)) {
                HttpResponse<String> metrics = send("GET", "/actuator/metrics", Map.of("Cookie", cookie));
                assertThat(metrics.statusCode()).as("%s from %s opens no form-login route", cookie, earlier.uri())
                        .isEqualTo(302);
                HttpResponse<String> events = send("GET", "/api/v1/events", Map.of("Cookie", cookie));
                assertThat(events.body()).as("%s opens no API route", cookie).contains("\"code\":\"missing_api_key\"");
                assertThat(send("POST", "/api/v1/events/test", Map.of("Cookie", cookie)).statusCode()).isEqualTo(401);
            }
        }
    }

    @Test
    void headAndOptionsObeyTheScopeRulesAndWhatNoRouteNamesIsNotFoundOrNotAllowed() throws Exception {
        String webhooks = key("webhooks:write");
        String reader = key("events:read");

        HttpResponse<String> get = send("GET", "/api/v1/events", Map.of("X-Api-Key", webhooks));
        assertThat(get.statusCode()).isEqualTo(403);
        HttpResponse<String> head = send("HEAD", "/api/v1/events", Map.of("X-Api-Key", webhooks));
        assertThat(head.statusCode()).as("HEAD is GET").isEqualTo(403);
        assertThat(send("HEAD", "/api/v1/events", Map.of("X-Api-Key", reader)).statusCode()).isEqualTo(200);
        assertThat(send("HEAD", "/api/v1/events", Map.of()).statusCode()).isEqualTo(401);

        for (String key : new String[] {webhooks, reader, null}) {
            Map<String, String> headers = key == null ? Map.of() : Map.of("X-Api-Key", key);
            HttpResponse<String> options = send("OPTIONS", "/api/v1/events", headers);
            assertThat(options.statusCode()).as("OPTIONS, key %s", key != null).isEqualTo(405);
            assertThat(options.headers().firstValue("Allow")).contains("GET, HEAD");
            assertThat(options.body()).contains("\"code\":\"method_not_allowed\"").doesNotContain("insufficient_scope");
            HttpResponse<String> post = send("POST", "/api/v1/events", headers);
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
            HttpResponse<String> nowhere = send("GET", "/api/v1/nowhere", headers);
            assertThat(nowhere.statusCode()).isEqualTo(404);
            assertThat(nowhere.body()).contains("\"code\":\"not_found\"");
            assertThat(send("DELETE", "/api/v1/whoami", headers).headers().firstValue("Allow")).contains("GET, HEAD");
            // Issue 31: DELETE on a GET-only path is 405, and a path no route names 404, neither insufficient_scope.
            HttpResponse<String> delete = send("DELETE", "/api/v1/events", headers);
            assertThat(delete.statusCode()).isEqualTo(405);
            assertThat(delete.headers().firstValue("Allow")).contains("GET, HEAD");
            assertThat(delete.body()).contains("\"code\":\"method_not_allowed\"").doesNotContain("insufficient_scope");
            assertThat(nowhere.body()).doesNotContain("insufficient_scope");
        }
        assertThat(send("TRACE", "/api/v1/events", Map.of("X-Api-Key", reader)).statusCode())
                .isIn(405, 400); // Tomcat refuses TRACE itself (400/405) unless allowTrace; never 200

        // A CORS preflight without a key goes to the host's CORS handling (Spring MVC's: no handler runs).
        HttpResponse<String> preflight = send("OPTIONS", "/api/v1/events", Map.of("Origin", "https://app.example",
                "Access-Control-Request-Method", "GET"));
        assertThat(preflight.statusCode()).as(preflight.body()).isNotIn(401, 404, 405);
        assertThat(preflight.body()).doesNotContain("evt_1").doesNotContain("missing_api_key");
    }

    @Test
    void healthDetailsAreForASignedInAdminOnly() throws Exception {
        HttpResponse<String> anonymous = send("GET", "/actuator/health", Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("components")
                .doesNotContain("JdbcKeyStore").doesNotContain("cacheSize").doesNotContain("diskSpace");
        String session = signIn();
        HttpResponse<String> admin = send("GET", "/actuator/health", Map.of("Cookie", session));
        assertThat(admin.body()).contains("\"apiKeys\"").contains("cacheSize");
        assertThat(send("GET", "/actuator/health", Map.of("X-Api-Key", key("admin"))).body()).as("a key is no admin")
                .doesNotContain("components");
    }

    @Test
    void theApiAndTheAdminApiNameTheirProblemsWithTheSameTypeBase() throws Exception {
        HttpResponse<String> noKey = send("GET", "/api/v1/events", Map.of());
        assertThat(noKey.body()).contains("\"type\":\"urn:apikey:problem:missing_api_key\"")
                .contains("\"code\":\"missing_api_key\"");
        HttpResponse<String> nothingThere = send("GET", "/admin/api-keys/nothing-here",
                Map.of("Cookie", signIn(), "Accept", "application/json"));
        assertThat(nothingThere.statusCode()).as(nothingThere.body()).isEqualTo(404);
        assertThat(nothingThere.body()).as("the admin API's own problem").contains("no admin API endpoint")
                .contains("\"type\":\"urn:apikey:problem:not_found\"").contains("\"code\":\"not_found\"")
                .doesNotContain("apikey.dev");
    }

    /** Signs in through the login form; returns the session cookie. */
    String signIn() throws Exception {
        HttpResponse<String> page = send("GET", "/login", Map.of());
        String cookies = String.join("; ", cookies(page));
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        String form = "username=admin&password=" + SeedApiApplicationTest.ADMIN_PASSWORD + "&_csrf="
                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .timeout(Duration.ofSeconds(10)).header("Cookie", cookies)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        return cookies(login).stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
    }
}
