package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spring.security.ApiKeyReactiveVerifier;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import reactor.core.scheduler.Schedulers;

/**
 * The starter in a reactive application (WebFlux on Netty, keys in H2 over JDBC), with Spring Security and no chain
 * of the host's, over real HTTP: apikey.routes become SCOPE_ authorities; the principal reaches handlers;
 * {@code @PreAuthorize} reads the scopes; HEAD and unrouted methods are refused as on the servlet path; no session.
 * BlockHound runs for every test of the module: a verify that blocked on the event loop would fail the request.
 */
@SpringBootTest(classes = WebFluxStarterTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.main.web-application-type=reactive",
            "server.address=127.0.0.1",
            "spring.datasource.url=jdbc:h2:mem:webflux;DB_CLOSE_DELAY=-1",
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
            "apikey.routes[6]=GET /blocking -> public",
            "apikey.webflux.verify-threads=2"})
class WebFluxStarterTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableReactiveMethodSecurity
    @Import(ReactiveControllers.class)
    static class App {
        /** Every observation stopped, in order. */
        static final List<Observation.Context> OBSERVED = new CopyOnWriteArrayList<>();

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }

                @Override
                public void onStop(Observation.Context context) {
                    OBSERVED.add(context);
                }
            });
            return registry;
        }

        /** The thread each granted verify ran on, in order, and whether it is a non-blocking one (an event loop). */
        static final List<String> VERIFIED_ON = new CopyOnWriteArrayList<>();

        /** The host's CORS rules, in WebFlux: a preflight from this origin is answered there. */
        @Bean
        org.springframework.web.reactive.config.WebFluxConfigurer cors() {
            return new org.springframework.web.reactive.config.WebFluxConfigurer() {
                @Override
                public void addCorsMappings(org.springframework.web.reactive.config.CorsRegistry registry) {
                    registry.addMapping("/api/**").allowedOrigins("https://app.example").allowedMethods("GET");
                }
            };
        }

        @Bean
        KeyEventListener threads() {
            return new KeyEventListener() {
                @Override
                public boolean wantsGrants() {
                    return true;
                }

                @Override
                public void verified(ApiKeyPrincipal principal, String remoteAddress, long atEpochMillis) {
                    VERIFIED_ON.add((Schedulers.isInNonBlockingThread() ? "non-blocking " : "blocking ")
                            + Thread.currentThread().getName());
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    KeyStore store;

    @Autowired
    org.springframework.context.ApplicationContext context;

    String key(String tenant, String... scopes) {
        return apiKeys.create(KeySpec.builder("k").tenantId(tenant).scopes(scopes).build()).plaintext();
    }

    HttpResponse<String> send(String method, String path, String... headers) {
        return SecurityStarterTest.send(port, method, path, headers);
    }

    @Test
    void routesBecomeScopeAuthoritiesOverRealHttpOnNetty() {
        String reader = key("92", "events:read");
        String admin = key("92", "admin");

        assertThat(Http.get(port, "/api/v1/events", reader).statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/api/v1/events", admin).statusCode()).as("a super scope grants").isEqualTo(200);
        HttpResponse<String> none = Http.get(port, "/api/v1/events", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("\"code\":\"missing_api_key\"");
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"api\"");
        assertThat(none.headers().firstValue("Cache-Control")).contains("no-store");
        HttpResponse<String> post = send("POST", "/api/v1/events/test", "X-Api-Key", reader);
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("\"code\":\"insufficient_scope\"")
                .contains("\"missing_scope\":\"events:write\"");
        assertThat(Http.get(port, "/api/v1/tenants/92/events", reader).statusCode()).isEqualTo(200);
        HttpResponse<String> other = Http.get(port, "/api/v1/tenants/93/events", reader);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("\"code\":\"tenant_mismatch\"");
        assertThat(Http.get(port, "/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> undeclared = Http.get(port, "/not/declared", reader);
        assertThat(undeclared.statusCode()).isEqualTo(404);
        assertThat(undeclared.body()).contains("\"code\":\"not_found\"");
        HttpResponse<String> bearer = send("GET", "/api/v1/events", "Authorization", "Bearer " + reader);
        assertThat(bearer.statusCode()).as("the key as a bearer token").isEqualTo(200);
        assertThat(store).as("keys in the H2 table").isInstanceOf(dev.apikey.jdbc.JdbcKeyStore.class);
        assertThat(context.getBeanNamesForType(
                org.springframework.security.core.userdetails.ReactiveUserDetailsService.class))
                .as("no user with a generated password").isEmpty();
    }

    @Test
    void eachAuthenticationIsAnObservationAsOnTheServletPath() {
        String reader = key("93", "events:read");
        String keyId = apiKeys.keyFormat().parse(reader).orElseThrow().keyId();
        App.OBSERVED.clear();

        assertThat(Http.get(port, "/api/v1/events", reader).statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/api/v1/events", badChecksum(reader)).statusCode())
                .isEqualTo(401);
        assertThat(Http.get(port, "/health", null).statusCode()).isEqualTo(200);

        List<Observation.Context> seen = App.OBSERVED.stream()
                .filter(c -> "apikey.authentication".equals(c.getName())).toList();
        assertThat(seen).as("a granted and a malformed key; no key is no authentication").hasSize(2);
        assertThat(seen.get(0).getLowCardinalityKeyValue("apikey.outcome").getValue()).isEqualTo("granted");
        assertThat(seen.get(0).getHighCardinalityKeyValue("apikey.key_id").getValue()).isEqualTo(keyId);
        assertThat(seen.get(0).getHighCardinalityKeyValue("apikey.tenant").getValue()).isEqualTo("93");
        assertThat(seen.get(1).getLowCardinalityKeyValue("apikey.outcome").getValue()).isEqualTo("refused");
        assertThat(seen.get(1).getLowCardinalityKeyValue("apikey.code").getValue()).isEqualTo("malformed_api_key");
        for (Observation.Context c : seen) {
            assertThat(WebFluxObservationParentTest.ancestors(c)).as("inside Spring Security's, inside the request's")
                    .startsWith("spring.security.filterchains").contains("http.server.requests");
        }
    }

    @Test
    void thePrincipalReachesTheHandlerAndPreAuthorizeReadsTheScopes() {
        String reader = key("92", "events:read");
        String reports = key("92", "reports:read");

        HttpResponse<String> me = Http.get(port, "/api/v1/me", reader);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("wlcro_92_").contains("events:read").contains("\"same\":true")
                .doesNotContain(reader);
        assertThat(Http.get(port, "/api/v1/reports", reports).statusCode()).isEqualTo(200);
        HttpResponse<String> denied = Http.get(port, "/api/v1/reports", reader);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("\"code\":\"insufficient_scope\"")
                .contains("\"missing_scope\":\"reports:read\"");
        assertThat(Http.get(port, "/api/v1/reports", null).statusCode()).isEqualTo(401);
    }

    @Test
    void headIsGetAndUnroutedMethodsAreNotAllowed() {
        String reports = key("92", "reports:read");
        String reader = key("92", "events:read");

        HttpResponse<String> headRefused = send("HEAD", "/api/v1/events", "X-Api-Key", reports);
        assertThat(headRefused.statusCode()).as("HEAD is checked as GET").isEqualTo(403);
        assertThat(send("HEAD", "/api/v1/events", "X-Api-Key", reader).statusCode()).isEqualTo(200);
        assertThat(send("HEAD", "/api/v1/events").statusCode()).isEqualTo(401);
        for (String[] headers : new String[][] {{"X-Api-Key", reports}, {"X-Api-Key", reader}, {}}) {
            for (String method : new String[] {"OPTIONS", "POST", "DELETE", "PUT"}) {
                HttpResponse<String> refused = send(method, "/api/v1/events", headers);
                assertThat(refused.statusCode()).as("%s with %s", method, headers.length > 0).isEqualTo(405);
                assertThat(refused.headers().firstValue("Allow")).contains("GET, HEAD");
                assertThat(refused.body()).contains("\"code\":\"method_not_allowed\"")
                        .doesNotContain("insufficient_scope");
            }
        }
    }

    @Test
    void aPreflightGoesToTheHostsCorsRulesWithoutAKey() {
        HttpResponse<String> preflight = send("OPTIONS", "/api/v1/events", "Origin", "https://app.example",
                "Access-Control-Request-Method", "GET");
        assertThat(preflight.statusCode()).as(preflight.body()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
        assertThat(preflight.body()).doesNotContain("events");
        HttpResponse<String> foreign = send("OPTIONS", "/api/v1/events", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "GET");
        assertThat(foreign.statusCode()).as("the host's CORS rules refuse it").isEqualTo(403);
    }

    @Test
    void aGrantedKeyMakesNoSession() {
        String reader = key("92", "events:read");
        for (HttpResponse<String> answer : List.of(Http.get(port, "/api/v1/events", reader),
                Http.get(port, "/api/v1/me", reader), send("HEAD", "/api/v1/events", "X-Api-Key", reader),
                Http.get(port, "/api/v1/events", null), send("POST", "/api/v1/events/test", "X-Api-Key", reader))) {
            assertThat(answer.headers().allValues("Set-Cookie")).as("no session: %s %s", answer.request().method(),
                    answer.uri()).isEmpty();
        }
        assertThat(Http.get(port, "/api/v1/events", reader).statusCode()).isEqualTo(200);
    }

    @Test
    void aCacheHitVerifiesOnTheEventLoopAndAStoreReadIsOffloaded() {
        String reader = key("92", "events:read");
        App.VERIFIED_ON.clear();

        HttpResponse<String> first = Http.get(port, "/api/v1/me", reader);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(App.VERIFIED_ON).hasSize(1);
        assertThat(App.VERIFIED_ON.get(0)).as("the first verify reads the H2 store and checks the stored hash")
                .startsWith("blocking " + ApiKeyReactiveVerifier.THREAD_PREFIX);
        // The next ones are cache hits, answered on Netty's event loop; the change feed's first look at the new key
        // may drop its entry once, so the next verify after that reads the store again, off the loop.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            App.VERIFIED_ON.clear();
            HttpResponse<String> again = Http.get(port, "/api/v1/me", reader);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(App.VERIFIED_ON).singleElement().asString().startsWith("non-blocking ").contains("-http-nio-");
            assertThat(again.body()).contains("\"nonBlocking\":true");
        });
    }

    @Test
    void blockHoundRefusesABlockingCallOnTheEventLoop() {
        HttpResponse<String> blocking = Http.get(port, "/blocking", null);

        assertThat(blocking.statusCode()).isEqualTo(200);
        assertThat(blocking.body()).startsWith("refused on a non-blocking thread").contains("Blocking call!")
                .contains("java.lang.Thread.sleep");
    }

    /** The key with its last checksum character changed (to one it is not): malformed, whatever the key. */
    private static String badChecksum(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == 'x' ? 'y' : 'x');
    }
}
