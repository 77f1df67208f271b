package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API over real HTTP, the same suite in every container: every operation, every refusal changing
 * nothing, tenant isolation, the cross-origin and content-type rules, the plaintext only in create and rotate.
 */
abstract class AdminApiContract {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events")
            .scope("webhooks:write", "Manage webhooks").scope("keys:manage", "Manage this tenant's API keys").build();
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Starts the container with {@code api} at {@code /admin/api-keys/*} behind {@code auth} (a stand-in for the
     * host's login: it turns an {@code X-Test-User} header into an authenticated user in role {@code admin});
     * returns its port.
     */
    abstract int start(AdminApi api, Filter auth) throws Exception;

    abstract void stop() throws Exception;

    final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(SCOPES)
            .hasher(Sha256Hasher.create()).build();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<String> plaintexts = new ArrayList<>();
    String base;

    @AfterEach
    void stopServer() throws Exception {
        stop();
        apiKeys.close();
    }

    void startWith(CallerResolver callers) throws Exception {
        startWith(callers, b -> b);
    }

    int port() {
        return URI.create(base).getPort();
    }

    void startWith(CallerResolver callers, java.util.function.UnaryOperator<AdminApi.Builder> configure)
            throws Exception {
        AdminApi.Builder b = AdminApi.builder(apiKeys);
        if (callers != null) {
            b.callers(callers);
        }
        configure.apply(b);
        base = "http://127.0.0.1:" + start(b.build(), (req, resp, chain) -> {
            String user = ((HttpServletRequest) req).getHeader("X-Test-User");
            chain.doFilter(user == null ? req : new HttpServletRequestWrapper((HttpServletRequest) req) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return role.equals("admin");
                }
            }, resp);
        }) + "/admin/api-keys";
    }

    void startWithBothResolvers() throws Exception {
        startWithBothResolvers(b -> b);
    }

    void startWithBothResolvers(java.util.function.UnaryOperator<AdminApi.Builder> configure) throws Exception {
        CallerResolver keys = CallerResolver.apiKeyWithScope(apiKeys, "keys:manage");
        CallerResolver users = CallerResolver.containerUserInRole("admin");
        startWith(request -> {
            Optional<Caller> user = users.resolve(request);
            return user.isPresent() ? user : keys.resolve(request);
        }, configure);
    }

    String issue(String tenant, String... scopes) {
        KeySpec.Builder spec = KeySpec.builder("k").scopes(scopes);
        if (tenant != null) {
            spec.tenantId(tenant);
        }
        String plaintext = apiKeys.create(spec.build()).plaintext();
        plaintexts.add(plaintext);
        return plaintext;
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String text(String field) {
            return body.path(field).asText(null);
        }
    }

    Answer send(String method, String path, String credential, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Cache-Control")).as(method + " " + path).contains("no-store");
        OpenApiCheck.PUBLISHED.check(method, path, r);
        boolean json = r.headers().firstValue("Content-Type").orElse("").contains("json");
        JsonNode node = r.body().isEmpty() || !json ? JSON.createObjectNode() : JSON.readTree(r.body());
        if (r.statusCode() >= 400) {
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(node.path("status").asInt()).isEqualTo(r.statusCode());
        }
        return new Answer(r.statusCode(), node, r);
    }

    Answer get(String path, String credential) throws Exception {
        return send("GET", path, credential, null, null);
    }

    Answer post(String path, String credential, String json) throws Exception {
        return send("POST", path, credential, "application/json", json);
    }

    /**
     * A list without its last-use times: the admin's own key is used by every call (noted at most once a second), and
     * a use changes no key.
     */
    static String withoutUses(String body) {
        return body.replaceAll("\"last_used_at\":(\"[^\"]*\"|null)", "\"last_used_at\":\"-\"");
    }

    /** A response that is neither the create nor the rotate answer holds no plaintext this test saw. */
    void holdsNoPlaintext(Answer answer) {
        for (String p : plaintexts) {
            assertThat(answer.raw().body()).doesNotContain(p).doesNotContain(p.substring(p.length() - 38));
        }
    }

    @Test
    void withoutACallerResolverEveryCallIsRefused() throws Exception {
        startWith(null);
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");

        Answer list = get("/keys", admin);
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.text("code")).isEqualTo("no_caller_resolver");
        assertThat(post("/keys", admin, "{\"name\":\"x\",\"scopes\":[\"events:read\"],\"tenant_id\":\"92\"}").status())
                .isEqualTo(403);
        assertThat(apiKeys.listAll()).hasSize(1);
    }

    @Test
    void aTenantAdminRunsTheRotationSequenceOnItsOwnKeys() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");

        Answer catalog = get("/scopes", admin);
        assertThat(catalog.status()).isEqualTo(200);
        assertThat(catalog.body().path("scopes").findValuesAsText("name")).contains("events:read", "keys:manage");

        Answer created = post("/keys", admin, "{\"name\":\"crm-sync\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"],"
                + "\"environment\":\"prod\",\"rate_limit\":{\"requests\":600,\"period_seconds\":60}}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String key = created.text("api_key");
        plaintexts.add(key);
        String id = created.body().path("key").path("key_id").asText();
        assertThat(created.body().path("key").path("status").asText()).isEqualTo("active");
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();

        Answer shown = get("/keys/" + id, admin);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.text("name")).isEqualTo("crm-sync");
        holdsNoPlaintext(shown);
        Answer listed = get("/keys?environment=prod", admin);
        assertThat(listed.body().path("keys").findValuesAsText("key_id")).containsExactly(id);
        holdsNoPlaintext(listed);

        Answer edited = send("PATCH", "/keys/" + id, admin, "application/json",
                "{\"name\":\"crm-sync-v2\",\"scopes\":[\"events:read\",\"webhooks:write\"],\"rate_limit\":null}");
        assertThat(edited.status()).as(edited.raw().body()).isEqualTo(200);
        assertThat(edited.text("name")).isEqualTo("crm-sync-v2");
        assertThat(edited.body().path("rate_limit").isNull()).isTrue();
        assertThat(apiKeys.verify(key, "webhooks:write").isGranted()).isTrue();
        holdsNoPlaintext(edited);

        Answer rotated = post("/keys/" + id + "/rotate", admin, "{\"overlap_seconds\":3600}");
        assertThat(rotated.status()).as(rotated.raw().body()).isEqualTo(201);
        String fresh = rotated.text("api_key");
        plaintexts.add(fresh);
        assertThat(rotated.text("replaces")).isEqualTo(id);
        assertThat(apiKeys.verify(fresh, "webhooks:write").isGranted()).isTrue();
        assertThat(apiKeys.verify(key, "webhooks:write").isGranted()).as("the old key in its overlap").isTrue();

        Answer disabled = post("/keys/" + id + "/disable", admin, null);
        assertThat(disabled.status()).as(disabled.raw().body()).isEqualTo(200);
        assertThat(disabled.text("status")).isEqualTo("disabled");
        assertThat(apiKeys.verify(key, "webhooks:write").failure()).contains(Failure.DISABLED_API_KEY);
        assertThat(get("/keys?status=disabled", admin).body().path("keys").findValuesAsText("key_id"))
                .containsExactly(id);
        Answer enabled = post("/keys/" + id + "/enable", admin, "{}");
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.text("status")).isEqualTo("expiring");
        assertThat(apiKeys.verify(key, "webhooks:write").isGranted()).isTrue();

        Answer revoked = post("/keys/" + id + "/revoke", admin, null);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.text("status")).isEqualTo("revoked");
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isFalse();
        assertThat(apiKeys.verify(fresh, "events:read").isGranted()).isTrue();
        holdsNoPlaintext(revoked);
        holdsNoPlaintext(get("/keys", admin));
    }

    @Test
    void anotherTenantsKeysDoNotExistForATenantAdmin() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        String other = issue("93", "events:read");
        String otherId = apiKeys.keyFormat().parse(other).orElseThrow().keyId();

        assertThat(get("/keys/" + otherId, admin).status()).isEqualTo(404);
        assertThat(send("PATCH", "/keys/" + otherId, admin, "application/json", "{\"name\":\"mine\"}").status())
                .isEqualTo(404);
        assertThat(post("/keys/" + otherId + "/rotate", admin, "{}").status()).isEqualTo(404);
        assertThat(post("/keys/" + otherId + "/revoke", admin, "{}").status()).isEqualTo(404);
        assertThat(post("/keys/" + otherId + "/disable", admin, "{}").status()).isEqualTo(404);
        assertThat(get("/keys", admin).body().path("keys").findValuesAsText("tenant_id")).containsOnly("92");
        assertThat(get("/keys?tenant=93", admin).body().path("keys")).isEmpty();
        Answer create = post("/keys", admin, "{\"name\":\"x\",\"tenant_id\":\"93\",\"scopes\":[\"events:read\"]}");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.text("code")).isEqualTo("tenant_not_managed");

        assertThat(apiKeys.verify(other, "events:read").isGranted()).as("untouched").isTrue();
        assertThat(apiKeys.listAll()).hasSize(2);
        // A user the container authenticated in the role manages every tenant.
        Answer asUser = send("GET", "/keys/" + otherId, null, null, null, "X-Test-User", "alice");
        assertThat(asUser.status()).isEqualTo(200);
    }

    @Test
    void badRequestsGetAPreciseProblemAndChangeNothing() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        String id = apiKeys.keyFormat().parse(admin).orElseThrow().keyId();
        String before = withoutUses(get("/keys", admin).raw().body());

        Answer unknownScope = post("/keys", admin, "{\"name\":\"x\",\"tenant_id\":\"92\",\"scopes\":[\"events:raed\"]}");
        assertThat(unknownScope.status()).isEqualTo(422);
        assertThat(unknownScope.text("detail")).contains("did you mean 'events:read'");
        Answer malformed = post("/keys", admin, "{\"name\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.text("detail")).startsWith("the body is not valid JSON (line 1, column");
        assertThat(send("POST", "/keys", admin, "text/plain", "{}").status()).isEqualTo(415);
        assertThat(send("POST", "/keys", admin, null, "{}").status()).isEqualTo(415);
        Answer big = post("/keys", admin, "{\"name\":\"" + "x".repeat(AdminApi.MAX_BODY_BYTES) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(get("/keys/ZZZZZZZZ", admin).status()).isEqualTo(404);
        assertThat(get("/keys/not-a-key-id", admin).status()).isEqualTo(404);
        Answer expiry = post("/keys", admin, "{\"name\":\"x\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"],"
                + "\"expires_at\":\"yesterday\"}");
        assertThat(expiry.status()).isEqualTo(422);
        assertThat(expiry.text("detail")).startsWith("expires_at must be a date");
        Answer past = send("PATCH", "/keys/" + id, admin, "application/json", "{\"expires_at\":\"2001-01-01\"}");
        assertThat(past.status()).isEqualTo(422);
        assertThat(past.text("detail")).startsWith("expires_at must be in the future");
        Answer overlap = post("/keys/" + id + "/rotate", admin, "{\"overlap_seconds\":-1}");
        assertThat(overlap.status()).isEqualTo(422);
        assertThat(overlap.text("detail")).startsWith("overlap_seconds must be a whole number from 0 to");
        Answer cidr = send("PATCH", "/keys/" + id, admin, "application/json", "{\"allowed_addresses\":[\"10.0.0.1/33\"]}");
        assertThat(cidr.status()).isEqualTo(422);
        assertThat(cidr.text("detail")).contains("prefix must be 0 to 32");
        Answer unknownField = send("PATCH", "/keys/" + id, admin, "application/json", "{\"secret\":\"x\"}");
        assertThat(unknownField.status()).isEqualTo(422);
        assertThat(unknownField.text("detail")).startsWith("unknown field 'secret'");
        Answer wrongType = post("/keys", admin, "{\"name\":7,\"scopes\":[\"events:read\"]}");
        assertThat(wrongType.status()).isEqualTo(422);
        assertThat(wrongType.text("detail")).isEqualTo("name must be a string");
        Answer method = send("DELETE", "/keys/" + id, admin, null, null);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.raw().headers().firstValue("Allow")).contains("GET, PATCH");
        Answer crossOrigin = send("POST", "/keys/" + id + "/revoke", admin, "application/json", "{}",
                "Origin", "https://evil.example");
        assertThat(crossOrigin.status()).isEqualTo(403);
        assertThat(crossOrigin.text("code")).isEqualTo("cross_origin");
        assertThat(get("/keys?status=sleeping", admin).status()).isEqualTo(422);
        assertThat(get("/keys?limit=0", admin).status()).isEqualTo(422);
        Answer twice = get("/keys?status=active&status=revoked", admin);
        assertThat(twice.status()).isEqualTo(422);
        assertThat(twice.text("detail")).isEqualTo("status was given 2 times; give it once");
        Answer unknownParameter = get("/keys?stauts=active", admin);
        assertThat(unknownParameter.status()).isEqualTo(422);
        assertThat(unknownParameter.text("detail")).startsWith("unknown parameter 'stauts'; GET /keys takes cursor");
        Answer switchWithFields = post("/keys/" + id + "/revoke", admin, "{\"x\":1}");
        assertThat(switchWithFields.status()).isEqualTo(422);
        assertThat(switchWithFields.text("detail")).isEqualTo("revoke takes no fields; send {} or no body");

        assertThat(withoutUses(get("/keys", admin).raw().body())).isEqualTo(before);
        assertThat(apiKeys.verify(admin, "keys:manage").isGranted()).isTrue();
    }

    @Test
    void aHostsProblemTypeBaseNamesEveryAdminProblemAndABadBaseIsRefused() throws Exception {
        startWithBothResolvers(b -> b.problemTypeBase("https://docs.example.com/admin-errors/"));
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        Answer missing = get("/keys/ZZZZZZZZ", admin);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text("type")).isEqualTo("https://docs.example.com/admin-errors/key_not_found");
        assertThat(missing.text("code")).isEqualTo("key_not_found");
        Answer invalid = get("/keys?limit=0", admin);
        assertThat(invalid.text("type")).isEqualTo("https://docs.example.com/admin-errors/invalid_field");
        Answer deep = post("/keys", admin, "[".repeat(5000));
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.text("type")).startsWith("https://docs.example.com/admin-errors/");
        for (String bad : new String[] {"", "docs/errors/", "https://x.example/e rr/", "https://x.example/<e>/",
                "https://x.example/errors"}) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().as(bad)
                    .isThrownBy(() -> AdminApi.builder(apiKeys).problemTypeBase(bad))
                    .withMessageStartingWith("problem type base must be an absolute URI");
        }
    }

    @Test
    void farFutureDatesNumbersPastALongAndPastedKeysGet422AndChangeNothing() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        String before = withoutUses(get("/keys", admin).raw().body());
        String create = "{\"name\":\"x\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"],";

        Answer farExpiry = post("/keys", admin, create + "\"expires_at\":\"+999999999-12-31T23:59:59Z\"}");
        assertThat(farExpiry.status()).as(farExpiry.raw().body()).isEqualTo(422);
        assertThat(farExpiry.text("detail")).startsWith("expires_at must be between").contains("year 9999 at most");
        Answer farRotateBy = post("/keys", admin, create + "\"rotate_by\":\"+10000-01-01T00:00:00Z\"}");
        assertThat(farRotateBy.status()).isEqualTo(422);
        assertThat(farRotateBy.text("detail")).startsWith("rotate_by must be between");
        // 2^64 + 1: read as a long it would wrap to 1.
        Answer quota = post("/keys", admin, create + "\"quota\":{\"calls\":18446744073709551617,\"period\":\"day\"}}");
        assertThat(quota.status()).isEqualTo(422);
        assertThat(quota.text("detail")).isEqualTo("quota needs calls of 1 to 1000000000000");
        Answer limit = post("/keys", admin, create
                + "\"rate_limit\":{\"requests\":18446744073709551617,\"period_seconds\":60}}");
        assertThat(limit.status()).isEqualTo(422);
        assertThat(limit.text("detail")).startsWith("rate_limit needs requests of 1 to 1000000000");
        Answer period = post("/keys", admin, create
                + "\"rate_limit\":{\"requests\":10,\"period_seconds\":18446744073709551676}}");
        assertThat(period.status()).isEqualTo(422);

        Answer pasted = post("/keys", admin, "{\"name\":\"crm " + admin + "\",\"tenant_id\":\"92\","
                + "\"scopes\":[\"events:read\"]}");
        assertThat(pasted.status()).isEqualTo(422);
        assertThat(pasted.text("detail")).startsWith("name must not hold an API key");
        assertThat(pasted.raw().body()).doesNotContain(admin);
        Answer owner = post("/keys", admin, create + "\"owner\":\"" + admin + "\"}");
        assertThat(owner.status()).isEqualTo(422);
        assertThat(owner.raw().body()).doesNotContain(admin);
        Answer metadata = post("/keys", admin, create + "\"metadata\":{\"note\":\"" + admin + "\"}}");
        assertThat(metadata.status()).isEqualTo(422);
        assertThat(metadata.raw().body()).doesNotContain(admin);

        assertThat(withoutUses(get("/keys", admin).raw().body())).isEqualTo(before);
    }

    @Test
    void callersWithoutAUsableCredentialAreUnauthenticated() throws Exception {
        startWithBothResolvers();
        String reader = issue("92", "events:read");

        assertThat(get("/keys", null).status()).isEqualTo(401);
        assertThat(get("/keys", reader).status()).as("a key without the management scope").isEqualTo(401);
        assertThat(get("/keys", "wlcro_92_garbage").status()).isEqualTo(401);
    }

    @Test
    void aManagersKeyIsReadFromItsHeadersAsTheFilterReadsThem() throws Exception {
        startWith(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage"));
        String manager = issue("92", "keys:manage");
        String reader = issue("92", "events:read");

        assertThat(send("GET", "/keys", null, null, null, "X-Api-Key", manager).status()).isEqualTo(200);
        assertThat(send("GET", "/keys", manager, null, null, "X-Api-Key", manager).status())
                .as("the same key in both headers").isEqualTo(200);
        // Each of these was answered as the manager's key (the first Authorization, or the first X-Api-Key, won):
        // a proxy that adds or appends one of the headers would have the API act as another key than it checked.
        Answer twoKeys = send("GET", "/keys", manager, null, null, "X-Api-Key", reader);
        Answer twoApiKeys = send("GET", "/keys", null, null, null, "X-Api-Key", manager, "X-Api-Key", reader);
        Answer twoAuthorizations = send("GET", "/keys", manager, null, null, "Authorization", "Bearer " + reader);
        Answer basic = send("GET", "/keys", null, null, null, "Authorization", "Basic " + manager);
        for (Answer a : List.of(twoKeys, twoApiKeys, twoAuthorizations, basic)) {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.text("code")).isEqualTo("malformed_request");
        }
        assertThat(twoKeys.text("detail")).contains("both X-Api-Key and Authorization with different values");
        assertThat(twoApiKeys.text("detail")).contains("X-Api-Key header appears more than once");
        assertThat(twoAuthorizations.text("detail")).contains("Authorization header appears more than once");
        assertThat(basic.text("detail")).contains("must be 'Bearer <key>'");
        assertThat(plaintexts).allSatisfy(key -> assertThat(twoKeys.raw().body()).doesNotContain(key));
    }

    @Test
    void aManagersKeyOverItsRateLimitIsAnswered429WithRetryAfterNotUnauthenticated() throws Exception {
        startWith(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage"));
        String manager = apiKeys.create(KeySpec.builder("limited").tenantId("92").scopes("keys:manage")
                .rateLimit(dev.apikey.model.RateLimit.perMinute(2)).build()).plaintext();
        plaintexts.add(manager);

        assertThat(get("/keys", manager).status()).isEqualTo(200);
        assertThat(get("/keys", manager).status()).isEqualTo(200);
        Answer limited = get("/keys", manager);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.text("code")).isEqualTo("rate_limited");
        assertThat(limited.raw().headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
    }

    @Test
    void aManagersKeyIsJudgedFromTheAddressTheHostFindsBehindItsProxies() throws Exception {
        String manager = apiKeys.create(KeySpec.builder("office").tenantId("92").scopes("keys:manage")
                .allowedAddresses("203.0.113.7/32").build()).plaintext();
        plaintexts.add(manager);
        // The host's client address: here a header the test sets; a host behind proxies passes its filter's
        // ClientAddress.behindProxies(...)::of, which reads X-Forwarded-For from its trusted proxies only.
        startWith(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage", r -> r.getHeader("X-Test-Client")));

        assertThat(send("GET", "/keys", manager, null, null, "X-Test-Client", "203.0.113.7").status()).isEqualTo(200);
        assertThat(send("GET", "/keys", manager, null, null, "X-Test-Client", "198.51.100.9").status())
                .as("another client behind the same proxy").isEqualTo(401);
        stop();
        startWith(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage"));
        assertThat(send("GET", "/keys", manager, null, null, "X-Test-Client", "203.0.113.7").status())
                .as("without it, the connection's address (the proxy's, here 127.0.0.1)").isEqualTo(401);
    }

    @Test
    void listFiltersNarrowTheKeys() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        apiKeys.create(KeySpec.builder("overdue").tenantId("92").scopes("events:read").owner("team-crm")
                .rotateBy(java.time.Instant.now().minus(Duration.ofDays(1))).build());
        String revoked = apiKeys.create(KeySpec.builder("gone").tenantId("92").scopes("events:read").build())
                .info().keyId();
        apiKeys.revoke(revoked);

        assertThat(get("/keys?rotate_by_passed=true", admin).body().path("keys").findValuesAsText("name"))
                .containsExactly("overdue");
        assertThat(get("/keys?owner=team-crm", admin).body().path("keys").findValuesAsText("name"))
                .containsExactly("overdue");
        assertThat(get("/keys?status=revoked", admin).body().path("keys").findValuesAsText("key_id"))
                .containsExactly(revoked);
        assertThat(get("/keys?name=OVER", admin).body().path("keys").findValuesAsText("name"))
                .as("name contains, in any case").containsExactly("overdue");
        apiKeys.create(KeySpec.builder("soon").tenantId("92").scopes("events:read")
                .expiresAt(java.time.Instant.now().plus(Duration.ofDays(2))).build());
        assertThat(get("/keys?expiring_within_days=7", admin).body().path("keys").findValuesAsText("name"))
                .containsExactlyInAnyOrder("overdue", "soon");
        assertThat(get("/keys?expiring_within_days=0", admin).text("detail"))
                .isEqualTo("expiring_within_days must be 1 to 3650");
        assertThat(get("/keys?unused_since=2000-01-01", admin).status()).isEqualTo(200);
        Answer badDate = get("/keys?unused_since=last-week", admin);
        assertThat(badDate.status()).isEqualTo(422);
        assertThat(badDate.text("detail")).startsWith("unused_since must be a date");
    }

    @Test
    void aQuotaIsSetEditedAndRemovedThroughTheApi() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        Answer created = post("/keys", admin, "{\"name\":\"metered\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"],"
                + "\"quota\":{\"calls\":1000,\"period\":\"day\"}}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        plaintexts.add(created.text("api_key"));
        JsonNode key = created.body().path("key");
        assertThat(key.path("quota").path("calls").asLong()).isEqualTo(1000);
        assertThat(key.path("quota_remaining").asLong()).isEqualTo(1000);
        String id = key.path("key_id").asText();

        Answer monthly = send("PATCH", "/keys/" + id, admin, "application/json",
                "{\"quota\":{\"calls\":5,\"period\":\"month\"}}");
        assertThat(monthly.body().path("quota").path("period").asText()).isEqualTo("month");
        Answer none = send("PATCH", "/keys/" + id, admin, "application/json", "{\"quota\":null}");
        assertThat(none.body().path("quota").isNull()).isTrue();
        Answer bad = send("PATCH", "/keys/" + id, admin, "application/json",
                "{\"quota\":{\"calls\":5,\"period\":\"week\"}}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.text("detail")).startsWith("quota must be {\"calls\": n, \"period\": \"day\" or \"month\"}");
    }

    @Test
    void aTenantsSharedAllowancesAreSetByAnOperatorReadByItsAdminAndCountedForAllItsKeys() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        String other = issue("93", "keys:manage", "events:read", "webhooks:write");
        String[] operator = {"X-Test-User", "alice"};

        Answer none = get("/tenants/92", admin);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body().path("allowances").size()).isZero();
        assertThat(none.body().path("version").isNull()).isTrue();

        Answer byTenantAdmin = send("PUT", "/tenants/92", admin, "application/json",
                "{\"allowances\":[{\"name\":\"plan\",\"kind\":\"quota\",\"limit\":1000,\"period\":\"month\"}]}");
        assertThat(byTenantAdmin.status()).as("a tenant's admin does not set its own plan").isEqualTo(403);
        assertThat(byTenantAdmin.text("code")).isEqualTo("tenant_not_managed");
        assertThat(get("/tenants/92", other).status()).as("another tenant's admin sees nothing").isEqualTo(404);

        Answer set = send("PUT", "/tenants/92", null, "application/json",
                "{\"allowances\":[{\"name\":\"plan\",\"kind\":\"quota\",\"limit\":3,\"period\":\"month\"}]}",
                operator);
        assertThat(set.status()).as(set.raw().body()).isEqualTo(200);
        assertThat(set.body().path("version").asLong()).isEqualTo(1);
        // The tenant admin's own key is a key of tenant 92: this call is the plan's first of 3.
        assertThat(get("/tenants/92", admin).body().path("allowances").get(0).path("limit").asLong()).isEqualTo(3);
        String first = issue("92", "events:read");
        String second = issue("92", "events:read");
        assertThat(apiKeys.verify(first, "events:read").isGranted()).isTrue();
        assertThat(apiKeys.verify(second, "events:read").isGranted()).isTrue();
        assertThat(apiKeys.verify(first, "events:read").failure()).as("the plan is shared by the tenant's keys")
                .contains(dev.apikey.model.Failure.QUOTA_EXCEEDED);

        Answer bad = send("PUT", "/tenants/92", null, "application/json",
                "{\"allowances\":[{\"kind\":\"quota\",\"limit\":2,\"period\":\"week\"}]}", operator);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.text("field")).isEqualTo("allowances");
        Answer unknown = send("PUT", "/tenants/92", null, "application/json", "{\"plan\":\"gold\"}", operator);
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(send("GET", "/tenants/92", null, null, null, operator).body().path("version").asLong())
                .as("nothing written").isEqualTo(1);
        Answer pastPlan = get("/tenants/92", admin);
        assertThat(pastPlan.status()).as("the admin's own key is past the plan too: refused as the filter refuses it")
                .isEqualTo(429);
        assertThat(pastPlan.text("code")).isEqualTo("quota_exceeded");
        assertThat(pastPlan.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(send("DELETE", "/tenants/92", null, null, null, operator).status()).isEqualTo(405);
    }

    @Test
    void aTenantIsSuspendedResumedAndGivenAPlanAndCapOnlyByACallerThatManagesEveryTenant() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        String key = issue("92", "events:read", "webhooks:write");
        String[] operator = {"X-Test-User", "alice"};

        Answer none = get("/tenants/92", admin);
        assertThat(none.body().path("status").asText()).isEqualTo("active");
        assertThat(none.body().path("plan_scopes").size()).isZero();
        assertThat(none.body().path("max_live_keys").isNull()).isTrue();
        Answer byTenantAdmin = post("/tenants/92/suspend", admin, "{}");
        assertThat(byTenantAdmin.status()).as("a tenant's admin does not suspend its own tenant").isEqualTo(403);
        assertThat(byTenantAdmin.text("code")).isEqualTo("tenant_not_managed");
        assertThat(send("POST", "/tenants/92/resume", admin, "application/json", "{}").status()).isEqualTo(403);

        Answer suspended = send("POST", "/tenants/92/suspend", null, "application/json", "{}", operator);
        assertThat(suspended.status()).as(suspended.raw().body()).isEqualTo(200);
        assertThat(suspended.body().path("status").asText()).isEqualTo("suspended");
        assertThat(apiKeys.verify(key, "events:read").failure()).contains(dev.apikey.model.Failure.TENANT_SUSPENDED);
        assertThat(get("/tenants/92", admin).status()).as("the tenant admin's own key is refused too")
                .isEqualTo(401);
        Answer resumed = send("POST", "/tenants/92/resume", null, "application/json", null, operator);
        assertThat(resumed.body().path("status").asText()).isEqualTo("active");
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();

        Answer planned = send("PUT", "/tenants/92", null, "application/json",
                "{\"plan_scopes\":[\"events:read\",\"keys:manage\"],\"max_live_keys\":5}", operator);
        assertThat(planned.status()).as(planned.raw().body()).isEqualTo(200);
        assertThat(planned.body().path("plan_scopes").toString()).isEqualTo("[\"events:read\",\"keys:manage\"]");
        assertThat(planned.body().path("max_live_keys").asInt()).isEqualTo(5);
        assertThat(apiKeys.verify(key, "webhooks:write").failure()).as("a scope taken out of the plan")
                .contains(dev.apikey.model.Failure.SCOPE_NOT_IN_PLAN);
        // By the operator: the tenant admin's own key no longer holds webhooks:write to grant it.
        Answer outside = send("POST", "/keys", null, "application/json", "{\"name\":\"x\",\"tenant_id\":\"92\","
                + "\"scopes\":[\"events:read\",\"webhooks:write\"]}", operator);
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.text("code")).isEqualTo("scope_not_in_plan");
        assertThat(outside.body().path("scopes").toString()).isEqualTo("[\"webhooks:write\"]");

        Answer badStatus = send("PUT", "/tenants/92", null, "application/json", "{\"status\":\"gone\"}", operator);
        assertThat(badStatus.status()).isEqualTo(422);
        assertThat(badStatus.text("field")).isEqualTo("status");
        Answer badCap = send("PUT", "/tenants/92", null, "application/json",
                "{\"max_live_keys\":0,\"status\":\"suspended\"}", operator);
        assertThat(badCap.status()).isEqualTo(422);
        assertThat(badCap.text("field")).isEqualTo("max_live_keys");
        Answer undeclared = send("PUT", "/tenants/92", null, "application/json",
                "{\"plan_scopes\":[\"nope:read\"],\"status\":\"suspended\"}", operator);
        assertThat(undeclared.status()).isEqualTo(422);
        assertThat(undeclared.text("detail")).contains("plan_scopes").contains("nope:read");
        Answer after = send("GET", "/tenants/92", null, null, null, operator);
        assertThat(after.body().path("version").asLong()).as("nothing written by the bad bodies").isEqualTo(3);
        assertThat(after.body().path("status").asText()).isEqualTo("active");
        assertThat(send("POST", "/tenants/92/suspend", null, "application/json", "{\"why\":\"x\"}", operator)
                .status()).as("suspend takes no fields").isEqualTo(422);
        assertThat(send("GET", "/tenants/92/suspend", null, null, null, operator).status()).isEqualTo(405);
    }

    @Test
    void countriesAreSetOnKeysAndTenantsUpperCasedAndABadCodeNamesItsField() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read");
        String[] operator = {"X-Test-User", "alice"};

        Answer created = post("/keys", admin, "{\"name\":\"eu\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"],"
                + "\"allowed_countries\":[\"de\",\"FR\"]}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.body().path("key").path("allowed_countries").toString()).isEqualTo("[\"DE\",\"FR\"]");
        String id = created.body().path("key").path("key_id").asText();
        String plaintext = created.text("api_key");
        plaintexts.add(plaintext);
        assertThat(apiKeys.verify(dev.apikey.model.VerifyRequest.header(plaintext).country(() -> "US")).failure())
                .contains(dev.apikey.model.Failure.COUNTRY_NOT_ALLOWED);

        Answer bad = send("PATCH", "/keys/" + id, admin, "application/json", "{\"allowed_countries\":[\"EU\"]}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.text("field")).isEqualTo("allowed_countries");
        assertThat(bad.text("detail")).contains("ISO 3166-1 alpha-2");
        Answer cleared = send("PATCH", "/keys/" + id, admin, "application/json", "{\"allowed_countries\":[]}");
        assertThat(cleared.status()).as(cleared.raw().body()).isEqualTo(200);
        assertThat(get("/keys/" + id, admin).body().path("allowed_countries").size()).isZero();

        Answer byTenantAdmin = send("PUT", "/tenants/92", admin, "application/json", "{\"allowed_countries\":[\"DE\"]}");
        assertThat(byTenantAdmin.status()).as("a tenant's admin does not set its own countries").isEqualTo(403);
        Answer badTenant = send("PUT", "/tenants/92", null, "application/json",
                "{\"allowed_countries\":[\"DE\",\"Germany\"]}", operator);
        assertThat(badTenant.status()).isEqualTo(422);
        assertThat(badTenant.text("field")).isEqualTo("allowed_countries");
        assertThat(send("GET", "/tenants/92", null, null, null, operator).body().path("version").isNull())
                .as("nothing written").isTrue();
        Answer set = send("PUT", "/tenants/92", null, "application/json", "{\"allowed_countries\":[\"at\",\"DE\"]}",
                operator);
        assertThat(set.status()).as(set.raw().body()).isEqualTo(200);
        assertThat(set.body().path("allowed_countries").toString()).isEqualTo("[\"AT\",\"DE\"]");
        assertThat(apiKeys.verify(dev.apikey.model.VerifyRequest.header(plaintext).country(() -> "US")).failure())
                .as("the tenant's list now restricts the key").contains(dev.apikey.model.Failure.COUNTRY_NOT_ALLOWED);
        assertThat(apiKeys.verify(dev.apikey.model.VerifyRequest.header(plaintext).country(() -> "AT")).isGranted())
                .isTrue();
    }

    @Test
    void listsArePagedByCursor() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        for (int i = 0; i < 4; i++) {
            issue("92", "events:read");
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page = get("/keys?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertThat(page.status()).isEqualTo(200);
            seen.addAll(page.body().path("keys").findValuesAsText("key_id"));
            cursor = page.body().path("next_cursor").asText(null);
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void bodiesPastTheJsonLimitsGetA400ProblemAndChangeNothing() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        String id = apiKeys.keyFormat().parse(admin).orElseThrow().keyId();
        String key = "{\"name\":\"x\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"]";

        Answer arrays = post("/keys", admin, "[".repeat(5000));
        assertThat(arrays.status()).isEqualTo(400);
        assertThat(arrays.text("code")).isEqualTo("malformed_request");
        assertThat(arrays.text("detail")).startsWith("the body breaks a JSON limit: at most 16 levels of nesting");
        Answer metadata = post("/keys", admin, key + ",\"metadata\":" + "{\"a\":".repeat(3000) + "\"v\""
                + "}".repeat(3000) + "}");
        assertThat(metadata.status()).isEqualTo(400);
        assertThat(metadata.text("detail")).startsWith("the body breaks a JSON limit");
        Answer number = post("/keys/" + id + "/rotate", admin, "{\"overlap_seconds\":1" + "0".repeat(200) + "}");
        assertThat(number.status()).isEqualTo(400);
        assertThat(number.text("detail")).startsWith("the body breaks a JSON limit");
        Answer twice = post("/keys", admin, "{\"tenant_id\":\"93\",\"name\":\"x\",\"tenant_id\":\"92\","
                + "\"scopes\":[\"events:read\"]}");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.text("detail")).startsWith("the body has a member twice in one object");
        Answer trailing = post("/keys", admin, key + "} {}");
        assertThat(trailing.status()).isEqualTo(400);
        assertThat(trailing.text("detail")).startsWith("the body has more after its JSON value");
        Answer editTwice = send("PATCH", "/keys/" + id, admin, "application/json",
                "{\"name\":\"a\",\"name\":\"b\"}");
        assertThat(editTwice.status()).isEqualTo(400);

        assertThat(apiKeys.listAll()).hasSize(1);
        assertThat(apiKeys.get(id).orElseThrow().attributes().name()).isEqualTo("k");
    }

    /** A create's request head by hand, its body declared {@code length} bytes long; the body is the caller's. */
    String createHead(String credential, int length) {
        return "POST /admin/api-keys/keys HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nAuthorization: Bearer "
                + credential + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n";
    }

    @Test
    void aBodyNotSentByItsDeadlineGets408AndSendersPastTheReadersGet503() throws Exception {
        startWithBothResolvers(b -> b.bodyLimits(BodyLimits.defaults().deadline(Duration.ofSeconds(3))
                .minRate(0, Duration.ZERO).maxReaders(2)));
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        String body = "{\"name\":\"x\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"]}";
        java.net.Socket[] stalled = new java.net.Socket[2];
        try {
            // Both stalled senders hold the two readers once the server has their heads: the next is turned away.
            // A check arriving while one is being dispatched takes its reader first and that one gets the 503:
            // then it sends again.
            Answer busy = null;
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String id = apiKeys.keyFormat().parse(admin).orElseThrow().keyId();
            while (System.nanoTime() < until && (busy == null || busy.status() != 503)) {
                for (int i = 0; i < stalled.length; i++) {
                    if (stalled[i] == null || RawHttp.answered(stalled[i])) {
                        if (stalled[i] != null) {
                            stalled[i].close();
                        }
                        stalled[i] = RawHttp.send(port(), createHead(admin, body.length()) + "{");
                    }
                }
                // An edit that changes nothing (422) until the readers are taken.
                busy = send("PATCH", "/keys/" + id, admin, "application/json", "{}");
            }
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.text("code")).isEqualTo("too_many_senders");
            assertThat(busy.raw().headers().firstValue("Retry-After")).contains("1");

            for (java.net.Socket slow : stalled) {
                String answer = RawHttp.answer(slow, Duration.ofSeconds(10));
                assertThat(RawHttp.status(answer)).as(answer).isEqualTo(408);
                assertThat(answer).contains("\"code\":\"body_timeout\"");
            }
        } finally {
            for (java.net.Socket slow : stalled) {
                if (slow != null) {
                    slow.close();
                }
            }
        }
        assertThat(apiKeys.listAll()).hasSize(1);
        Answer created = post("/keys", admin, body);
        assertThat(created.status()).as("the readers are free again").isEqualTo(201);
        plaintexts.add(created.text("api_key"));
    }

    @Test
    void aBodyTricklingBelowTheMinimumRateIsCutBeforeItsDeadline() throws Exception {
        startWithBothResolvers(b -> b.bodyLimits(BodyLimits.defaults().deadline(Duration.ofMinutes(5))
                .minRate(1024, Duration.ofMillis(200))));
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        try (java.net.Socket slow = RawHttp.send(port(), createHead(admin, 4000) + "{")) {
            // A byte now and then: the first read past the grace time finds it behind. The answer's read deadline
            // (10 s) is far inside the body's own (5 min), so only the rate can have cut it.
            String first = "";
            for (int i = 0; i < 20 && first.isEmpty() && RawHttp.trickle(slow); i++) {
                slow.setSoTimeout(100);
                try {
                    int b = slow.getInputStream().read();
                    first = b < 0 ? "" : String.valueOf((char) b);
                } catch (java.net.SocketTimeoutException stillSending) {
                    // no answer yet: send another byte
                }
            }
            String answer = first + RawHttp.answer(slow, Duration.ofSeconds(10));
            assertThat(RawHttp.status(answer)).as(answer).isEqualTo(408);
        }
        assertThat(apiKeys.listAll()).hasSize(1);
    }

    @Test
    void configuredOriginsRefuseOtherHostsAndOrigins() throws Exception {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> AdminApi.builder(apiKeys)
                .origins("admin.example.com"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("origins must each be scheme://host[:port]");
        startWithBothResolvers(b -> b.origins("https://admin.example.com", "http://admin.test"));
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        String id = apiKeys.keyFormat().parse(admin).orElseThrow().keyId();
        String list = "GET /admin/api-keys/keys HTTP/1.1\r\nAuthorization: Bearer " + admin + "\r\nHost: ";

        for (String host : List.of("admin.test", "ADMIN.test:80", "admin.example.com:443", "admin.example.com")) {
            try (java.net.Socket s = RawHttp.send(port(), list + host + "\r\n\r\n")) {
                assertThat(RawHttp.status(RawHttp.answer(s, Duration.ofSeconds(10)))).as(host).isEqualTo(200);
            }
        }
        for (String host : List.of("127.0.0.1:" + port(), "evil.example", "admin.test:8080", "admin.example.com:8443")) {
            try (java.net.Socket s = RawHttp.send(port(), list + host + "\r\n\r\n")) {
                String answer = RawHttp.answer(s, Duration.ofSeconds(10));
                assertThat(RawHttp.status(answer)).as(host).isEqualTo(421);
                assertThat(answer).contains("\"code\":\"host_not_allowed\"");
            }
        }
        String revoke = "POST /admin/api-keys/keys/" + id + "/revoke HTTP/1.1\r\nHost: admin.test\r\nAuthorization: "
                + "Bearer " + admin + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nOrigin: ";
        try (java.net.Socket s = RawHttp.send(port(), revoke + "http://127.0.0.1:" + port() + "\r\n\r\n{}")) {
            String answer = RawHttp.answer(s, Duration.ofSeconds(10));
            assertThat(RawHttp.status(answer)).as("the request's own origin is not a configured one").isEqualTo(403);
            assertThat(answer).contains("\"code\":\"cross_origin\"");
        }
        assertThat(apiKeys.verify(admin, "keys:manage").isGranted()).isTrue();
        try (java.net.Socket s = RawHttp.send(port(), revoke + "https://admin.example.com\r\n\r\n{}")) {
            assertThat(RawHttp.status(RawHttp.answer(s, Duration.ofSeconds(10)))).isEqualTo(200);
        }
        assertThat(apiKeys.verify(admin, "keys:manage").isGranted()).isFalse();
    }

    @Test
    void listParametersAreCheckedAndACallerOfSeveralTenantsListsThemAll() throws Exception {
        startWith(request -> Optional.of(Caller.ofTenants("ops", java.util.Set.of("92", "93"))));
        issue("92", "events:read");
        issue("93", "events:read");
        issue("94", "events:read");
        issue(null, "events:read");

        assertThat(get("/keys", null).body().path("keys").findValuesAsText("tenant_id"))
                .containsExactlyInAnyOrder("92", "93");
        assertThat(get("/keys?tenant=94", null).body().path("keys")).isEmpty();
        assertThat(get("/keys?tenant=93", null).body().path("keys").findValuesAsText("tenant_id"))
                .containsExactly("93");
        for (String[] bad : new String[][] {
                {"environment=" + "e".repeat(33), "environment must be 1 to 32 characters"},
                {"owner=" + "o".repeat(201), "owner must be 1 to 200 characters"},
                {"name=", "name must be 1 to 100 characters"},
                {"tenant=no%20spaces", "tenant "},
                {"rotate_by_passed=yes", "rotate_by_passed must be true or false"},
                {"cursor=abc", "cursor must be the next_cursor of an earlier page"},
                {"limit=201", "limit must be 1 to 200"},
                {"unused_since=%2B1000000000-01-01T00:00:00Z", "unused_since must be from 1970-01-01 to 9999-12-31"},
                {"unused_since=1900-01-01", "unused_since must be from 1970-01-01 to 9999-12-31"}}) {
            Answer answer = get("/keys?" + bad[0], null);
            assertThat(answer.status()).as(bad[0]).isEqualTo(422);
            assertThat(answer.text("code")).isEqualTo("invalid_field");
            assertThat(answer.text("detail")).as(bad[0]).startsWith(bad[1]);
        }
    }

    @Test
    void listsAreSortedFilteredAndPagedInEveryOrderByTheStore() throws Exception {
        // A caller that uses no key: no last use changes while the pages are read.
        startWith(request -> Optional.of(Caller.ofTenants("ops", java.util.Set.of("92"))));
        String admin = null;
        java.util.Random r = new java.util.Random(31);
        java.time.Instant now = java.time.Instant.now();
        for (int i = 0; i < 23; i++) {
            KeySpec.Builder spec = KeySpec.builder((i % 3 == 0 ? "Sync-" : "export-") + r.nextInt(5))
                    .tenantId(i % 4 == 0 ? "93" : "92").scopes("events:read");
            if (r.nextBoolean()) {
                spec.expiresAt(now.plus(Duration.ofDays(1 + r.nextInt(3))));
            }
            apiKeys.create(spec.build());
        }
        List<JsonNode> all = new ArrayList<>();
        get("/keys?limit=200", admin).body().path("keys").forEach(all::add);
        assertThat(all).hasSize(17);

        for (String sort : List.of("name", "created", "expires", "last_used", "key_id")) {
            for (String order : List.of("asc", "desc")) {
                java.util.Comparator<JsonNode> byId = java.util.Comparator.comparing(k -> k.path("key_id").asText());
                String member = switch (sort) {
                    case "expires" -> "expires_at";
                    case "created" -> "created_at";
                    case "last_used" -> "last_used_at";
                    default -> sort;
                };
                java.util.Comparator<JsonNode> direction = (a, b) -> {
                    int c = member.endsWith("_at") ? java.time.Instant.parse(a.path(member).asText())
                            .compareTo(java.time.Instant.parse(b.path(member).asText()))
                            : a.path(member).asText().compareTo(b.path(member).asText());
                    return c != 0 ? c : byId.compare(a, b);
                };
                java.util.Comparator<JsonNode> valued = order.equals("asc") ? direction : direction.reversed();
                // Keys without the value last, in both directions.
                List<String> expected = all.stream().sorted((a, b) -> {
                    boolean an = a.path(member).isNull();
                    boolean bn = b.path(member).isNull();
                    if (an || bn) {
                        return an && bn ? (order.equals("asc") ? byId.compare(a, b) : byId.compare(b, a))
                                : an ? 1 : -1;
                    }
                    return valued.compare(a, b);
                }).map(k -> k.path("key_id").asText()).toList();
                assertThat(pages("/keys?limit=4&sort=" + sort + "&order=" + order, admin)).as(sort + " " + order)
                        .containsExactlyElementsOf(expected);
            }
        }
        List<String> syncs = all.stream().filter(k -> k.path("name").asText().startsWith("Sync-"))
                .map(k -> k.path("name").asText()).sorted(java.util.Comparator.reverseOrder()).toList();
        List<String> found = new ArrayList<>();
        get("/keys?q=sYNC&sort=name&order=desc", admin).body().path("keys")
                .forEach(k -> found.add(k.path("name").asText()));
        assertThat(found).isNotEmpty().containsExactlyElementsOf(syncs);

        JsonNode one = all.get(5);
        for (String exact : List.of(one.path("key_id").asText(), one.path("hint").asText())) {
            assertThat(get("/keys?q=" + exact, admin).body().path("keys").findValuesAsText("key_id")).as(exact)
                    .containsExactly(one.path("key_id").asText());
        }
        String otherTenants = apiKeys.list(dev.apikey.KeyQuery.tenant("93")).get(0).hint();
        assertThat(get("/keys?q=" + otherTenants, admin).body().path("keys")).as("another tenant's hint").isEmpty();

        String byName = get("/keys?limit=2&sort=name", admin).text("next_cursor");
        assertThat(byName).matches("[A-Za-z0-9_-]+");
        for (String[] bad : new String[][] {
                {"sort=size", "sort", "sort must be one of created, expires, key_id, last_used, name"},
                {"order=up", "order", "order must be asc or desc"},
                {"q=a&name=b", "q", "q and name both filter by name"},
                {"q=" + "q".repeat(101), "q", "q must be 1 to 100 characters"},
                {"cursor=abc", "cursor", "cursor must be the next_cursor of an earlier page of the same sort"},
                {"cursor=" + byName + "&sort=created", "cursor", "cursor must be the next_cursor"},
                {"cursor=" + byName + "&sort=name&order=desc", "cursor", "cursor must be the next_cursor"},
                {"cursor=%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC", "cursor", "cursor must be"},
                {"limit=0", "limit", "limit must be 1 to 200"}}) {
            Answer answer = get("/keys?" + bad[0], admin);
            assertThat(answer.status()).as(bad[0]).isEqualTo(422);
            assertThat(answer.text("field")).as(bad[0]).isEqualTo(bad[1]);
            assertThat(answer.text("detail")).as(bad[0]).startsWith(bad[2]);
        }
        assertThat(get("/keys?sort=name&sort=created", admin).status()).isEqualTo(422);
    }

    /** Every key id of a list, page after page by {@code next_cursor}, at most 50 pages. */
    List<String> pages(String first, String credential) throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 50; i++) {
            Answer page = get(first + (cursor == null ? "" : "&cursor=" + cursor), credential);
            assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
            page.body().path("keys").forEach(k -> seen.add(k.path("key_id").asText()));
            cursor = page.body().path("next_cursor").asText(null);
            if (cursor == null) {
                return seen;
            }
        }
        throw new AssertionError("more than 50 pages: " + first);
    }

    @Test
    void meNamesTheCallerAndTheTenantsItManages() throws Exception {
        startWith(request -> Optional.of(request.getHeader("X-All") != null ? Caller.ofAllTenants("user:root")
                : Caller.ofTenants("user:alice", java.util.Set.of("93", "92"))));

        Answer alice = get("/me", null);
        assertThat(alice.status()).isEqualTo(200);
        assertThat(alice.text("actor")).isEqualTo("user:alice");
        assertThat(alice.body().path("all_tenants").asBoolean(true)).isFalse();
        assertThat(JSON.convertValue(alice.body().path("tenants"), List.class)).containsExactly("92", "93");
        Answer root = send("GET", "/me", null, null, null, "X-All", "1");
        assertThat(root.text("actor")).isEqualTo("user:root");
        assertThat(root.body().path("all_tenants").asBoolean()).isTrue();
        assertThat(send("POST", "/me", null, "application/json", "{}").status()).isEqualTo(405);
    }

    @Test
    void theApiServesItsOpenApiDocumentAndEveryAnswerMatchesIt() throws Exception {
        startWithBothResolvers();
        String admin = issue("92", "keys:manage", "events:read");
        String id = apiKeys.keyFormat().parse(admin).orElseThrow().keyId();

        // Served to anyone (it holds no data), as the class path holds it; only read.
        Answer doc = send("GET", "/openapi.yaml", null, null, null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/yaml"));
        assertThat(doc.raw().body()).isEqualTo(OpenApiCheck.published());
        assertThat(send("PUT", "/openapi.yaml", null, "application/json", "{}").status()).isEqualTo(405);

        // The check holds each answer to the document: a document that drifted from the API fails it.
        HttpResponse<String> key = get("/keys/" + id, admin).raw();
        HttpResponse<String> missing = get("/keys/AAAAAAAA", admin).raw();
        String published = OpenApiCheck.published();
        String renamed = published.replace("        hint: {type: string}\n", "        hints: {type: string}\n");
        String retyped = published.replace("        version: {type: integer, minimum: 1}\n",
                "        version: {type: string}\n");
        String noStatus = published.replace("""
                      operationId: getKey
                      summary: One key
                      tags: [keys]
                      responses:
                """, """
                      operationId: getKey
                      summary: One key
                      tags: [keys]
                      responses:
                        '200':
                          description: the key
                          content:
                            application/json:
                              schema: {$ref: '#/components/schemas/Key'}
                        '401': {$ref: '#/components/responses/Unauthenticated'}
                      x-dropped:
                """);
        assertThat(List.of(renamed, retyped, noStatus)).doesNotContain(published);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OpenApiCheck(renamed).check("GET", "/keys/" + id,
                key)).isInstanceOf(AssertionError.class).hasMessageContaining("property 'hint' is not defined in the schema");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OpenApiCheck(retyped).check("GET", "/keys/" + id,
                key)).isInstanceOf(AssertionError.class).hasMessageContaining("$.version: integer found, string expected");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OpenApiCheck(noStatus).check("GET",
                "/keys/AAAAAAAA", missing)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("status not documented");
        // The published document passes the same answers.
        OpenApiCheck.PUBLISHED.check("GET", "/keys/" + id, key);
        OpenApiCheck.PUBLISHED.check("GET", "/keys/AAAAAAAA", missing);
    }
}
