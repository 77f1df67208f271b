package dev.apikey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.SecretHasher;
import dev.apikey.testkit.RawHttp;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter over real HTTP, the same suite in every container: every failure code, the path tricks that
 * must not reach a rule they should not, forwards, the who-am-I endpoint.
 */
abstract class FilterContract {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder()
            .scope("events:read", "Read events").scope("webhooks:write", "Manage webhooks")
            .scope("integrations:read", "Find clients").scope("integrations:write", "Push leads")
            .superScope("admin", "Everything").build();

    /** Starts the container with the seed API servlets and this filter on every dispatch; returns its port. */
    abstract int start(Filter filter) throws Exception;

    abstract void stop() throws Exception;

    /** The seed API's "valid key, but your plan does not include API access". */
    static final Failure NO_API_ACCESS = Failure.of("plan_without_api_access", 403, "Plan without API access",
            "Your plan does not include API access.", "Upgrade your plan in Settings > Billing.");

    final AtomicBoolean storeDown = new AtomicBoolean();
    final AtomicInteger storeFinds = new AtomicInteger();
    final AtomicInteger hashGate = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    volatile Instant now = Instant.parse("2026-11-22T10:00:00Z");
    ApiKeys apiKeys;
    int port;
    String key;

    @BeforeEach
    void startServer() throws Exception {
        InMemoryKeyStore memory = new InMemoryKeyStore();
        KeyStore store = (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(), new Class<?>[] {KeyStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findById")) {
                        storeFinds.incrementAndGet();
                    }
                    if (storeDown.get() && method.getName().equals("findById")) {
                        throw new KeyStoreException("connection refused (simulated)", null);
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Argon2idHasher argon2 = Argon2idHasher.builder().memoryKiB(256).iterations(1).insecureAllowWeakParameters().build();
        SecretHasher gated = new SecretHasher() {
            @Override
            public String algorithm() {
                return argon2.algorithm();
            }

            @Override
            public String hash(byte[] secret) {
                return argon2.hash(secret);
            }

            @Override
            public boolean verify(byte[] secret, String storedHash) {
                if (hashGate.get() > 0) {
                    hashGate.decrementAndGet();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return argon2.verify(secret, storedHash);
            }
        };
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(SCOPES).hasher(gated).clock(clock)
                .hashConcurrency(1).hashQueueTimeout(Duration.ZERO)
                .accessPolicy((k, request) -> "free".equals(k.metadata().get("plan")) ? Optional.of(NO_API_ACCESS)
                        : Optional.empty())
                .build();
        key = create(KeySpec.builder("crm").tenantId("92").scopes("events:read")).plaintext();
        ApiKeyFilter.Builder filter = ApiKeyFilter.builder(apiKeys);
        SeedApi.ROUTES.forEach(filter::route);
        port = start(filter.build());
    }

    @AfterEach
    void stopServer() throws Exception {
        release.countDown();
        stop();
        apiKeys.close();
    }

    IssuedKey create(KeySpec.Builder spec) {
        return apiKeys.create(spec.build());
    }

    RawHttp.Response get(String target, String... headers) throws IOException {
        return RawHttp.send(port, "GET", target, List.of(headers));
    }

    RawHttp.Response post(String target, String... headers) throws IOException {
        return RawHttp.send(port, "POST", target, List.of(headers));
    }

    static void assertProblem(RawHttp.Response r, Failure failure) {
        assertThat(r.status()).as(r.body()).isEqualTo(failure.httpStatus());
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.body()).contains("\"code\":\"" + failure.code() + "\"")
                .contains("\"type\":\"urn:apikey:problem:" + failure.code() + "\"")
                .contains("\"status\":" + failure.httpStatus()).contains("\"resolution\":");
        if (failure.httpStatus() == 401) {
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer realm=\"api\"");
        } else {
            assertThat(r.header("WWW-Authenticate")).isNull();
        }
    }

    @Test
    void aHostsProblemTypeBaseMakesEveryTypeAndTheCodeStaysTheSame() throws Exception {
        stop();
        ApiKeyFilter.Builder filter = ApiKeyFilter.builder(apiKeys).problemTypeBase("https://docs.example.com/errors#");
        SeedApi.ROUTES.forEach(filter::route);
        port = start(filter.build());

        RawHttp.Response missing = get("/api/v1/events");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body()).contains("\"type\":\"https://docs.example.com/errors#missing_api_key\"")
                .contains("\"code\":\"missing_api_key\"");
        RawHttp.Response unknown = get("/api/v1/nothing-here", "X-Api-Key: " + key);
        assertThat(unknown.body()).contains("\"type\":\"https://docs.example.com/errors#not_found\"");
        RawHttp.Response wrongMethod = RawHttp.send(port, "DELETE", "/api/v1/events", List.of("X-Api-Key: " + key));
        assertThat(wrongMethod.body()).contains("\"type\":\"https://docs.example.com/errors#method_not_allowed\"");
        RawHttp.Response inUrl = get("/api/v1/events?api_key=" + key);
        assertThat(inUrl.body()).contains("\"type\":\"https://docs.example.com/errors#api_key_in_url\"");
    }

    /** A made-up key of tenant 92: a random key id and secret with a valid checksum, as anyone can write one. */
    static String madeUpKey() {
        StringBuilder body = new StringBuilder("wlcro_92_");
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (int i = 0; i < KeyFormat.KEY_ID_LENGTH + KeyFormat.SECRET_LENGTH; i++) {
            body.append(alphabet.charAt(random.nextInt(62)));
        }
        return body + KeyFormat.checksum(body);
    }

    @Test
    void aFloodOfMadeUpKeyIdsCostsBoundedStoreQueriesAndLeavesOtherNetworksAlone() throws Exception {
        // The default allowance: 60 look-ups of unknown ids per network per minute (the test's clock stands still).
        int before = storeFinds.get();
        int unknown = 0;
        int throttled = 0;
        for (int i = 0; i < 150; i++) {
            RawHttp.Response r = get("/api/v1/events", "X-Api-Key: " + madeUpKey());
            if (r.status() == 401) {
                assertProblem(r, Failure.INVALID_API_KEY);
                unknown++;
            } else {
                assertProblem(r, Failure.TOO_MANY_FAILED_ATTEMPTS);
                assertThat(Integer.parseInt(r.header("Retry-After"))).isBetween(1, 60);
                throttled++;
            }
        }
        assertThat(unknown).isEqualTo(60);
        assertThat(throttled).isEqualTo(90);
        assertThat(storeFinds.get() - before).isEqualTo(60);

        // A real key nobody has used yet, from another network: its first load goes ahead.
        String fresh = create(KeySpec.builder("fresh").tenantId("92").scopes("events:read")).plaintext();
        RawHttp.Response r = RawHttp.sendFrom("127.0.1.1", port, "GET", "/api/v1/events",
                List.of("X-Api-Key: " + fresh));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        // The flooding network's own made-up ids still cost nothing.
        assertProblem(get("/api/v1/events", "X-Api-Key: " + madeUpKey()), Failure.TOO_MANY_FAILED_ATTEMPTS);
        assertThat(storeFinds.get() - before).isEqualTo(61);
    }

    @Test
    void aValidKeyInEitherHeaderReachesTheApiAsThePrincipal() throws IOException {
        String id = apiKeys.listAll().get(0).keyId();
        for (String header : new String[] {"X-Api-Key: " + key, "x-api-key: " + key, "Authorization: Bearer " + key}) {
            RawHttp.Response r = get("/api/v1/events", header);
            assertThat(r.status()).as(header).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok " + id + " true API_KEY " + id);
        }
        assertThat(get("/api/v1/events", "X-Api-Key: " + key, "Authorization: Bearer " + key).status()).isEqualTo(200);
    }

    @Test
    void everyFailureCodeOverHttp() throws Exception {
        assertProblem(get("/api/v1/events"), Failure.MISSING_API_KEY);
        assertThat(get("/api/v1/events").header("WWW-Authenticate")).doesNotContain("error=");
        assertProblem(get("/api/v1/events", "Authorization: Basic dXNlcjpwYXNz"), Failure.MALFORMED_REQUEST);
        assertProblem(get("/api/v1/events", "X-Api-Key: " + key, "X-Api-Key: " + key), Failure.MALFORMED_REQUEST);
        assertProblem(get("/api/v1/events", "X-Api-Key: " + key, "Authorization: Bearer wlcro_other"),
                Failure.MALFORMED_REQUEST);
        assertProblem(get("/api/v1/events", "X-Api-Key: wlcro_92_nonsense"), Failure.MALFORMED_API_KEY);
        RawHttp.Response invalid = get("/api/v1/events", "X-Api-Key: " + withSecret(key, "x".repeat(32)));
        assertProblem(invalid, Failure.INVALID_API_KEY);
        assertThat(invalid.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        RawHttp.Response underScoped = post("/api/v1/events/test", "X-Api-Key: " + key);
        assertProblem(underScoped, Failure.INSUFFICIENT_SCOPE);
        assertThat(underScoped.body()).contains("'admin'").contains("\"missing_scope\":\"admin\"");
        assertProblem(get("/api/v1/tenants/93/events", "X-Api-Key: " + key), Failure.TENANT_MISMATCH);
        assertThat(get("/api/v1/tenants/92/events", "X-Api-Key: " + key).status()).isEqualTo(200);

        String testKey;
        try (ApiKeys test = ApiKeys.builder().prefix("k_test").store(new InMemoryKeyStore()).scopes(SCOPES)
                .hasher(dev.apikey.hash.Sha256Hasher.create()).build()) {
            testKey = test.create(KeySpec.builder("t").scopes("events:read").build()).plaintext();
        }
        assertProblem(get("/api/v1/events", "X-Api-Key: " + testKey), Failure.WRONG_ENVIRONMENT);

        IssuedKey revoked = create(KeySpec.builder("r").tenantId("92").scopes("events:read"));
        apiKeys.revoke(revoked.info().keyId());
        assertProblem(get("/api/v1/events", "X-Api-Key: " + revoked.plaintext()), Failure.REVOKED_API_KEY);

        IssuedKey expiring = create(KeySpec.builder("e").scopes("events:read").expiresAt(now.plusSeconds(60)));
        now = now.plusSeconds(60);
        assertProblem(get("/api/v1/events", "X-Api-Key: " + expiring.plaintext()), Failure.EXPIRED_API_KEY);

        IssuedKey office = create(KeySpec.builder("o").scopes("events:read").allowedAddresses("203.0.113.0/24"));
        assertProblem(get("/api/v1/events", "X-Api-Key: " + office.plaintext()), Failure.IP_NOT_ALLOWED);

        IssuedKey limited = create(KeySpec.builder("l").scopes("events:read").rateLimit(RateLimit.perMinute(1))
                .rateLimit(RateLimit.perHour(100).named("hourly")));
        assertThat(get("/api/v1/events", "X-Api-Key: " + limited.plaintext()).status()).isEqualTo(200);
        RawHttp.Response tooMany = get("/api/v1/events", "X-Api-Key: " + limited.plaintext());
        assertProblem(tooMany, Failure.RATE_LIMITED);
        assertThat(tooMany.header("Retry-After")).isEqualTo("60");
        // The most constrained of the key's two rate limits answers, by name.
        assertThat(tooMany.header("RateLimit")).isEqualTo("\"per-minute\";r=0;t=60");
        assertThat(tooMany.header("RateLimit-Policy")).isEqualTo("\"per-minute\";q=1;w=60");

        IssuedKey cold = create(KeySpec.builder("c").scopes("events:read"));
        assertThat(get("/api/v1/events", "X-Api-Key: " + key).status()).isEqualTo(200);
        storeDown.set(true);
        RawHttp.Response down = get("/api/v1/events", "X-Api-Key: " + cold.plaintext());
        assertProblem(down, Failure.STORE_UNAVAILABLE);
        assertThat(down.header("Retry-After")).isEqualTo("5");
        assertThat(apiKeys.stats().loadFailures()).isEqualTo(1);
        assertThat(get("/api/v1/events", "X-Api-Key: " + key).status()).as("cached key, store down").isEqualTo(200);
        storeDown.set(false);
    }

    @Test
    void aHostPolicyFailureIsAnsweredLikeABuiltInOne() throws IOException {
        IssuedKey free = create(KeySpec.builder("free").scopes("events:read").metadata("plan", "free"));

        RawHttp.Response r = get("/api/v1/events", "X-Api-Key: " + free.plaintext());

        assertProblem(r, NO_API_ACCESS);
        assertThat(r.body()).contains("\"title\":\"Plan without API access\"")
                .contains("Upgrade your plan in Settings \\u003e Billing.");
        assertThat(get("/api/v1/events", "X-Api-Key: " + key).status()).isEqualTo(200);
    }

    @Test
    void overloadedWhenEveryHashSlotIsTaken() throws Exception {
        IssuedKey a = create(KeySpec.builder("a").scopes("events:read"));
        IssuedKey b = create(KeySpec.builder("b").scopes("events:read"));
        hashGate.set(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RawHttp.Response> first = pool.submit(() -> get("/api/v1/events", "X-Api-Key: " + a.plaintext()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hashGate.get() != 0) {
                assertThat(System.nanoTime()).as("the first request reached the hash check").isLessThan(deadline);
                Thread.onSpinWait();
            }
            RawHttp.Response busy = get("/api/v1/events", "X-Api-Key: " + b.plaintext());
            assertProblem(busy, Failure.OVERLOADED);
            assertThat(busy.header("Retry-After")).isEqualTo("1");
            assertThat(busy.body()).contains("\"retry_after\":1");
            assertThat(apiKeys.stats().bulkheadWaits()).isEqualTo(1);
            assertThat(apiKeys.stats().bulkheadRefusals()).isEqualTo(1);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void publicUnmatchedAndQueryKeyRequests() throws IOException {
        assertThat(get("/health").status()).isEqualTo(200);
        RawHttp.Response unknown = get("/api/v1/secret-admin-panel", "X-Api-Key: " + key);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"code\":\"not_found\"");
        assertThat(get("/api/v1/events", "X-Api-Key: " + key).status()).isEqualTo(200);
        RawHttp.Response wrongMethod = post("/api/v1/events", "X-Api-Key: " + key);
        assertThat(wrongMethod.status()).as("method is part of the rule").isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(wrongMethod.header("Content-Type")).startsWith("application/problem+json");
        assertThat(wrongMethod.body()).contains("\"code\":\"method_not_allowed\"");
        assertThat(RawHttp.send(port, "DELETE", "/api/v1/events", List.of()).status()).isEqualTo(405);
        assertThat(RawHttp.send(port, "HEAD", "/api/v1/events", List.of("X-Api-Key: " + key)).status())
                .as("HEAD follows its GET rule").isEqualTo(200);
        RawHttp.Response headAnonymous = RawHttp.send(port, "HEAD", "/api/v1/events", List.of());
        assertThat(headAnonymous.status()).isEqualTo(401);
        assertThat(headAnonymous.body()).isEmpty();
        RawHttp.Response inUrl = get("/api/v1/events?api_key=" + key);
        assertProblem(inUrl, Failure.API_KEY_IN_URL);
        assertThat(inUrl.body()).doesNotContain(key).contains("not accepted in the URL");
        assertProblem(get("/api/v1/events?X-API-KEY=" + key), Failure.API_KEY_IN_URL);
    }

    @Test
    void eachHeaderTakesItsOwnFormOnly() throws IOException {
        assertProblem(get("/api/v1/events", "Authorization: " + key), Failure.MALFORMED_REQUEST);
        assertThat(get("/api/v1/events", "Authorization: " + key).body()).contains("must be 'Bearer ")
                .doesNotContain(key);
        assertProblem(get("/api/v1/events", "X-Api-Key: Bearer " + key), Failure.MALFORMED_REQUEST);
        assertThat(get("/api/v1/events", "X-Api-Key: bearer " + key).body()).contains("without 'Bearer'");
        assertThat(get("/api/v1/events", "Authorization: bearer " + key).status()).as("scheme in any case").isEqualTo(200);
    }

    @Test
    void aKeyAnywhereInTheQueryIsRefusedWhateverItsNameOrEncoding() throws IOException {
        String encoded = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
        String doubly = key.replace("_", "%255F");
        for (String query : new String[] {"api%5Fkey=" + key, "token=" + key, "q=" + key, "q=" + doubly,
            "q=see+" + encoded + "+here", key, "a=1&b=" + key.replace("_", "%5F"), "q=a" + key, "q=" + key + "b",
            "q=_" + key, "q=" + key.substring(0, key.lastIndexOf('_')).toUpperCase(java.util.Locale.ROOT)
                    + key.substring(key.lastIndexOf('_'))}) {
            RawHttp.Response r = get("/api/v1/events?" + query, "X-Api-Key: " + key);
            assertProblem(r, Failure.API_KEY_IN_URL);
            assertThat(r.body()).doesNotContain(key);
        }
        assertThat(get("/api/v1/events?q=wlcro_notakey&page=2", "X-Api-Key: " + key).status()).isEqualTo(200);
        String lookAlike = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        assertThat(get("/api/v1/events?q=" + lookAlike, "X-Api-Key: " + key).status())
                .as("a bad checksum is not a key").isEqualTo(200);
    }

    @Test
    void whoAmIShowsTheCallingKeyWithoutItsSecret() throws IOException {
        RawHttp.Response r = get("/api/v1/whoami", "X-Api-Key: " + key);

        String hint = apiKeys.listAll().get(0).hint();
        assertThat(r.status()).isEqualTo(200);
        String id = apiKeys.listAll().get(0).keyId();
        assertThat(r.body()).isEqualTo("{\"key_id\":\"" + id + "\",\"hint\":\"" + hint + "\",\"tenant_id\":\"92\","
                + "\"name\":\"crm\",\"scopes\":[\"events:read\"],\"expires_at\":null}");
        assertThat(r.body()).doesNotContain(key.substring(key.length() - KeyFormat.SECRET_LENGTH - KeyFormat.CHECKSUM_LENGTH));
        assertProblem(get("/api/v1/whoami"), Failure.MISSING_API_KEY);
    }

    @Test
    void pathTricksNeverReachAProtectedRoute() throws IOException {
        List<String> targets = List.of("//api/v1/events", "/api//v1/events", "/api/v1/events;x=1", "/api/v1;x=1/events",
                "/api/v1/%65vents", "/api/v1/./events", "/api/v1/x/../events", "/api/v1/%2e%2e/v1/events",
                "/api/v1/x/%2e%2e/events", "/api%2fv1%2fevents", "/api/v1/events%20", "/api/v1/events%0a",
                "/api/v1/events%0d%0aX-Injected:%201", "/api/v1/events%00", "/API/v1/events", "/api/v1/events/",
                "/api/v1/events%3b", "/api/v1/events%252f", "/api/v1/%5cevents", "/api/v1/events/.",
                "/api/v1/events/..;/events", "/api/v1/events/test/..", "/./api/v1/events", "/api/v1/ev%ents",
                "/api/v1/%c%65vents");
        List<String> bypassed = new ArrayList<>();
        for (String target : targets) {
            RawHttp.Response anonymous = get(target);
            RawHttp.Response underScoped = post(target.replace("events", "events/test"), "X-Api-Key: " + key);
            if (anonymous.status() == 200 || anonymous.body().startsWith("ok ")) {
                bypassed.add("GET " + target + " -> " + anonymous.status());
            }
            if (underScoped.status() == 200 || underScoped.body().startsWith("ok ")) {
                bypassed.add("POST " + target + " -> " + underScoped.status());
            }
            assertThat(anonymous.headers().keySet()).doesNotContain("x-injected");
        }
        assertThat(bypassed).isEmpty();
        // Containers refuse some of these themselves; every one that reaches the filter gets its own code.
        int reachedTheFilter = 0;
        for (String target : targets) {
            RawHttp.Response r = get(target, "X-Api-Key: " + key);
            if (String.valueOf(r.header("Content-Type")).startsWith("application/problem+json") && r.status() == 400) {
                assertProblem(r, Failure.NON_CANONICAL_PATH);
                reachedTheFilter++;
            }
        }
        assertThat(reachedTheFilter).as("path tricks refused by the filter").isGreaterThan(0);
    }

    @Test
    void aForwardToAProtectedRouteIsCheckedToo() throws IOException {
        assertProblem(get("/public/forward"), Failure.MISSING_API_KEY);
        assertThat(get("/public/forward", "X-Api-Key: " + key).status()).isEqualTo(200);
    }

    @Test
    void anErrorDispatchToAProtectedRouteIsCheckedToo() throws IOException {
        RawHttp.Response anonymous = get("/public/fail");
        assertThat(anonymous.body()).doesNotStartWith("ok ");
        assertThat(anonymous.body()).contains("missing_api_key");
        assertThat(get("/public/fail", "X-Api-Key: " + key).body()).startsWith("ok ");
    }

    @Test
    void anAsyncDispatchToAProtectedRouteIsCheckedToo() throws IOException {
        assertProblem(get("/public/async"), Failure.MISSING_API_KEY);
        assertThat(get("/public/async", "X-Api-Key: " + key).status()).isEqualTo(200);
    }

    static String withSecret(String plaintext, String secret) {
        int token = plaintext.length() - KeyFormat.TOKEN_LENGTH;
        String body = plaintext.substring(0, token + KeyFormat.KEY_ID_LENGTH) + secret;
        return body + KeyFormat.checksum(body);
    }
}
