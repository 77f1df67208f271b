package dev.apikey.spring;
// README:spring-security:imports:start
import dev.apikey.spring.security.ApiKeyConfigurer;
import dev.apikey.spring.security.ApiKeyRouteRules;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
// README:spring-security:imports:end

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The host's own chains, as docs/SPRING.md shows them: API keys on /api/** (routes declared once), form login everywhere
 * else (the key console included, for users in the admin role). A browser session does not open API routes; an API
 * key does not open the form-login routes, makes no session, and its HEAD is its GET.
 */
@SpringBootTest(classes = FormLoginBesideApiKeysTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.scopes.[keys\\:manage]=Manage keys",
            "apikey.admin.enabled=true"})
class FormLoginBesideApiKeysTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({SeedControllers.class, App.Account.class})
    static class App {

        @RestController
        static class Account {
            @GetMapping("/account")
            Map<String, Object> account(java.security.Principal user) {
                return Map.of("user", user.getName());
            }
        }

        // README:spring-security:start
        @Bean
        @Order(1)
        SecurityFilterChain api(HttpSecurity http) throws Exception {
            return http.securityMatcher("/api/**")
                    .authorizeHttpRequests(ApiKeyRouteRules.of(
                            "GET /api/v1/events -> events:read",                    // HEAD too
                            "GET /api/v1/tenants/{tenantId}/events -> events:read", // the key's own tenant
                            "GET /api/v1/me -> authenticated"))                     // any valid key
                    .with(ApiKeyConfigurer.apiKeys(), Customizer.withDefaults())
                    .build();
        }

        @Bean
        @Order(2)
        SecurityFilterChain web(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a
                            .requestMatchers("/admin/**").hasRole("APIKEY_ADMIN")   // the key console
                            .anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults())
                    .csrf(c -> c.spa())   // the console sends the XSRF-TOKEN cookie's token
                    .build();
        }
        // README:spring-security:end

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("ada").password("{noop}correct-horse").roles("APIKEY_ADMIN").build());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    HttpResponse<String> get(String path, String header, String value) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (header != null) {
            b.header(header, value);
        }
        return Http.send(b);
    }

    /** Signs in through the login form; returns the session cookie. */
    String signIn() {
        HttpResponse<String> page = get("/login", null, null);
        // Every cookie: the CSRF token is in XSRF-TOKEN (csrf.spa()), not in the session.
        String cookie = String.join("; ", page.headers().allValues("Set-Cookie").stream().map(c -> c.split(";")[0])
                .toList());
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"")
                .matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        String form = "username=ada&password=correct-horse&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        return login.headers().allValues("Set-Cookie").stream().map(c -> c.split(";")[0])
                .filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
    }

    @Test
    void aSessionDoesNotOpenApiRoutesAndAKeyDoesNotOpenFormRoutes() {
        String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
        String session = signIn();

        assertThat(get("/account", "Cookie", session).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/events", "X-Api-Key", key).statusCode()).isEqualTo(200);
        HttpResponse<String> sessionOnApi = get("/api/v1/events", "Cookie", session);
        assertThat(sessionOnApi.statusCode()).isEqualTo(401);
        assertThat(sessionOnApi.body()).contains("\"code\":\"missing_api_key\"");
        HttpResponse<String> keyOnWeb = get("/account", "X-Api-Key", key);
        assertThat(keyOnWeb.statusCode()).as("to the login page").isEqualTo(302);
        assertThat(keyOnWeb.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(get("/api/v1/tenants/92/events", "X-Api-Key", key).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/tenants/93/events", "X-Api-Key", key).body()).contains("tenant_mismatch");
    }

    @Test
    void theConsoleIsMountedForTheAdminRoleAndNotForKeys() {
        String manager = apiKeys.create(KeySpec.builder("m").tenantId("92").scopes("keys:manage").build()).plaintext();
        String session = signIn();

        HttpResponse<String> console = get("/admin/", "Cookie", session);
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains("<title>");
        HttpResponse<String> keys = get("/admin/api-keys/keys", "Cookie", session);
        assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
        assertThat(keys.body()).contains("\"keys\"").doesNotContain(manager);
        assertThat(get("/admin/api-keys/keys", "X-Api-Key", manager).statusCode()).as("keys do not open it")
                .isEqualTo(302);
    }

    @Test
    void aKeyMakesNoSessionItsHeadIsItsGetAndUnroutedRequestsAreNotFound() {
        String reader = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
        String manager = apiKeys.create(KeySpec.builder("m").tenantId("92").scopes("keys:manage").build()).plaintext();

        java.util.List<HttpResponse<String>> answers = new java.util.ArrayList<>();
        answers.add(get("/api/v1/events", "X-Api-Key", reader));
        answers.add(get("/api/v1/me", "X-Api-Key", manager));
        answers.add(Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                .header("X-Api-Key", reader).method("HEAD", HttpRequest.BodyPublishers.noBody())));
        for (HttpResponse<String> granted : answers) {
            assertThat(granted.statusCode()).isEqualTo(200);
            assertThat(granted.headers().allValues("Set-Cookie")).as("no session: %s", granted.uri()).isEmpty();
        }
        HttpResponse<String> head = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/events")).header("X-Api-Key", manager).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).as("HEAD is GET: events:read").isEqualTo(403);
        HttpResponse<String> nowhere = get("/api/v1/nowhere", "X-Api-Key", manager);
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(nowhere.body()).contains("\"code\":\"not_found\"");
        HttpResponse<String> options = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/me")).header("X-Api-Key", manager).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(options.statusCode()).isEqualTo(405);
        assertThat(options.headers().firstValue("Allow")).contains("GET, HEAD");
    }
}
