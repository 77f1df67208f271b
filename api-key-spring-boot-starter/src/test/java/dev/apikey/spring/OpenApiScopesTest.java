package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.spring.ApiKeyAutoConfiguration.ApiKeyRoutes;
import dev.apikey.spring.openapi.DocumentedScope;
import dev.apikey.spring.security.ApiKeyConfigurer;
import dev.apikey.spring.security.ApiKeyRouteRules;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * With springdoc-openapi in a Spring MVC host, the generated document (read over real HTTP) says how to send a key
 * and, per operation, the scopes it needs: from the host's routes bean (docs/SPRING.md's snippet; apikey.routes
 * fills the same bean), from {@code @PreAuthorize} scope checks, from {@link DocumentedScope}; public routes are
 * public; what the starter cannot read it quotes or leaves alone.
 */
@SpringBootTest(classes = OpenApiScopesTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.scopes.[reports\\:read]=Read reports",
            "apikey.scopes.[leads\\:write]=Push leads",
            "apikey.super-scopes.admin=Everything"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiScopesTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableMethodSecurity
    @Import(App.Endpoints.class)
    static class App {

        // README:openapi-routes:start
        @Bean
        ApiKeyRoutes apiRoutes() {                      // ApiKeyAutoConfiguration.ApiKeyRoutes
            return ApiKeyRoutes.of(
                    "GET /api/v1/events -> events:read",
                    "GET /api/v1/tenants/{tenantId}/events -> events:read",
                    "POST /api/v1/events/test -> authenticated",     // @PreAuthorize: admin
                    "GET /api/v1/reports -> authenticated",          // @DocumentedScope("reports:read")
                    "GET /api/v1/leads -> authenticated",            // @PreAuthorize: leads:write or admin
                    "GET /api/v1/odd -> authenticated",              // @PreAuthorize: a role
                    "GET /health -> public");
        }

        @Bean
        @Order(1)
        SecurityFilterChain api(HttpSecurity http, ApiKeyRoutes apiRoutes) throws Exception {
            return http.securityMatcher("/api/**")
                    .authorizeHttpRequests(ApiKeyRouteRules.of(apiRoutes.routes()))
                    .with(ApiKeyConfigurer.apiKeys(), Customizer.withDefaults())
                    .build();
        }
        // README:openapi-routes:end

        @RestController
        static class Endpoints {
            @GetMapping("/api/v1/events")
            Map<String, Object> events() {
                return Map.of();
            }

            @GetMapping("/api/v1/tenants/{tenant}/events")
            Map<String, Object> tenantEvents(@PathVariable String tenant) {
                return Map.of();
            }

            @PreAuthorize("hasAuthority('SCOPE_admin')")
            @PostMapping("/api/v1/events/test")
            Map<String, Object> test() {
                return Map.of();
            }

            @DocumentedScope("reports:read")
            @GetMapping("/api/v1/reports")
            Map<String, Object> reports() {
                return Map.of();
            }

            @PreAuthorize("hasAnyAuthority('SCOPE_leads:write', 'SCOPE_admin')")
            @GetMapping("/api/v1/leads")
            Map<String, Object> leads() {
                return Map.of();
            }

            @PreAuthorize("hasRole('AUDITOR')")
            @GetMapping("/api/v1/odd")
            Map<String, Object> odd() {
                return Map.of();
            }

            @GetMapping("/health")
            Map<String, Object> health() {
                return Map.of("status", "UP");
            }

            @GetMapping("/internal/unrouted")
            Map<String, Object> unrouted() {
                return Map.of();
            }
        }
    }

    @LocalServerPort
    int port;
    JsonNode doc;

    @BeforeAll
    void readTheDocument() throws Exception {
        HttpResponse<String> r = Http.get(port, "/v3/api-docs", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        doc = new ObjectMapper().readTree(r.body());
    }

    private JsonNode op(String path, String method) {
        JsonNode op = doc.path("paths").path(path).path(method);
        assertThat(op.isMissingNode()).as(path + " " + method + " in " + doc.path("paths").toString()).isFalse();
        return op;
    }

    /** The security requirements as "scheme:scope+scope" strings. */
    private static List<String> security(JsonNode op) {
        List<String> out = new ArrayList<>();
        for (JsonNode requirement : op.path("security")) {
            requirement.properties().forEach(e -> {
                List<String> scopes = new ArrayList<>();
                e.getValue().forEach(s -> scopes.add(s.asText()));
                out.add(e.getKey() + ":" + String.join("+", scopes));
            });
        }
        return out;
    }

    @Test
    void theDocumentSaysHowToSendAKey() {
        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertThat(schemes.path("apiKey").path("type").asText()).isEqualTo("apiKey");
        assertThat(schemes.path("apiKey").path("in").asText()).isEqualTo("header");
        assertThat(schemes.path("apiKey").path("name").asText()).isEqualTo("X-Api-Key");
        assertThat(schemes.path("apiKeyBearer").path("type").asText()).isEqualTo("http");
        assertThat(schemes.path("apiKeyBearer").path("scheme").asText()).isEqualTo("bearer");
        assertThat(doc.path("components").path("schemas").path("ApiKeyProblem").path("required").toString())
                .contains("code");
    }

    @Test
    void aRoutesScopeIsTheOperationsAndItsRefusalsAreProblems() {
        JsonNode events = op("/api/v1/events", "get");
        assertThat(security(events)).containsExactly("apiKey:events:read", "apiKeyBearer:events:read");
        assertThat(events.path("description").asText()).contains("`events:read`");
        assertThat(events.path("responses").path("401").path("$ref").asText())
                .isEqualTo("#/components/responses/ApiKey401");
        assertThat(events.path("responses").path("403").path("$ref").asText())
                .isEqualTo("#/components/responses/ApiKey403");
        assertThat(events.path("responses").has("200")).isTrue();
        assertThat(doc.path("components").path("responses").path("ApiKey403").path("description").asText())
                .contains("`insufficient_scope`").contains("`tenant_mismatch`");
        assertThat(doc.path("components").path("responses").path("ApiKey429").path("content")
                .has("application/problem+json")).isTrue();
        // A route's {tenantId} covers the operation's own path variable, whatever its name.
        assertThat(security(op("/api/v1/tenants/{tenant}/events", "get")))
                .containsExactly("apiKey:events:read", "apiKeyBearer:events:read");
    }

    @Test
    void aHandlersPreAuthorizeOrDocumentedScopeAddsItsScopes() {
        assertThat(security(op("/api/v1/events/test", "post"))).containsExactly("apiKey:admin", "apiKeyBearer:admin");
        assertThat(security(op("/api/v1/reports", "get")))
                .containsExactly("apiKey:reports:read", "apiKeyBearer:reports:read");
        // hasAnyAuthority: either scope will do, each its own requirement.
        assertThat(security(op("/api/v1/leads", "get"))).containsExactly("apiKey:leads:write",
                "apiKeyBearer:leads:write", "apiKey:admin", "apiKeyBearer:admin");
        assertThat(op("/api/v1/leads", "get").path("description").asText())
                .contains("`leads:write`, or `admin`");
    }

    @Test
    void whatTheStarterCannotReadIsQuotedOrLeftAlone() {
        JsonNode odd = op("/api/v1/odd", "get");
        assertThat(security(odd)).containsExactly("apiKey:", "apiKeyBearer:");
        assertThat(odd.path("description").asText()).contains("hasRole('AUDITOR')");
        assertThat(odd.has("x-apikey-handler-expression")).isFalse();
        JsonNode unrouted = op("/internal/unrouted", "get");
        assertThat(unrouted.has("security")).isFalse();
        assertThat(unrouted.path("responses").has("401")).isFalse();
    }

    @Test
    void aPublicRouteIsMarkedPublic() {
        JsonNode health = op("/health", "get");
        assertThat(health.has("security")).as(health.toString()).isTrue();
        assertThat(health.path("security").isEmpty()).isTrue();
        assertThat(health.path("responses").has("401")).isFalse();
    }
}
