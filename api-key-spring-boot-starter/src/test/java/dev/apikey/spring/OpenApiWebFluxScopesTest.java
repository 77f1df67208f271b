package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.spring.openapi.DocumentedScope;
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
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * With springdoc-openapi in a WebFlux host (springdoc-openapi-starter-webflux-api), the generated document (read over
 * real HTTP from Netty) says how to send a key and, per operation, the scopes it needs, as on Spring MVC
 * ({@link OpenApiScopesTest}): from {@code apikey.routes} (the starter's own reactive chain), from
 * {@code @PreAuthorize} scope checks and from {@link DocumentedScope}; a public route documents none.
 */
@SpringBootTest(classes = OpenApiWebFluxScopesTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "spring.main.web-application-type=reactive",
            "server.address=127.0.0.1",
            "spring.datasource.url=jdbc:h2:mem:webflux-openapi;DB_CLOSE_DELAY=-1",
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.scopes.[reports\\:read]=Read reports",
            "apikey.scopes.[leads\\:write]=Push leads",
            "apikey.super-scopes.admin=Everything",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.routes[1]=GET /api/v1/tenants/{tenantId}/events -> events:read",
            "apikey.routes[2]=GET /api/v1/reports -> authenticated",
            "apikey.routes[3]=GET /api/v1/leads -> authenticated",
            "apikey.routes[4]=GET /health -> public",
            "apikey.routes[5]=GET /v3/api-docs -> public"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiWebFluxScopesTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(App.Endpoints.class)
    static class App {

        /**
         * springdoc builds the document in its handler, scanning the class path (for {@code @OpenAPIDefinition} and
         * {@code @SecurityScheme}): blocking reads that BlockHound, on for every test of this module, refuses on
         * Netty's event loop. The document's requests are served on a thread that may block.
         */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        WebFilter apiDocsOffTheEventLoop() {
            return (exchange, chain) -> exchange.getRequest().getPath().value().startsWith("/v3/api-docs")
                    ? chain.filter(exchange).subscribeOn(Schedulers.boundedElastic()) : chain.filter(exchange);
        }

        @RestController
        static class Endpoints {
            @GetMapping("/api/v1/events")
            Mono<Map<String, Object>> events() {
                return Mono.just(Map.of());
            }

            @GetMapping("/api/v1/tenants/{tenant}/events")
            Mono<Map<String, Object>> tenantEvents(@PathVariable String tenant) {
                return Mono.just(Map.of());
            }

            @DocumentedScope("reports:read")
            @GetMapping("/api/v1/reports")
            Mono<Map<String, Object>> reports() {
                return Mono.just(Map.of());
            }

            @PreAuthorize("hasAnyAuthority('SCOPE_leads:write', 'SCOPE_admin')")
            @GetMapping("/api/v1/leads")
            Mono<Map<String, Object>> leads() {
                return Mono.just(Map.of());
            }

            @GetMapping("/health")
            Mono<Map<String, Object>> health() {
                return Mono.just(Map.of("status", "UP"));
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
        assertThat(security(op("/api/v1/tenants/{tenant}/events", "get")))
                .containsExactly("apiKey:events:read", "apiKeyBearer:events:read");
    }

    @Test
    void aHandlersPreAuthorizeOrDocumentedScopeAddsItsScopes() {
        assertThat(security(op("/api/v1/reports", "get")))
                .containsExactly("apiKey:reports:read", "apiKeyBearer:reports:read");
        assertThat(security(op("/api/v1/leads", "get"))).containsExactly("apiKey:leads:write",
                "apiKeyBearer:leads:write", "apiKey:admin", "apiKeyBearer:admin");
    }

    @Test
    void aPublicRouteIsMarkedPublic() {
        JsonNode health = op("/health", "get");
        assertThat(health.has("security")).as(health.toString()).isTrue();
        assertThat(health.path("security").isEmpty()).isTrue();
        assertThat(health.path("responses").has("401")).isFalse();
    }
}
