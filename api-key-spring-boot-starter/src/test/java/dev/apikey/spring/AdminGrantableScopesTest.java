package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code apikey.admin.grantable-scopes.<ROLE>}: a console user grants the scopes its roles may, and a user of the admin
 * role in none of the configured roles grants none; over real HTTP, in the starter's servlet container.
 */
@SpringBootTest(classes = AdminGrantableScopesTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.scopes.[webhooks\\:write]=Manage webhooks",
            "apikey.admin.enabled=true",
            "apikey.admin.grantable-scopes.SUPPORT=events:read"})
class AdminGrantableScopesTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        SecurityFilterChain web(HttpSecurity http) throws Exception {
            // Basic auth keeps the test short; the admin API refuses cross-site writes on its own (JSON only).
            return http.authorizeHttpRequests(a -> a.requestMatchers("/admin/**").hasRole("APIKEY_ADMIN")
                            .anyRequest().denyAll())
                    .httpBasic(Customizer.withDefaults()).csrf(c -> c.disable()).build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("sam").password("{noop}pw-sam").roles("APIKEY_ADMIN", "SUPPORT").build(),
                    User.withUsername("ada").password("{noop}pw-ada").roles("APIKEY_ADMIN").build());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    private HttpResponse<String> call(String user, String method, String path, String body) {
        String basic = Base64.getEncoder().encodeToString((user + ":pw-" + user).getBytes(StandardCharsets.UTF_8));
        return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/api-keys" + path))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String create(String scope) {
        return "{\"name\":\"x\",\"tenant_id\":\"92\",\"scopes\":[\"" + scope + "\"]}";
    }

    @Test
    void aUserGrantsWhatItsRolesMayAndNoMore() {
        HttpResponse<String> over = call("sam", "POST", "/keys", create("webhooks:write"));
        assertThat(over.statusCode()).as(over.body()).isEqualTo(403);
        assertThat(over.body()).contains("\"code\":\"scope_not_grantable\"").contains("\"scopes\":[\"webhooks:write\"]");
        HttpResponse<String> none = call("ada", "POST", "/keys", create("events:read"));
        assertThat(none.statusCode()).as(none.body()).isEqualTo(403);
        assertThat(apiKeys.listAll()).isEmpty();

        assertThat(call("sam", "POST", "/keys", create("events:read")).statusCode()).isEqualTo(201);
        assertThat(call("sam", "GET", "/me", null).body()).contains("\"grantable_scopes\":[\"events:read\"]");
        assertThat(call("ada", "GET", "/me", null).body()).contains("\"grantable_scopes\":[]");
    }

    @Test
    void anUndeclaredScopeStopsTheStartNamingTheProperty() {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (org.springframework.context.ConfigurableApplicationContext ignored =
                    new org.springframework.boot.builder.SpringApplicationBuilder(App.class)
                            .web(org.springframework.boot.WebApplicationType.SERVLET).properties(
                                    "logging.level.org.springframework=off", "server.port=0",
                                    "server.address=127.0.0.1", "apikey.prefix=wlcro",
                                    "apikey.scopes.[events:read]=Read events", "apikey.admin.enabled=true",
                                    "apikey.admin.grantable-scopes.SUPPORT=events:raed").run()) {
                // started: no failure
            }
        });
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertThat(messages.toString()).contains("apikey.admin.grantable-scopes.SUPPORT: scope 'events:raed' is not "
                + "declared in apikey.scopes, was 'events:raed'");
    }
}
