package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.RateLimit;
import dev.apikey.servlet.ApiKeyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Every failure code a request can earn, sent to the Spring Security chain and to {@link ApiKeyFilter} (in Jetty,
 * on the same {@link ApiKeys} and routes): the same status, body and problem headers. {@link WebFluxProblemParityTest}
 * runs the same cases against the reactive chain.
 * The store is the host's own bean (replacing the starter's), switched off for {@code store_unavailable};
 * {@code overloaded} needs a saturated hash pool and is covered by the core's and the filter's own tests (the
 * answer is the same {@code ApiKeyProblems.send}).
 */
@SpringBootTest(classes = ProblemParityTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.scopes.[events\\:write]=Send test events",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.routes[1]=POST /api/v1/events/test -> events:write",
            "apikey.routes[2]=GET /api/v1/tenants/{tenantId}/events -> events:read",
            "apikey.cache.negative-ttl=0s",
            "apikey.problem-type-base=" + ProblemParityTest.TYPE_BASE})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProblemParityTest {

    /** The host's own error documentation, on both sides: the property for the chain, the builder for the filter. */
    static final String TYPE_BASE = "https://docs.example.com/api-errors/";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(SeedControllers.class)
    static class App {
        /** The host's own store, replacing the starter's: one that can go down. */
        @org.springframework.context.annotation.Bean
        SwitchableKeyStore store() {
            return new SwitchableKeyStore();
        }
    }

    @Autowired
    SwitchableKeyStore store;

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    Server jetty;
    int jettyPort;

    @BeforeAll
    void startFilter() throws Exception {
        ApiKeyFilter.Builder filter = ApiKeyFilter.builder(apiKeys).problemTypeBase(TYPE_BASE);
        for (String rule : List.of("GET /api/v1/events -> events:read", "POST /api/v1/events/test -> events:write",
                "GET /api/v1/tenants/{tenantId}/events -> events:read")) {
            filter.route(rule);
        }
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) {
                resp.setStatus(200);
            }
        }), "/*");
        context.addFilter(new FilterHolder(filter.build()), "/*", EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(context);
        jetty.start();
        jettyPort = connector.getLocalPort();
    }

    @AfterAll
    void stopFilter() throws Exception {
        jetty.stop();
    }

    /** A request as a path, a method and headers. */
    record Ask(String method, String path, Map<String, String> headers) {
        HttpResponse<String> to(int port) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            headers.forEach(b::header);
            return Http.send(b);
        }
    }

    static Ask get(String path, String key) {
        return new Ask("GET", path, key == null ? Map.of() : Map.of("X-Api-Key", key));
    }

    /** The body with its {@code retry_after} seconds blanked, for answers a second boundary may fall between. */
    static String withoutRetryAfter(String body) {
        return body.replaceAll("\"retry_after\":[0-9]+", "\"retry_after\":_");
    }

    String key(KeySpec.Builder spec) {
        return apiKeys.create(spec.scopes("events:read").build()).plaintext();
    }

    @Test
    void everyFailureIsAnsweredAlikeByTheChainAndTheFilter() throws Exception {
        String good = key(KeySpec.builder("good").tenantId("92"));
        String revoked = key(KeySpec.builder("revoked"));
        apiKeys.revoke(apiKeys.keyFormat().parse(revoked).orElseThrow().keyId());
        String disabled = key(KeySpec.builder("disabled"));
        apiKeys.disable(apiKeys.keyFormat().parse(disabled).orElseThrow().keyId());
        String expiring = key(KeySpec.builder("expiring").expiresAt(Instant.now().plusMillis(1500)));
        String office = key(KeySpec.builder("office").allowedAddresses("203.0.113.0/24"));
        // Neither side has a country resolver: the country is unknown, refused for a key with a country list.
        String eu = key(KeySpec.builder("eu").allowedCountries("DE"));
        String limited = key(KeySpec.builder("limited").rateLimit(RateLimit.perMinute(1)));
        String suspended = key(KeySpec.builder("suspended").tenantId("94"));
        apiKeys.tenants().suspend("94");
        String planned = apiKeys.create(KeySpec.builder("planned").tenantId("95").scopes("events:read", "events:write")
                .build()).plaintext();
        apiKeys.tenants().setPlanScopes("95", List.of("events:read"));
        String other = "k_test" + good.substring(5, good.length() - 6);
        other = other + dev.apikey.model.KeyFormat.checksum(other);
        String unknown = good.substring(0, 9) + "ZZZZZZZZ" + good.substring(17, good.length() - 6);
        unknown = unknown + dev.apikey.model.KeyFormat.checksum(unknown);
        String guessed = good.substring(0, good.length() - 38) + "y".repeat(32);
        guessed = guessed + dev.apikey.model.KeyFormat.checksum(guessed);
        String target = key(KeySpec.builder("target"));
        String wrongTarget = target.substring(0, target.length() - 38) + "z".repeat(32);
        wrongTarget = wrongTarget + dev.apikey.model.KeyFormat.checksum(wrongTarget);
        for (int i = 0; i < 100; i++) {
            apiKeys.verify(dev.apikey.model.VerifyRequest.header(wrongTarget).remoteAddress("127.0.0.1"));
        }
        long waitUntil = System.nanoTime() + 2_000_000_000L;
        while (apiKeys.verify(expiring, null).isGranted() && System.nanoTime() < waitUntil) {
            Thread.sleep(50);
        }

        Map<String, Ask> asks = new LinkedHashMap<>();
        asks.put("missing_api_key", get("/api/v1/events", null));
        asks.put("malformed_request", new Ask("GET", "/api/v1/events", Map.of("X-Api-Key", "Bearer " + good)));
        asks.put("malformed_api_key", get("/api/v1/events", "wlcro_garbage"));
        asks.put("wrong_environment", get("/api/v1/events", other));
        asks.put("invalid_api_key", get("/api/v1/events", unknown));
        asks.put("invalid_api_key (secret)", get("/api/v1/events", guessed));
        asks.put("revoked_api_key", get("/api/v1/events", revoked));
        asks.put("expired_api_key", get("/api/v1/events", expiring));
        asks.put("disabled_api_key", get("/api/v1/events", disabled));
        asks.put("ip_not_allowed", get("/api/v1/events", office));
        asks.put("country_not_allowed", get("/api/v1/events", eu));
        asks.put("tenant_mismatch", get("/api/v1/tenants/93/events", good));
        asks.put("insufficient_scope", new Ask("POST", "/api/v1/events/test", Map.of("X-Api-Key", good)));
        asks.put("tenant_suspended", get("/api/v1/events", suspended));
        asks.put("scope_not_in_plan", new Ask("POST", "/api/v1/events/test", Map.of("X-Api-Key", planned)));
        asks.put("too_many_failed_attempts", get("/api/v1/events", target));
        // Jetty answers "//" and encoded "%" itself, before any filter; an encoded space reaches both.
        asks.put("non_canonical_path", get("/api/v1/events%20x", good));
        asks.put("api_key_in_url", get("/api/v1/events?api_key=x", null));

        Set<String> codes = new TreeSet<>();
        for (Map.Entry<String, Ask> e : asks.entrySet()) {
            HttpResponse<String> filter = e.getValue().to(jettyPort);
            HttpResponse<String> chain = e.getValue().to(port);
            assertThat(chain.statusCode()).as("%s: status; chain said %s", e.getKey(), chain.body())
                    .isEqualTo(filter.statusCode());
            // Moments apart: a retry_after counting down may differ by one second.
            assertThat(withoutRetryAfter(chain.body())).as("%s: body", e.getKey())
                    .isEqualTo(withoutRetryAfter(filter.body()));
            assertThat(chain.headers().firstValue("Retry-After").map(Long::parseLong).orElse(-1L))
                    .as("%s: Retry-After", e.getKey())
                    .isCloseTo(filter.headers().firstValue("Retry-After").map(Long::parseLong).orElse(-1L),
                            org.assertj.core.data.Offset.offset(1L));
            for (String header : List.of("WWW-Authenticate", "Content-Type", "Cache-Control")) {
                // Case-blind: Tomcat writes charset=UTF-8 where Jetty writes utf-8.
                assertThat(chain.headers().firstValue(header).map(v -> v.toLowerCase(Locale.ROOT)))
                        .as("%s: %s", e.getKey(), header)
                        .isEqualTo(filter.headers().firstValue(header).map(v -> v.toLowerCase(Locale.ROOT)));
            }
            codes.add(e.getKey().split(" ")[0]);
            assertThat(chain.body()).as(e.getKey()).contains("\"code\":\"" + e.getKey().split(" ")[0] + "\"")
                    .contains("\"type\":\"" + TYPE_BASE + e.getKey().split(" ")[0] + "\"");
        }

        HttpResponse<String> doubleSlash = get("/api//v1/events", good).to(port);
        assertThat(doubleSlash.statusCode()).as("Spring's firewall, answered as a problem").isEqualTo(400);
        assertThat(doubleSlash.body()).contains("\"code\":\"non_canonical_path\"")
                .contains("\"type\":\"" + TYPE_BASE + "non_canonical_path\"");

        // The store down: a key not cached yet is not judged (503, Retry-After), by either.
        String cold = key(KeySpec.builder("cold"));
        store.down = true;
        try {
            HttpResponse<String> filterDown = get("/api/v1/events", cold).to(jettyPort);
            HttpResponse<String> chainDown = get("/api/v1/events", cold).to(port);
            assertThat(chainDown.statusCode()).isEqualTo(503).isEqualTo(filterDown.statusCode());
            assertThat(chainDown.body()).isEqualTo(filterDown.body()).contains("store_unavailable");
            assertThat(chainDown.headers().firstValue("Retry-After")).isEqualTo(filterDown.headers()
                    .firstValue("Retry-After")).isPresent();
        } finally {
            store.down = false;
        }
        codes.add("store_unavailable");

        // The quota: one call a day, counted across both servers (one ApiKeys).
        String metered = key(KeySpec.builder("metered").quota(dev.apikey.model.Quota.perDay(1)));
        assertThat(get("/api/v1/events", metered).to(jettyPort).statusCode()).isEqualTo(200);
        HttpResponse<String> filterQuota = get("/api/v1/events", metered).to(jettyPort);
        HttpResponse<String> chainQuota = get("/api/v1/events", metered).to(port);
        assertThat(chainQuota.statusCode()).isEqualTo(429).isEqualTo(filterQuota.statusCode());
        // The two answers come moments apart: the seconds to the reset may differ by one.
        assertThat(withoutRetryAfter(chainQuota.body())).isEqualTo(withoutRetryAfter(filterQuota.body()))
                .contains("quota_exceeded");
        assertThat(chainQuota.headers().firstValue("Retry-After")).isPresent();
        codes.add("quota_exceeded");

        // The rate limit: one grant a minute, counted across both servers (one ApiKeys).
        assertThat(get("/api/v1/events", limited).to(jettyPort).statusCode()).isEqualTo(200);
        HttpResponse<String> filterLimited = get("/api/v1/events", limited).to(jettyPort);
        HttpResponse<String> chainLimited = get("/api/v1/events", limited).to(port);
        assertThat(chainLimited.statusCode()).isEqualTo(429).isEqualTo(filterLimited.statusCode());
        assertThat(withoutRetryAfter(chainLimited.body())).isEqualTo(withoutRetryAfter(filterLimited.body()));
        assertThat(chainLimited.headers().firstValue("RateLimit-Policy"))
                .isEqualTo(filterLimited.headers().firstValue("RateLimit-Policy")).isPresent();
        codes.add("rate_limited");

        Set<String> expected = new TreeSet<>();
        Failure.builtIns().forEach(f -> expected.add(f.code()));
        // A saturated hash pool, a failing shared meter and a throwing access policy: the core's, the JDBC and Redis
        // modules' own tests (ConcurrencyTest, QuotaTest, the meters', AccessPolicyTest) and the CLI's
        // DiagnoseReportTest.
        expected.removeAll(Set.of("overloaded", "rate_limit_unavailable", "quota_unavailable", "policy_unavailable"));
        assertThat(codes).isEqualTo(expected);
    }

    @Test
    void whatNoRouteNamesAndHeadAreAnsweredAlikeByTheChainAndTheFilter() {
        String good = key(KeySpec.builder("unrouted").tenantId("92"));
        String writer = apiKeys.create(KeySpec.builder("writer").scopes("events:write").build()).plaintext();
        Map<String, Ask> asks = new LinkedHashMap<>();
        asks.put("not_found", get("/api/v1/nowhere", good));
        asks.put("not_found without a key", get("/api/v1/nowhere", null));
        asks.put("method_not_allowed", new Ask("POST", "/api/v1/events", Map.of("X-Api-Key", good)));
        asks.put("method_not_allowed for OPTIONS", new Ask("OPTIONS", "/api/v1/events", Map.of("X-Api-Key", writer)));
        asks.put("method_not_allowed without a key", new Ask("DELETE", "/api/v1/events/test", Map.of()));
        asks.put("HEAD granted", new Ask("HEAD", "/api/v1/events", Map.of("X-Api-Key", good)));
        asks.put("HEAD insufficient_scope", new Ask("HEAD", "/api/v1/events", Map.of("X-Api-Key", writer)));
        asks.put("HEAD missing_api_key", new Ask("HEAD", "/api/v1/events", Map.of()));
        for (Map.Entry<String, Ask> e : asks.entrySet()) {
            HttpResponse<String> filter = e.getValue().to(jettyPort);
            HttpResponse<String> chain = e.getValue().to(port);
            assertThat(chain.statusCode()).as("%s: status; chain said %s", e.getKey(), chain.body())
                    .isEqualTo(filter.statusCode());
            if (!e.getKey().startsWith("HEAD")) {
                assertThat(chain.body()).as("%s: body", e.getKey()).isEqualTo(filter.body())
                        .contains("\"code\":\"" + e.getKey().split(" ")[0] + "\"")
                        .contains("\"type\":\"" + TYPE_BASE + e.getKey().split(" ")[0] + "\"");
            }
            for (String header : List.of("Allow", "WWW-Authenticate", "Content-Type", "Cache-Control")) {
                if (filter.statusCode() == 200 && !header.equals("Allow")) {
                    continue; // the handlers differ: Jetty's test servlet and the Spring controller
                }
                assertThat(chain.headers().firstValue(header).map(v -> v.toLowerCase(Locale.ROOT)))
                        .as("%s: %s", e.getKey(), header)
                        .isEqualTo(filter.headers().firstValue(header).map(v -> v.toLowerCase(Locale.ROOT)));
            }
        }
    }
}
