package dev.apikey.example;

import dev.apikey.ApiKeys;
import dev.apikey.IssuedKey;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.KeySpec;
import dev.apikey.spring.ApiKeyAutoConfiguration.ApiKeyRoutes;
import dev.apikey.spring.security.ApiKeyConfigurer;
import dev.apikey.spring.security.ApiKeyRouteRules;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed API on Spring Boot: API keys (the starter) on /api/**, the key console for signed-in admins on /admin/**,
 * a public /health and health status (details for signed-in admins). Keys live in an embedded H2 file
 * ({@code ./seed-api-keys.mv.db}); every server it opens listens on loopback. On first start it creates a demo key
 * and prints it once.
 */
@SpringBootApplication
@EnableMethodSecurity
public class SeedApiApplication {

    private static final Logger LOG = LoggerFactory.getLogger(SeedApiApplication.class);

    /**
     * Starts the API.
     *
     * @param args Spring Boot's arguments, e.g. {@code --server.port=8081}
     */
    public static void main(String[] args) {
        SpringApplication.run(SeedApiApplication.class, args);
    }

    /**
     * The API's routes, each declared once: its scope becomes a {@code SCOPE_} authority (checked in the chain below
     * and in {@code @PreAuthorize}), a GET route answers HEAD too, and what no route names is 404 or 405. A bean, so
     * that the API's OpenAPI document (/v3/api-docs) says each operation's scopes.
     */
    @Bean
    ApiKeyRoutes apiRoutes() {
        return ApiKeyRoutes.of(
                "GET /api/v1/events -> events:read",
                "POST /api/v1/events/test -> authenticated",        // @PreAuthorize: admin
                "POST /api/v1/webhooks/subscriptions -> webhooks:write",
                "GET /api/v1/integrations/clients/find -> integrations:read",
                "POST /api/v1/integrations/leads -> integrations:write",
                "GET /api/v1/whoami -> authenticated");
    }

    /** API keys on the API's paths, by the routes above. No session is made or read. */
    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiKeyRoutes apiRoutes) throws Exception {
        return http.securityMatcher("/api/**")
                .authorizeHttpRequests(ApiKeyRouteRules.of(apiRoutes.routes()))
                .with(ApiKeyConfigurer.apiKeys(), Customizer.withDefaults())
                .build();
    }

    /**
     * Everything else: the console for signed-in admins (form login), /health, the health status and the API's OpenAPI
     * document public. The
     * console's script sends the CSRF token from the XSRF-TOKEN cookie as X-XSRF-TOKEN ({@code csrf.spa()}).
     */
    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a
                        // The API's OpenAPI document: public, as an API reference is.
                        .requestMatchers("/health", "/actuator/health/**", "/error", "/v3/api-docs").permitAll()
                        .requestMatchers("/admin/**").hasRole("APIKEY_ADMIN")
                        .anyRequest().hasRole("APIKEY_ADMIN"))
                .formLogin(Customizer.withDefaults())
                .csrf(c -> c.spa())
                // Only the console's pages are remembered for after the sign-in: saving every anonymous request
                // would give each one a session (30 minutes of memory apiece), a cheap flood.
                .requestCache(c -> c.requestCache(consolePagesOnly()))
                .build();
    }

    private static HttpSessionRequestCache consolePagesOnly() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/admin/**"));
        return cache;
    }

    /** One admin for the console; its password from the environment (SEED_ADMIN_PASSWORD), never a default. */
    @Bean
    UserDetailsService admins(org.springframework.core.env.Environment env) {
        String password = env.getProperty("seed.admin-password");
        if (password == null || password.length() < 12) {
            LOG.info("no seed.admin-password (12+ characters): the key console at /admin/ has no user");
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername("admin").password("{noop}" + password)
                .roles("APIKEY_ADMIN").build());
    }

    /**
     * On an empty store, a demo key holding every scope, printed this once with a curl line for the address and
     * port the server listens on (runners run once the server is started and its port known).
     */
    @Bean
    ApplicationRunner demoKey(ApiKeys apiKeys, org.springframework.core.env.Environment env) {
        return args -> {
            if (!apiKeys.listAll().isEmpty()) {
                return;
            }
            IssuedKey key = apiKeys.create(KeySpec.builder("demo").tenantId("92")
                    .scopes("events:read", "webhooks:write", "integrations:read", "integrations:write", "admin")
                    .build());
            // Printed, not logged: the one time it is shown (as `apikey create` does).
            System.out.println("Demo API key (shown once): " + key.plaintext());
            System.out.println("  curl -H 'X-Api-Key: " + key.plaintext() + "' " + baseUrl(env) + "/api/v1/events");
        };
    }

    /** {@code http://host:port} of the running server: its address (loopback if it listens on all) and port. */
    static String baseUrl(org.springframework.core.env.Environment env) {
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        String host = env.getProperty("server.address", "127.0.0.1");
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port;
    }

    /** The seed API's endpoints. */
    @RestController
    static class Endpoints {

        @GetMapping("/api/v1/events")
        Map<String, Object> events() {
            return Map.of("events", List.of(Map.of("id", "evt_1", "type", "lead.created")));
        }

        @PostMapping("/api/v1/events/test")
        @PreAuthorize("hasAuthority('SCOPE_admin')")
        Map<String, Object> testEvent() {
            return Map.of("sent", true);
        }

        @PostMapping("/api/v1/webhooks/subscriptions")
        Map<String, Object> subscribe() {
            return Map.of("subscription", "sub_1");
        }

        @GetMapping("/api/v1/integrations/clients/find")
        Map<String, Object> findClient() {
            return Map.of("clients", List.of());
        }

        @PostMapping("/api/v1/integrations/leads")
        Map<String, Object> pushLead() {
            return Map.of("lead", "lead_1");
        }

        @GetMapping("/api/v1/whoami")
        Map<String, Object> whoami(@AuthenticationPrincipal ApiKeyPrincipal key) {
            return Map.of("key_id", key.keyId(), "hint", key.hint(), "tenant_id", key.tenantId().orElse(""),
                    "name", key.name(), "scopes", key.scopes());
        }

        @GetMapping("/health")
        Map<String, Object> health() {
            return Map.of("status", "up");
        }
    }
}
