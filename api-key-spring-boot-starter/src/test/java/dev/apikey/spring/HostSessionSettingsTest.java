package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import dev.apikey.spring.security.ApiKeyAuthenticationFilter;
import dev.apikey.spring.security.ApiKeyConfigurer;
import dev.apikey.spring.security.ApiKeyRouteRules;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A host whose API chain asks for sessions (ALWAYS, a session repository, concurrency control, and a filter of its
 * own that saves the context in the session), beside form login: a key's authentication still never opens anything
 * through a session cookie, and the starter's own settings make no cookie.
 */
@SpringBootTest(classes = HostSessionSettingsTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"apikey.prefix=wlcro", "apikey.scopes.[events\\:read]=Read events"})
class HostSessionSettingsTest {

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

        @Bean
        @Order(1)
        SecurityFilterChain api(HttpSecurity http) throws Exception {
            return http.securityMatcher("/api/**")
                    .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.ALWAYS).maximumSessions(10))
                    .securityContext(c -> c.securityContextRepository(new HttpSessionSecurityContextRepository()))
                    .authorizeHttpRequests(ApiKeyRouteRules.of("GET /api/v1/events -> events:read",
                            "GET /api/v1/me -> authenticated"))
                    .with(ApiKeyConfigurer.apiKeys(), Customizer.withDefaults())
                    .build();
        }

        @Bean
        @Order(2)
        SecurityFilterChain web(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults())
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(User.withUsername("ada").password("{noop}correct-horse").build());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    List<SecurityFilterChain> chains;

    HttpResponse<String> get(String path, String header, String value) {
        return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header(header, value));
    }

    @Test
    void theHostsSessionSettingsMakeNoCookieForAKey() {
        String reader = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();

        for (String path : List.of("/api/v1/events", "/api/v1/me")) {
            HttpResponse<String> granted = get(path, "X-Api-Key", reader);
            assertThat(granted.statusCode()).isEqualTo(200);
            assertThat(granted.headers().allValues("Set-Cookie")).as("no session: %s", path).isEmpty();
        }
    }

    @Test
    void aSessionSomethingElseSavedTheKeyInOpensNothing() throws Exception {
        String reader = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
        // A host filter after the key's: it saves whatever context there is in the HTTP session.
        Filter saver = (request, response, chain) -> {
            new HttpSessionSecurityContextRepository().saveContext(SecurityContextHolder.getContext(),
                    (jakarta.servlet.http.HttpServletRequest) request,
                    (jakarta.servlet.http.HttpServletResponse) response);
            chain.doFilter(request, response);
        };
        SecurityFilterChain api = chains.stream().filter(c -> c.getFilters().stream()
                .anyMatch(ApiKeyAuthenticationFilter.class::isInstance)).findFirst().orElseThrow();
        int at = 0;
        while (!(api.getFilters().get(at) instanceof ApiKeyAuthenticationFilter)) {
            at++;
        }
        api.getFilters().add(at + 1, saver);
        try {
            HttpResponse<String> granted = get("/api/v1/events", "X-Api-Key", reader);
            assertThat(granted.statusCode()).isEqualTo(200);
            List<String> cookies = granted.headers().allValues("Set-Cookie").stream().map(c -> c.split(";")[0])
                    .toList();
            assertThat(cookies).as("the saving filter made a session").isNotEmpty();
            for (String cookie : cookies) {
                HttpResponse<String> account = get("/account", "Cookie", cookie);
                assertThat(account.statusCode()).as("%s opens no form-login route", cookie).isEqualTo(302);
                assertThat(get("/api/v1/events", "Cookie", cookie).body()).contains("missing_api_key");
            }
        } finally {
            api.getFilters().remove(saver);
        }
    }
}
