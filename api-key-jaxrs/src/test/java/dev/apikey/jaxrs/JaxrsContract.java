package dev.apikey.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.testkit.RawHttp;
import dev.apikey.testkit.ReadClock;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter over real HTTP, the same suite on every Jakarta REST implementation: granted, each refusal with the
 * servlet filter's problem and headers, a resource without the annotation, and the same answers as the servlet
 * filter for the same requests.
 */
abstract class JaxrsContract {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder()
            .scope("events:read", "Read events").scope("webhooks:write", "Manage webhooks")
            .superScope("admin", "Everything").build();

    /** Starts the implementation with these resources and a filter over {@link #apiKeys} on 127.0.0.1. */
    abstract int start(java.util.Set<Class<?>> resources) throws Exception;

    abstract void stop() throws Exception;

    /** Whether the implementation, as started, passes the peer address to the verify. */
    abstract boolean passesPeerAddress();

    volatile Instant now = Instant.parse("2026-12-03T10:00:00Z");
    ApiKeys apiKeys;
    int port;
    String key;

    @BeforeEach
    void startServer() throws Exception {
        Clock clock = ReadClock.of(() -> now);
        apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(SCOPES).clock(clock)
                .hasher(Argon2idHasher.builder().memoryKiB(256).iterations(1).insecureAllowWeakParameters().build())
                .build();
        key = create(KeySpec.builder("crm").tenantId("92").scopes("events:read")).plaintext();
        port = start(Resources.ALL);
    }

    @AfterEach
    void stopServer() throws Exception {
        stop();
        apiKeys.close();
    }

    IssuedKey create(KeySpec.Builder spec) {
        return apiKeys.create(spec.build());
    }

    RawHttp.Response get(String target, String... headers) throws IOException {
        return RawHttp.send(port, "GET", target, List.of(headers));
    }

    static void assertProblem(RawHttp.Response r, Failure failure) {
        assertThat(r.status()).as(r.body()).isEqualTo(failure.httpStatus());
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.body()).startsWith("{\"type\":\"urn:apikey:problem:" + failure.code() + "\",")
                .contains("\"code\":\"" + failure.code() + "\"").contains("\"status\":" + failure.httpStatus())
                .contains("\"title\":\"" + failure.title() + "\"").contains("\"resolution\":");
        if (failure.httpStatus() == 401) {
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer realm=\"api\"");
        } else {
            assertThat(r.header("WWW-Authenticate")).isNull();
        }
    }

    @Test
    void aGrantedRequestReachesTheResourceWithThePrincipalAndItsScopes() throws IOException {
        String keyId = apiKeys.list("92").get(0).keyId();
        for (String header : List.of("X-Api-Key: " + key, "Authorization: Bearer " + key)) {
            RawHttp.Response r = get("/api/v1/events", header);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header("X-Test-Principal")).as("the request property").isEqualTo(keyId);
            assertThat(r.body()).isEqualTo("{\"key\":\"" + keyId + "\",\"scopes\":\"events:read\",\"events:read\":true,"
                    + "\"webhooks:write\":false,\"scheme\":\"API_KEY\"}");
        }
        RawHttp.Response both = get("/api/v1/events", "X-Api-Key: " + key, "Authorization: Bearer " + key);
        assertThat(both.status()).as("the same key in both headers").isEqualTo(200);
    }

    @Test
    void aMissingKeyIs401WithAChallengeWithoutAnError() throws IOException {
        RawHttp.Response r = get("/api/v1/events");
        assertProblem(r, Failure.MISSING_API_KEY);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"api\"");
    }

    @Test
    void malformedHeadersAreRefusedBeforeAnyVerify() throws IOException {
        String other = create(KeySpec.builder("other").scopes("events:read")).plaintext();
        List<List<String>> cases = List.of(
                List.of("X-Api-Key: " + key, "X-Api-Key: " + key),
                List.of("Authorization: Bearer " + key, "Authorization: Bearer " + key),
                List.of("X-Api-Key: Bearer " + key),
                List.of("Authorization: Basic dXNlcjpwYXNz"),
                List.of("X-Api-Key: " + key, "Authorization: Bearer " + other));
        for (List<String> headers : cases) {
            RawHttp.Response r = RawHttp.send(port, "GET", "/api/v1/events", headers);
            assertProblem(r, Failure.MALFORMED_REQUEST);
            assertThat(r.body()).doesNotContain(key).doesNotContain(other);
        }
        assertProblem(get("/api/v1/events", "X-Api-Key: not-a-key"), Failure.MALFORMED_API_KEY);
    }

    @Test
    void aKeyInTheQueryStringIsRefusedEvenWithAGoodHeader() throws IOException {
        RawHttp.Response named = get("/api/v1/events?api_key=x", "X-Api-Key: " + key);
        assertProblem(named, Failure.API_KEY_IN_URL);
        String encoded = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
        RawHttp.Response hidden = get("/api/v1/events?q=" + encoded, "X-Api-Key: " + key);
        assertProblem(hidden, Failure.API_KEY_IN_URL);
        assertThat(hidden.body()).doesNotContain(key);
    }

    @Test
    void aWrongSecretAndARevokedKeyAre401() throws IOException {
        String wrong = key.substring(0, key.length() - 8) + (key.endsWith("AAAAAAAA") ? "BBBBBBBB" : "AAAAAAAA");
        RawHttp.Response r = get("/api/v1/events", "X-Api-Key: " + wrong);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).containsAnyOf("\"code\":\"invalid_api_key\"", "\"code\":\"malformed_api_key\"");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"api\", error=\"invalid_token\"");

        IssuedKey revoked = create(KeySpec.builder("r").scopes("events:read"));
        assertThat(get("/api/v1/events", "X-Api-Key: " + revoked.plaintext()).status()).isEqualTo(200);
        apiKeys.revoke(revoked.info().keyId());
        assertProblem(get("/api/v1/events", "X-Api-Key: " + revoked.plaintext()), Failure.REVOKED_API_KEY);
    }

    @Test
    void theMethodsScopeWinsOverTheClassesAndA403NamesIt() throws IOException {
        RawHttp.Response r = RawHttp.send(port, "POST", "/api/v1/events", List.of("X-Api-Key: " + key));
        assertProblem(r, Failure.INSUFFICIENT_SCOPE);
        assertThat(r.body()).contains("\"missing_scope\":\"webhooks:write\"");

        IssuedKey writer = create(KeySpec.builder("w").scopes("webhooks:write"));
        RawHttp.Response created = RawHttp.send(port, "POST", "/api/v1/events",
                List.of("X-Api-Key: " + writer.plaintext()));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).isEqualTo("{\"created_by\":\"" + writer.info().keyId() + "\"}");
        RawHttp.Response reader = get("/api/v1/events", "X-Api-Key: " + writer.plaintext());
        assertProblem(reader, Failure.INSUFFICIENT_SCOPE);
        assertThat(reader.body()).contains("\"missing_scope\":\"events:read\"");
    }

    /**
     * The scope is decided as the application deploys, once per resource method, not asked of the request's resource
     * each time: these are the methods where the method and class the implementation names are not where the
     * annotation is (a sub-resource a locator returns, known only when a request first reaches it; an override that
     * inherits its annotations; a class whose interface is annotated). Each needs {@code webhooks:write}: a filter
     * missing there, or one holding "any valid key", would let the {@code events:read} key through.
     */
    @Test
    void aSubResourceAnInheritedMethodAndAnAnnotatedInterfaceNeedTheirScope() throws IOException {
        IssuedKey writer = create(KeySpec.builder("w").scopes("webhooks:write"));
        List<String> targets = List.of("/api/v1/located/hooks", "/api/v1/inherited", "/api/v1/implemented");
        java.util.Map<String, List<Integer>> statuses = new java.util.TreeMap<>();
        for (String target : targets) {
            statuses.put(target, List.of(get(target).status(), get(target, "X-Api-Key: " + key).status(),
                    get(target, "X-Api-Key: " + writer.plaintext()).status()));
        }
        assertThat(statuses).as("without a key, with events:read, with webhooks:write").isEqualTo(
                java.util.Map.of(targets.get(0), List.of(401, 403, 200), targets.get(1), List.of(401, 403, 200),
                        targets.get(2), List.of(401, 403, 200)));
        for (String target : targets) {
            assertProblem(get(target), Failure.MISSING_API_KEY);
            RawHttp.Response reader = get(target, "X-Api-Key: " + key);
            assertProblem(reader, Failure.INSUFFICIENT_SCOPE);
            assertThat(reader.body()).as(target).contains("\"missing_scope\":\"webhooks:write\"");
            for (int i = 0; i < 2; i++) {   // the first request of a sub-resource builds its model; the next reuses it
                RawHttp.Response granted = get(target, "X-Api-Key: " + writer.plaintext());
                assertThat(granted.status()).as(target + ": " + granted.body()).isEqualTo(200);
                assertThat(granted.body()).isEqualTo("{\"hooks_for\":\"" + writer.info().keyId() + "\"}");
            }
        }
    }

    /**
     * A method of a generic type takes its type variable's erasure ({@code create(Object)}), which the implementing
     * method ({@code create(String)}) does not declare: its annotation is still found, and wins over the class's.
     */
    @Test
    void aMethodOfAGenericInterfaceOrSuperclassNeedsItsScope() throws IOException {
        IssuedKey writer = create(KeySpec.builder("w").scopes("webhooks:write"));
        for (String target : List.of("/api/v1/generic", "/api/v1/generic-class")) {
            assertProblem(RawHttp.send(port, "POST", target, List.of()), Failure.MISSING_API_KEY);
            RawHttp.Response reader = RawHttp.send(port, "POST", target, List.of("X-Api-Key: " + key));
            assertProblem(reader, Failure.INSUFFICIENT_SCOPE);
            assertThat(reader.body()).as(target).contains("\"missing_scope\":\"webhooks:write\"");
            RawHttp.Response granted = RawHttp.send(port, "POST", target, List.of("X-Api-Key: " + writer.plaintext()));
            assertThat(granted.status()).as(target + ": " + granted.body()).isEqualTo(200);
            assertThat(granted.body()).isEqualTo("{\"hooks_for\":\"" + writer.info().keyId() + "\"}");
        }
    }

    /**
     * The annotation of a generic method is found through a bound whose first part is another type, and past a
     * same-named helper an implementation invokes instead. An implementation that does not deploy one of these
     * resources answers 404 for it: never 200 without the scope, on either.
     */
    @Test
    void aGenericMethodIsFoundThroughABoundAndPastAHelperAndAHelperIsNotTakenForIt() throws IOException {
        IssuedKey writer = create(KeySpec.builder("w").scopes("webhooks:write"));
        java.util.Map<String, List<Integer>> statuses = new java.util.TreeMap<>();
        for (String target : List.of("/api/v1/bound", "/api/v1/overload")) {
            int none = RawHttp.send(port, "POST", target, List.of()).status();
            int reader = RawHttp.send(port, "POST", target, List.of("X-Api-Key: " + key)).status();
            int granted = RawHttp.send(port, "POST", target, List.of("X-Api-Key: " + writer.plaintext())).status();
            statuses.put(target, List.of(none, reader, granted));
            assertThat(List.of(none, reader)).as(target + " without the scope").doesNotContain(200);
            if (granted != 404) {
                assertThat(List.of(none, reader, granted)).as(target).containsExactly(401, 403, 200);
            }
        }
        assertThat(statuses.values()).as("deployed on this implementation: " + statuses)
                .anyMatch(s -> s.equals(List.of(401, 403, 200)));
    }

    /**
     * An annotated method of the resource method's name and arity in a type it inherits from, which the filter cannot
     * tell it overrides (here it does not: a helper that is no resource method; a package-private method of another
     * package), fails the deployment naming both, rather than leave the resource method under no scope or another.
     */
    @Test
    void anAnnotatedMethodTheResourceMethodMayOverrideButCannotBeMatchedToFailsTheDeployment() throws Exception {
        stop();
        for (Class<?> resource : List.of(Resources.SameNameHelper.class, Resources.PackageHelper.class)) {
            assertThatThrownBy(() -> start(java.util.Set.of(resource))).as(resource.getSimpleName())
                    .hasStackTraceContaining("may apply to").hasStackTraceContaining(".list(")
                    .hasStackTraceContaining("put @RequiresApiKey on list itself");
        }
        port = start(Resources.ALL);
        assertThat(get("/api/v1/events", "X-Api-Key: " + key).status()).isEqualTo(200);
    }

    /**
     * An interface the resource class binds is read for a method it inherits from a class that knows nothing of it.
     * (A method's own annotation winning over a same-named generic one's: {@code RequirementTest}.)
     */
    @Test
    void theResourceClassesBindingIsRead() throws IOException {
        IssuedKey writer = create(KeySpec.builder("w").scopes("webhooks:write"));
        assertProblem(RawHttp.send(port, "POST", "/api/v1/late", List.of()), Failure.MISSING_API_KEY);
        assertProblem(RawHttp.send(port, "POST", "/api/v1/late", List.of("X-Api-Key: " + key)),
                Failure.INSUFFICIENT_SCOPE);
        assertThat(RawHttp.send(port, "POST", "/api/v1/late", List.of("X-Api-Key: " + writer.plaintext())).status())
                .isEqualTo(200);
    }

    @Test
    void aUriWithABrokenEscapeIs400WithoutTheUri() throws IOException {
        for (String target : List.of("/api/v1/events?v=%zz" + key, "/api/v1/events;k=%" + key)) {
            RawHttp.Response r = get(target, "X-Api-Key: " + key);
            assertThat(r.status()).as(target).isEqualTo(400);
            assertThat(r.body()).doesNotContain(key);
        }
    }

    @Test
    void aKeyInAMatrixParameterIsRefusedEvenWithAGoodHeader() throws IOException {
        assertProblem(get("/api/v1/events;k=" + key, "X-Api-Key: " + key), Failure.API_KEY_IN_URL);
        assertProblem(get("/api/v1/events;api_key=x", "X-Api-Key: " + key), Failure.API_KEY_IN_URL);
        String encoded = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
        RawHttp.Response hidden = get("/api/v1;v=1/events;a=b;q=" + encoded, "X-Api-Key: " + key);
        assertProblem(hidden, Failure.API_KEY_IN_URL);
        assertThat(hidden.body()).doesNotContain(key);
        assertThat(get("/api/v1/events;v=2", "X-Api-Key: " + key).status()).as("other matrix parameters").isEqualTo(200);
    }

    @Test
    void aRateLimitedKeyIs429WithRetryAfterAndTheRateLimitHeaders() throws IOException {
        IssuedKey limited = create(KeySpec.builder("l").scopes("events:read").rateLimit(RateLimit.perMinute(1)));
        assertThat(get("/api/v1/events", "X-Api-Key: " + limited.plaintext()).status()).isEqualTo(200);
        RawHttp.Response tooMany = get("/api/v1/events", "X-Api-Key: " + limited.plaintext());
        assertProblem(tooMany, Failure.RATE_LIMITED);
        assertThat(tooMany.header("Retry-After")).isEqualTo("60");
        assertThat(tooMany.header("RateLimit")).isEqualTo("\"per-minute\";r=0;t=60");
        assertThat(tooMany.header("RateLimit-Policy")).isEqualTo("\"per-minute\";q=1;w=60");
        assertThat(tooMany.body()).endsWith(",\"retry_after\":60}");
    }

    @Test
    void aResourceNamingAnUndeclaredScopeFailsTheDeploymentNotARequest() throws Exception {
        stop();
        assertThatThrownBy(() -> start(java.util.Set.of(Resources.Undeclared.class)))
                .hasStackTraceContaining("events:delete");
        port = start(Resources.ALL);
        assertThat(get("/api/v1/events", "X-Api-Key: " + key).status()).isEqualTo(200);
    }

    @Test
    void aResourceOfCostFourSpendsFourOfTheQuotaAndOneOfCostOneTheRest() throws IOException {
        String metered = create(KeySpec.builder("m").scopes("events:read").quota(Quota.perDay(10))).plaintext();

        assertThat(get("/api/v1/search", "X-Api-Key: " + metered).status()).isEqualTo(200);
        assertThat(get("/api/v1/search", "X-Api-Key: " + metered).status()).isEqualTo(200);
        RawHttp.Response third = get("/api/v1/search", "X-Api-Key: " + metered);
        assertProblem(third, Failure.QUOTA_EXCEEDED);
        assertThat(third.header("Retry-After")).isNotNull();
        // The refused call spent nothing: 2 of 10 are left for calls of cost 1.
        assertThat(get("/api/v1/search/count", "X-Api-Key: " + metered).status()).isEqualTo(200);
        assertThat(get("/api/v1/events", "X-Api-Key: " + metered).status()).isEqualTo(200);
        assertProblem(get("/api/v1/events", "X-Api-Key: " + metered), Failure.QUOTA_EXCEEDED);
    }

    @Test
    void aResourceWithACostOutOfRangeFailsTheDeploymentNotARequest() throws Exception {
        stop();
        assertThatThrownBy(() -> start(java.util.Set.of(Resources.FreeOfCharge.class)))
                .hasStackTraceContaining("cost must be 1 to 1000000, was 0 in @RequiresApiKey of "
                        + Resources.FreeOfCharge.class.getName() + ".get");
        port = start(Resources.ALL);
        assertThat(get("/api/v1/events", "X-Api-Key: " + key).status()).isEqualTo(200);
    }

    @Test
    void aResourceWithoutTheAnnotationIsNotFiltered() throws IOException {
        assertThat(get("/health").body()).isEqualTo("ok anonymous");
        // Not even a key in the URL or a malformed header is looked at there: the filter is not bound to it.
        RawHttp.Response r = get("/health?api_key=x", "X-Api-Key: a", "X-Api-Key: b");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok anonymous");
    }

    @Test
    void thePeerAddressReachesTheVerifyWhereTheContainerGivesOne() throws IOException {
        IssuedKey loopback = create(KeySpec.builder("lo").scopes("events:read").allowedAddresses("127.0.0.0/8"));
        RawHttp.Response r = get("/api/v1/events", "X-Api-Key: " + loopback.plaintext());
        if (passesPeerAddress()) {
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            IssuedKey office = create(KeySpec.builder("o").scopes("events:read").allowedAddresses("203.0.113.0/24"));
            assertProblem(get("/api/v1/events", "X-Api-Key: " + office.plaintext()), Failure.IP_NOT_ALLOWED);
            // A client-written header is not the peer: no proxy is trusted.
            assertProblem(get("/api/v1/events", "X-Api-Key: " + office.plaintext(), "X-Forwarded-For: 203.0.113.7",
                    "Forwarded: for=203.0.113.7"), Failure.IP_NOT_ALLOWED);
        } else {
            // Unknown address: a key restricted to addresses is refused, never let through on a header.
            assertProblem(r, Failure.IP_NOT_ALLOWED);
            assertProblem(get("/api/v1/events", "X-Api-Key: " + loopback.plaintext(), "X-Forwarded-For: 127.0.0.1",
                    "X-Real-IP: 127.0.0.1"), Failure.IP_NOT_ALLOWED);
        }
    }

    /** One request per failure, to both adapters; status, problem headers and body must be the same. */
    @Test
    void everyProblemIsTheServletFiltersForTheSameRequest() throws Exception {
        IssuedKey revoked = create(KeySpec.builder("r").scopes("events:read"));
        apiKeys.revoke(revoked.info().keyId());
        IssuedKey limited = create(KeySpec.builder("l").scopes("events:read").rateLimit(RateLimit.perMinute(1)));
        IssuedKey expiring = create(KeySpec.builder("e").scopes("events:read").expiresAt(now.plusSeconds(60)));
        String wrong = key.substring(0, key.length() - 8) + (key.endsWith("AAAAAAAA") ? "BBBBBBBB" : "AAAAAAAA");
        // case, method, target, headers, expected status, code, missing_scope (or null)
        record Case(String name, String method, String target, List<String> headers, int status, String code,
                String missingScope) {
        }
        List<Case> table = new ArrayList<>(List.of(
                new Case("missing", "GET", "/api/v1/events", List.of(), 401, "missing_api_key", null),
                new Case("twice", "GET", "/api/v1/events", List.of("X-Api-Key: " + key, "X-Api-Key: " + key), 400,
                        "malformed_request", null),
                new Case("basic", "GET", "/api/v1/events", List.of("Authorization: Basic eDp5"), 400,
                        "malformed_request", null),
                new Case("in url", "GET", "/api/v1/events?api_key=x", List.of("X-Api-Key: " + key), 400,
                        "api_key_in_url", null),
                new Case("malformed", "GET", "/api/v1/events", List.of("X-Api-Key: nope"), 401, "malformed_api_key",
                        null),
                new Case("revoked", "GET", "/api/v1/events", List.of("X-Api-Key: " + revoked.plaintext()), 401,
                        "revoked_api_key", null),
                new Case("scope", "POST", "/api/v1/events", List.of("X-Api-Key: " + key), 403, "insufficient_scope",
                        "webhooks:write"),
                new Case("limited", "GET", "/api/v1/events", List.of("X-Api-Key: " + limited.plaintext()), 429,
                        "rate_limited", null)));
        // The wrong secret is invalid_api_key or, if the checksum breaks, malformed_api_key: the same on both.
        table.add(new Case("wrong secret", "GET", "/api/v1/events", List.of("X-Api-Key: " + wrong),
                401, null, null));
        now = now.plusSeconds(60);
        assertThat(get("/api/v1/events", "X-Api-Key: " + limited.plaintext()).status()).isEqualTo(200);
        table.add(new Case("expired", "GET", "/api/v1/events", List.of("X-Api-Key: " + expiring.plaintext()), 401,
                "expired_api_key", null));
        try (ServletBeside servlet = new ServletBeside(apiKeys)) {
            for (Case c : table) {
                RawHttp.Response jaxrs = RawHttp.send(port, c.method(), c.target(), c.headers());
                RawHttp.Response filter = RawHttp.send(servlet.port(), c.method(), c.target(), c.headers());
                assertThat(jaxrs.status()).as(c.name() + ": " + jaxrs.body()).isEqualTo(c.status());
                if (c.code() != null) {
                    assertThat(jaxrs.body()).as(c.name()).contains("\"code\":\"" + c.code() + "\"");
                }
                if (c.missingScope() != null) {
                    assertThat(jaxrs.body()).as(c.name()).contains("\"missing_scope\":\"" + c.missingScope() + "\"");
                }
                assertThat(filter.status()).as(c.name()).isEqualTo(jaxrs.status());
                assertThat(jaxrs.body()).as(c.name()).isEqualTo(filter.body());
                for (String header : List.of("Cache-Control", "WWW-Authenticate", "Retry-After", "RateLimit",
                        "RateLimit-Policy", "Allow")) {
                    assertThat(jaxrs.header(header)).as(c.name() + " " + header).isEqualTo(filter.header(header));
                }
                assertThat(jaxrs.header("Content-Type").replace(" ", "").toLowerCase(java.util.Locale.ROOT))
                        .as(c.name()).isEqualTo(filter.header("Content-Type").replace(" ", "")
                                .toLowerCase(java.util.Locale.ROOT));
            }
        }
    }
}
