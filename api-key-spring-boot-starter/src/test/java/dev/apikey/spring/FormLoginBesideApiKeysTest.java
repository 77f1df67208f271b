package dev.apikey.spring;
// README:spring-security:imports:start
import dev.apikey.spring.security.ApiKeyAuthorization;
import dev.apikey.spring.security.ApiKeyConfigurer;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
// README:spring-security:imports:end

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.KeySpec;
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
 * The host's own chains: API keys on /api/**, form login everywhere else (the key console included, for users in
 * the admin role). A browser session does not open API routes; an API key does not open the form-login routes.
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
                    .authorizeHttpRequests(a -> a
                            .requestMatchers(HttpMethod.GET, "/api/v1/events").hasAuthority("SCOPE_events:read")
                            .requestMatchers("/api/v1/tenants/{tenantId}/**").access(ApiKeyAuthorization.tenantFromPath())
                            .anyRequest().authenticated())
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
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"")
                .matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        String form = "username=ada&password=correct-horse&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        return login.headers().firstValue("Set-Cookie").map(c -> c.split(";")[0]).orElse(cookie);
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
}
