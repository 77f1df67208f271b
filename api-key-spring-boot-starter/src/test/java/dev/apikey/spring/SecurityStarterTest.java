package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.KeyStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/**
 * The starter with Spring Security and no chain of the host's: the default chain enforces apikey.routes over real
 * HTTP; SCOPE_ authorities, @PreAuthorize and @AuthenticationPrincipal work; meters count.
 */
@SpringBootTest(classes = SecurityStarterTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.scopes.[events\\:write]=Send test events",
            "apikey.scopes.[reports\\:read]=Read reports",
            "apikey.super-scopes.admin=Everything",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.routes[1]=POST /api/v1/events/test -> events:write",
            "apikey.routes[2]=GET /api/v1/tenants/{tenantId}/events -> events:read",
            "apikey.routes[3]=GET /api/v1/me -> authenticated",
            "apikey.routes[4]=GET /api/v1/reports -> authenticated",
            "apikey.routes[5]=GET /health -> public",
            "management.endpoints.web.exposure.include=health,metrics"})
class SecurityStarterTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableMethodSecurity
    @Import(SeedControllers.class)
    static class App {
        /** The host's CORS rules, in Spring MVC: a preflight from this origin is answered there. */
        @org.springframework.context.annotation.Bean
        org.springframework.web.servlet.config.annotation.WebMvcConfigurer cors() {
            return new org.springframework.web.servlet.config.annotation.WebMvcConfigurer() {
                @Override
                public void addCorsMappings(org.springframework.web.servlet.config.annotation.CorsRegistry registry) {
                    registry.addMapping("/api/**").allowedOrigins("https://app.example").allowedMethods("GET");
                }
            };
        }
    }

    static HttpResponse<String> send(int port, String method, String path, String... headers) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return Http.send(b);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    KeyStore store;

    @Autowired
    MeterRegistry meters;

    @Autowired
    org.springframework.context.ApplicationContext context;

    String key(String tenant, String... scopes) {
        return apiKeys.create(KeySpec.builder("k").tenantId(tenant).scopes(scopes).build()).plaintext();
    }

    @Test
    void noUserWithAGeneratedPasswordAndNoPasswordLogin() {
        // Spring Boot makes an in-memory user with a generated password, and logs it, unless something else
        // authenticates: the starter's keys-only provider does.
        assertThat(context.getBeanNamesForType(org.springframework.security.core.userdetails.UserDetailsService.class))
                .as("no user store").isEmpty();
        assertThat(context.getBeanNamesForType(org.springframework.security.authentication.AuthenticationProvider.class))
                .as("the keys-only provider").hasSize(1);
        String basic = java.util.Base64.getEncoder().encodeToString("user:password".getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> login = send(port, "GET", "/api/v1/events", "Authorization", "Basic " + basic);
        // Basic is no scheme of a key: refused by the key's screening (400, our problem), never a login.
        assertThat(login.statusCode()).as("a password is no key").isEqualTo(400);
        assertThat(login.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void routesBecomeScopeAuthoritiesOverRealHttp() {
        String reader = key("92", "events:read");
        String admin = key("92", "admin");

        assertThat(Http.get(port, "/api/v1/events", reader).statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/api/v1/events", admin).statusCode()).as("a super scope grants").isEqualTo(200);
        HttpResponse<String> none = Http.get(port, "/api/v1/events", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("\"code\":\"missing_api_key\"");
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"api\"");
        HttpResponse<String> post = Http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/events/test")).header("X-Api-Key", reader)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("\"code\":\"insufficient_scope\"").contains("\"missing_scope\":\"events:write\"");
        HttpResponse<String> own = Http.get(port, "/api/v1/tenants/92/events", reader);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        HttpResponse<String> other = Http.get(port, "/api/v1/tenants/93/events", reader);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("\"code\":\"tenant_mismatch\"");
        HttpResponse<String> health = Http.get(port, "/health", null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        HttpResponse<String> undeclared = Http.get(port, "/not/declared", reader);
        assertThat(undeclared.statusCode()).as("undeclared: not found").isEqualTo(404);
        assertThat(undeclared.body()).contains("\"code\":\"not_found\"");
        assertThat(none.headers().firstValue("Set-Cookie")).as("stateless").isEmpty();
    }

    @Test
    void theAuthenticationPrincipalIsTheKeyAndPreAuthorizeReadsItsScopes() {
        String reader = key("92", "events:read");
        String reports = key("92", "reports:read");

        HttpResponse<String> me = Http.get(port, "/api/v1/me", reader);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("wlcro_92_").contains("events:read").doesNotContain(reader);
        assertThat(Http.get(port, "/api/v1/reports", reports).statusCode()).isEqualTo(200);
        HttpResponse<String> denied = Http.get(port, "/api/v1/reports", reader);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("\"code\":\"insufficient_scope\"").contains("\"missing_scope\":\"reports:read\"");
    }

    @Test
    void aScopeOutsideTheTenantsPlanIsRefusedAsSuchByARouteAndByPreAuthorize() {
        String key = key("96", "events:read", "events:write", "reports:read");
        apiKeys.tenants().setPlanScopes("96", List.of("events:read"));

        HttpResponse<String> route = Http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/events/test")).header("X-Api-Key", key)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(route.statusCode()).isEqualTo(403);
        assertThat(route.body()).contains("\"code\":\"scope_not_in_plan\"");
        HttpResponse<String> method = Http.get(port, "/api/v1/reports", key);
        assertThat(method.statusCode()).isEqualTo(403);
        assertThat(method.body()).contains("\"code\":\"scope_not_in_plan\"");
        assertThat(Http.get(port, "/api/v1/events", key).statusCode()).isEqualTo(200);
    }

    @Test
    void metersArePresentAndCount() {
        String reader = key("92", "events:read");
        double granted = meters.get("apikey.verifies").tag("outcome", "granted").functionCounter().count();
        long timed = meters.get("apikey.verify.duration").tag("cache", "hit").timer().count()
                + meters.get("apikey.verify.duration").tag("cache", "miss").timer().count();

        Http.get(port, "/api/v1/events", reader);
        Http.get(port, "/api/v1/events", reader);
        Http.get(port, "/api/v1/events", "wlcro_garbage");

        assertThat(meters.get("apikey.verifies").tag("outcome", "granted").functionCounter().count())
                .isEqualTo(granted + 2);
        assertThat(meters.get("apikey.verifies").tag("outcome", "malformed_api_key").functionCounter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.get("apikey.verify.duration").tag("cache", "hit").timer().count()
                + meters.get("apikey.verify.duration").tag("cache", "miss").timer().count()).isEqualTo(timed + 2);
        assertThat(meters.get("apikey.cache.size").gauge().value()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("apikey.cache.hit.ratio").gauge().value()).isBetween(0.0, 1.0);
        assertThat(meters.find("apikey.store.loads").functionCounter()).isNotNull();
        assertThat(meters.find("apikey.hash.refusals").functionCounter()).isNotNull();
        assertThat(meters.find("apikey.rate.limited").functionCounter()).isNotNull();
        assertThat(meters.get("apikey.change.feed.lag").gauge().value()).isGreaterThanOrEqualTo(0);
        assertThat(store).as("the test's embedded H2 DataSource").isInstanceOf(dev.apikey.jdbc.JdbcKeyStore.class);
    }

    @Test
    void aGrantedKeyMakesNoSession() {
        String reader = key("92", "events:read");
        for (HttpResponse<String> granted : java.util.List.of(Http.get(port, "/api/v1/events", reader),
                Http.get(port, "/api/v1/me", reader), send(port, "HEAD", "/api/v1/events", "X-Api-Key", reader),
                Http.get(port, "/api/v1/tenants/92/events", reader))) {
            assertThat(granted.statusCode()).as("%s", granted.uri()).isEqualTo(200);
            assertThat(granted.headers().allValues("Set-Cookie")).as("no session: %s", granted.uri()).isEmpty();
        }
    }

    @Test
    void headIsGetOptionsAndOtherUnroutedMethodsAreNotAllowedAndPreflightsGoToCors() {
        String reports = key("92", "reports:read");
        String reader = key("92", "events:read");

        assertThat(send(port, "HEAD", "/api/v1/events", "X-Api-Key", reports).statusCode()).isEqualTo(403);
        assertThat(send(port, "HEAD", "/api/v1/events", "X-Api-Key", reader).statusCode()).isEqualTo(200);
        for (String[] headers : new String[][] {{"X-Api-Key", reports}, {"X-Api-Key", reader}, {}}) {
            for (String method : new String[] {"OPTIONS", "POST", "DELETE", "PUT"}) {
                HttpResponse<String> refused = send(port, method, "/api/v1/events", headers);
                assertThat(refused.statusCode()).as("%s with %s", method, headers.length > 0).isEqualTo(405);
                assertThat(refused.headers().firstValue("Allow")).contains("GET, HEAD");
                assertThat(refused.body()).contains("\"code\":\"method_not_allowed\"")
                        .doesNotContain("insufficient_scope");
            }
            HttpResponse<String> nowhere = send(port, "GET", "/api/v1/nowhere", headers);
            assertThat(nowhere.statusCode()).isEqualTo(404);
            assertThat(nowhere.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/problem+json");
        }
        HttpResponse<String> preflight = send(port, "OPTIONS", "/api/v1/events", "Origin", "https://app.example",
                "Access-Control-Request-Method", "GET");
        assertThat(preflight.statusCode()).as(preflight.body()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
        assertThat(preflight.body()).doesNotContain("events");
        HttpResponse<String> foreign = send(port, "OPTIONS", "/api/v1/events", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "GET");
        assertThat(foreign.statusCode()).as("the host's CORS rules refuse it").isEqualTo(403);
    }
}
