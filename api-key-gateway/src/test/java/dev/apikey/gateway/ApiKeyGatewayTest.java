package dev.apikey.gateway;

import static dev.apikey.gateway.Answers.assertProblem;
import static dev.apikey.gateway.Answers.assertSameRefusal;
import static dev.apikey.gateway.Answers.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikey.ApiKeys;
import dev.apikey.ProblemTypes;
import dev.apikey.forwarded.SignedCaller;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Problem;
import dev.apikey.model.Quota;
import dev.apikey.model.VerifyRequest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real gateway (Spring Cloud Gateway on Netty, random port) in front of a real upstream (Jetty 12 with
 * {@code ForwardedCallerFilter}), over real HTTP on 127.0.0.1.
 */
@SpringBootTest(classes = GatewayApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyGatewayTest {

    static final String SECRET = "gateway-and-upstream-share-this-secret-0123456789";
    private static Upstream upstream;

    @LocalServerPort
    int port;
    @Autowired
    ApiKeys apiKeys;

    private String eventsKey;
    private String eventsKeyId;
    private String reportsKey;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        upstream = Upstream.withTestSecret();
        GatewayApp.common(registry);
        registry.add("apikey.gateway.public-routes", () -> "public");
        GatewayApp.route(registry, 0, "events", upstream, "Path=/events/**", "ApiKey=events:read");
        GatewayApp.route(registry, 1, "any", upstream, "Path=/any/**");
        GatewayApp.route(registry, 2, "public", upstream, "Path=/public/**");
        GatewayApp.route(registry, 3, "reports", upstream, "Path=/v1/reports/**", "ApiKey=reports:read",
                "StripPrefix=1");
        GatewayApp.route(registry, 4, "search", upstream, "Path=/search/**", "ApiKey=events:read,4");
    }

    @BeforeAll
    void keys() {
        var events = apiKeys.create(KeySpec.builder("events-reader").tenantId("acme").scopes("events:read").build());
        eventsKey = events.plaintext();
        eventsKeyId = events.info().keyId();
        reportsKey = apiKeys.create(KeySpec.builder("reports").scopes("reports:*").build()).plaintext();
    }

    @AfterEach
    void clockBack() {
        upstream.clock.ahead(Duration.ZERO);
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    private HttpResponse<String> gateway(String pathAndQuery, String... headers) throws Exception {
        return send(URI.create("http://127.0.0.1:" + port + pathAndQuery), Map.of(), headers);
    }

    @Test
    void aRouteOfCostFourSpendsFourOfTheQuotaAndOneOfCostOneTheRest() throws Exception {
        String metered = apiKeys.create(KeySpec.builder("metered").tenantId("acme").scopes("events:read")
                .quota(Quota.perDay(10)).build()).plaintext();

        assertThat(gateway("/search/q", "X-Api-Key", metered).statusCode()).isEqualTo(200);
        assertThat(gateway("/search/q", "X-Api-Key", metered).statusCode()).isEqualTo(200);
        HttpResponse<String> third = gateway("/search/q", "X-Api-Key", metered);
        assertProblem(third, 429, "quota_exceeded");
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        // The refused call spent nothing: 2 of 10 are left for calls of cost 1.
        assertThat(gateway("/events/list", "X-Api-Key", metered).statusCode()).isEqualTo(200);
        assertThat(gateway("/events/list", "X-Api-Key", metered).statusCode()).isEqualTo(200);
        assertProblem(gateway("/events/list", "X-Api-Key", metered), 429, "quota_exceeded");
    }

    @Test
    void aGrantedCallerReachesTheUpstreamAsItsPrincipalWithoutItsKey() throws Exception {
        HttpResponse<String> r = gateway("/events/list?page=2", "X-Api-Key", eventsKey);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("path=/events/list?page=2\nprincipal=" + eventsKeyId
                + "\ntenant=acme\nscopes=[events:read]\nheaders=[x-apikey-key-id, x-apikey-scopes, "
                + "x-apikey-signature, x-apikey-tenant, x-apikey-timestamp]");
    }

    @Test
    void theFiltersAfterTheCheckSeeTheServersOwnRequestWithoutTheKeyOrSpoofedCallerHeaders() throws Exception {
        GatewayApp.PASSED_ON.clear();
        assertThat(gateway("/events/x", "X-Api-Key", eventsKey, "X-ApiKey-Tenant", "globex", "Accept", "*/*")
                .statusCode()).isEqualTo(200);
        assertThat(gateway("/any/x", "Authorization", "Bearer " + reportsKey, "x-apikey-key-id", "forged")
                .statusCode()).isEqualTo(200);
        assertThat(gateway("/public/page", "X-ApiKey-Scopes", "admin").statusCode()).isEqualTo(200);

        // Each header was removed where the server holds it: the request is still the one Spring made for Reactor
        // Netty, not rebuilt, and no later filter sees the key or a caller header the client sent.
        assertThat(GatewayApp.PASSED_ON).hasSize(3).allSatisfy(seen -> assertThat(seen)
                .startsWith("ReactorServerHttpRequest [")
                .doesNotContain("x-api-key", "authorization", "x-apikey-"));
        assertThat(GatewayApp.PASSED_ON.get(0)).contains("accept");
    }

    @Test
    void aFirstVerifyRunsOnTheVerifySchedulerAndACachedOneOnTheEventLoopWithThePeerAddress() throws Exception {
        var fresh = apiKeys.create(KeySpec.builder("fresh").scopes("events:read").build());
        String id = fresh.info().keyId();

        assertThat(gateway("/events/x", "X-Api-Key", fresh.plaintext()).statusCode()).isEqualTo(200);
        assertThat(GatewayApp.GRANTS).filteredOn(g -> g.startsWith(id + " ")).singleElement().asString()
                .startsWith(id + " 127.0.0.1 apikey-verify");
        // Once the key is cached (the store's change feed may refresh the entry once more), a verify is answered on
        // the server's event loop (Boot names its threads webflux-http-nio-N).
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            assertThat(gateway("/events/x", "X-Api-Key", fresh.plaintext()).statusCode()).isEqualTo(200);
            List<String> grants = GatewayApp.GRANTS.stream().filter(g -> g.startsWith(id + " ")).toList();
            return grants.get(grants.size() - 1).matches(id + " 127\\.0\\.0\\.1 (webflux|reactor)-http-nio-[0-9]+");
        });
    }

    @Test
    void aBearerKeyIsGrantedAndTheAuthorizationHeaderGoesNoFurther() throws Exception {
        HttpResponse<String> r = gateway("/events/x", "Authorization", "Bearer " + eventsKey);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("principal=" + eventsKeyId).doesNotContain("authorization");
    }

    @Test
    void theGlobalFilterRequiresAnyValidKeyOnARouteWithoutItsOwn() throws Exception {
        assertThat(gateway("/any/thing", "X-Api-Key", reportsKey).statusCode()).isEqualTo(200);
        assertProblem(gateway("/any/thing"), 401, "missing_api_key");
    }

    @Test
    void theSignatureCoversThePathAsForwardedAfterTheRoutesFilters() throws Exception {
        HttpResponse<String> r = gateway("/v1/reports/monthly?year=2026", "X-Api-Key", reportsKey);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("path=/reports/monthly?year=2026\n").contains("scopes=[reports:*]");
    }

    @Test
    void eachRefusalIsAnsweredByTheGatewayWithTheProblem() throws Exception {
        int before = upstream.requests.get();

        assertProblem(gateway("/events/x"), 401, "missing_api_key");
        assertProblem(gateway("/events/x", "X-Api-Key", "not-a-key"), 401, "malformed_api_key");
        assertProblem(gateway("/events/x", "X-Api-Key", reportsKey), 403, "insufficient_scope");
        assertProblem(gateway("/events/x", "X-Api-Key", eventsKey, "Authorization", "Bearer " + reportsKey), 400,
                "malformed_request");
        assertProblem(gateway("/events/x?api_key=" + eventsKey), 400, "api_key_in_url");
        assertThat(upstream.requests.get()).isEqualTo(before);
    }

    @Test
    void aRefusalIsByteForByteTheCoresProblem() throws Exception {
        HttpResponse<String> r = gateway("/events/x", "X-Api-Key", reportsKey);
        var expected = Problem.of(apiKeys.verify(VerifyRequest.header(reportsKey).scope("events:read")));

        assertThat(r.statusCode()).isEqualTo(expected.status());
        assertThat(r.body()).isEqualTo(new String(expected.body(ProblemTypes.DEFAULT_BASE), StandardCharsets.UTF_8));
        expected.headers("api").forEach((name, value) ->
                assertThat(r.headers().firstValue(name)).as(name).contains(value));
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json;charset=UTF-8");
        assertThat(r.body()).contains("\"missing_scope\":\"events:read\"");
    }

    @Test
    void eachRefusalIsTheServletFiltersStatusHeadersAndBody() throws Exception {
        String limited = apiKeys.create(KeySpec.builder("limited").scopes("events:read")
                .allowance(dev.apikey.model.RateLimit.perMinute(1).named("burst")).build()).plaintext();
        String[][] cases = {
            {"/events/x"},
            {"/events/x", "X-Api-Key", "not-a-key"},
            {"/events/x", "X-Api-Key", reportsKey},
            {"/events/x", "X-Api-Key", eventsKey, "Authorization", "Bearer " + reportsKey},
            {"/events/x", "X-Api-Key", "Bearer " + eventsKey},
            {"/events/x", "Authorization", "Basic dXNlcjpwYXNz"},
            {"/events/x?api_key=" + eventsKey},
            {"/events/x", "X-Api-Key", eventsKey.substring(0, eventsKey.length() - 10) + "0000000000"},
            {"/any/thing"}};
        try (ServletBeside servlet = new ServletBeside(apiKeys)) {
            for (String[] c : cases) {
                String[] headers = java.util.Arrays.copyOfRange(c, 1, c.length);
                assertSameRefusal(c[0] + " " + String.join(" ", headers).replace(eventsKey, "<key>"),
                        gateway(c[0], headers), send(URI.create(servlet.uri() + c[0]), Map.of(), headers));
            }
            assertThat(gateway("/events/x", "X-Api-Key", limited).statusCode()).isEqualTo(200);
            HttpResponse<String> gatewayLimited = gateway("/events/x", "X-Api-Key", limited);
            HttpResponse<String> servletLimited = send(URI.create(servlet.uri() + "/events/x"), Map.of(),
                    "X-Api-Key", limited);
            assertThat(gatewayLimited.statusCode()).isEqualTo(429);
            assertSameRefusal("rate limited", gatewayLimited, servletLimited);
        }
    }

    @Test
    void aPathNotInCanonicalFormIsRefusedOnEveryRouteBeforeItReachesTheUpstream() throws Exception {
        int before = upstream.requests.get();
        String expected = new String(Problem.of(Failure.NON_CANONICAL_PATH, Failure.NON_CANONICAL_PATH.detail())
                .body(ProblemTypes.DEFAULT_BASE), StandardCharsets.UTF_8);
        for (String path : new String[] {"/public/../events/x", "/public/%2e%2e/events/x", "/public//x",
            "/public/x;a=1", "/public/a%2Fb", "/public/%25", "/public/x/.", "/events/../any/x"}) {
            String answer = RawHttp.get(port, path, "X-Api-Key: " + eventsKey);
            assertThat(answer).as(path).startsWith("HTTP/1.1 400 ").endsWith("\r\n\r\n" + expected);
        }
        String keyInUrl = RawHttp.get(port, "/public/page?api_key=" + eventsKey);
        assertThat(keyInUrl).startsWith("HTTP/1.1 400 ").contains("\"code\":\"api_key_in_url\"");
        assertThat(upstream.requests.get()).isEqualTo(before);
    }

    @Test
    void anEncodedPathAndQueryReachTheUpstreamSignedAsSent() throws Exception {
        HttpResponse<String> r = gateway("/events/a%2Bb%40c?q=a%20b%2Fc%C3%A9&q=%26&empty=&plus=1+2", "X-Api-Key",
                eventsKey);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).startsWith("path=/events/a%2Bb%40c?q=a%20b%2Fc%C3%A9&q=%26&empty=&plus=1+2\n");
    }

    @Test
    void aKeySentToAPublicRouteGoesNoFurtherThanTheGatewayWhileAnotherCredentialForTheUpstreamDoes() throws Exception {
        HttpResponse<String> both = gateway("/public/page", "X-Api-Key", eventsKey, "Authorization", "Bearer " + eventsKey);
        assertThat(both.statusCode()).isEqualTo(200);
        assertThat(both.body()).endsWith("principal=-\ntenant=-\nscopes=-\nheaders=[]");

        HttpResponse<String> bearer = gateway("/public/page", "Authorization", "Bearer " + reportsKey);
        assertThat(bearer.body()).endsWith("headers=[]");

        // Not a key of this library: the upstream's own business (a token of its own, a Basic login).
        HttpResponse<String> other = gateway("/public/page", "Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.");
        assertThat(other.body()).endsWith("headers=[authorization]");
        GatewayApp.PASSED_ON.clear();
        assertThat(gateway("/public/page", "x-api-key", "not-even-a-key").statusCode()).isEqualTo(200);
        assertThat(GatewayApp.PASSED_ON).singleElement().asString().startsWith("ReactorServerHttpRequest [")
                .doesNotContain("x-api-key");
    }

    @Test
    void spoofedForwardedHeadersAreStrippedOnPublicAndProtectedRoutes() throws Exception {
        String[] spoofed = {"X-ApiKey-Key-Id", "someoneElse", "X-ApiKey-Scopes", "admin", "X-ApiKey-Tenant", "globex",
            "X-ApiKey-Timestamp", "1", "X-ApiKey-Signature", "v1=forged", "x-apikey-anything", "1"};

        HttpResponse<String> open = gateway("/public/page", spoofed);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).endsWith("principal=-\ntenant=-\nscopes=-\nheaders=[]");

        String[] withKey = new String[spoofed.length + 2];
        System.arraycopy(spoofed, 0, withKey, 0, spoofed.length);
        withKey[spoofed.length] = "X-Api-Key";
        withKey[spoofed.length + 1] = eventsKey;
        HttpResponse<String> granted = gateway("/events/x", withKey);
        assertThat(granted.statusCode()).isEqualTo(200);
        assertThat(granted.body()).contains("principal=" + eventsKeyId, "tenant=acme", "scopes=[events:read]")
                .doesNotContain("x-apikey-anything");
    }

    @Test
    void theUpstreamRefusesARequestThatDidNotComeThroughTheGateway() throws Exception {
        HttpResponse<String> direct = send(URI.create(upstream.uri() + "/events/x"), Map.of());

        assertThat(direct.statusCode()).isEqualTo(401);
        assertThat(direct.body()).contains("\"code\":\"gateway_signature_missing\"");
    }

    @Test
    void theUpstreamRefusesAlteredSignedHeaders() throws Exception {
        Map<String, String> signed = signedHeadersOf("/events/x");

        Map<String, String> moreScopes = new HashMap<>(signed);
        moreScopes.put("x-apikey-scopes", "admin events:read");
        Map<String, String> otherSignature = new HashMap<>(signed);
        otherSignature.put("x-apikey-signature", "v1=" + "A".repeat(43));
        Map<String, String> oldTimestamp = new HashMap<>(signed);
        oldTimestamp.put("x-apikey-timestamp", Long.toString(Long.parseLong(signed.get("x-apikey-timestamp")) - 600));

        for (Map<String, String> altered : List.of(moreScopes, otherSignature, oldTimestamp)) {
            HttpResponse<String> r = send(URI.create(upstream.uri() + "/events/x"), altered);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("\"code\":\"gateway_signature_invalid\"");
        }
        HttpResponse<String> otherPath = send(URI.create(upstream.uri() + "/any/x"), signed);
        assertThat(otherPath.body()).contains("\"code\":\"gateway_signature_invalid\"");
    }

    @Test
    void theUpstreamRefusesAReplayBeyondTheWindow() throws Exception {
        Map<String, String> signed = signedHeadersOf("/events/x");

        upstream.clock.ahead(SignedCaller.WINDOW.plusSeconds(5));
        HttpResponse<String> replay = send(URI.create(upstream.uri() + "/events/x"), signed);

        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("\"code\":\"gateway_signature_expired\"");
    }

    /** The signed headers the gateway sent the upstream for a granted request. */
    private Map<String, String> signedHeadersOf(String path) throws Exception {
        assertThat(gateway(path, "X-Api-Key", eventsKey).statusCode()).isEqualTo(200);
        Map<String, String> signed = new HashMap<>(upstream.lastSigned);
        assertThat(signed).containsKeys("x-apikey-key-id", "x-apikey-signature", "x-apikey-timestamp");
        // Sanity: the captured headers are good as they are, so each refusal below is the alteration's.
        assertThat(send(URI.create(upstream.uri() + path), signed).statusCode()).isEqualTo(200);
        return signed;
    }
}
