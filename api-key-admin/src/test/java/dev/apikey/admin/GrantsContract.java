package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.ApiKeys;
import dev.apikey.ApiKeysBuilder;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.ApiKeyInfo;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 26 over real HTTP, the same suite in every container: no caller grants more than it holds (create, edit,
 * rotate, enable, its own key; key callers and container users), guardrails per tenant (the cap of live keys, the
 * creates per minute) and optimistic concurrency ({@code ETag} and {@code If-Match}). Every refusal changes nothing.
 */
abstract class GrantsContract {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events")
            .scope("events:write", "Create events").wildcard("events:*", "Everything on events")
            .scope("webhooks:write", "Manage webhooks").scope("keys:manage", "Manage this tenant's API keys")
            .superScope("admin", "Everything").build();
    static final ObjectMapper JSON = new ObjectMapper();

    /** Starts the container with {@code api} at {@code /admin/api-keys/*} behind {@code auth}; returns its port. */
    abstract int start(AdminApi api, Filter auth) throws Exception;

    abstract void stop() throws Exception;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ApiKeys apiKeys;
    private String base;

    @AfterEach
    void stopServer() throws Exception {
        stop();
        if (apiKeys != null) {
            apiKeys.close();
        }
    }

    /**
     * Starts the API: keys with {@code keys:manage} manage their tenant's keys; users (header {@code X-Test-User},
     * roles in {@code X-Test-Roles}) in role {@code admin} manage every tenant's, granting what {@code grants} says
     * per role, or, without it, every scope but the super scope.
     */
    void start(UnaryOperator<ApiKeysBuilder> configure, Map<String, List<String>> grants) throws Exception {
        apiKeys = configure.apply(ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(SCOPES)
                .hasher(Sha256Hasher.create())).build();
        CallerResolver keys = CallerResolver.apiKeyWithScope(apiKeys, "keys:manage");
        CallerResolver users = grants == null ? CallerResolver.containerUserInRole("admin")
                : CallerResolver.containerUserInRole("admin", grants);
        AdminApi api = AdminApi.builder(apiKeys).callers(request -> {
            Optional<Caller> user = users.resolve(request);
            return user.isPresent() ? user : keys.resolve(request);
        }).build();
        base = "http://127.0.0.1:" + start(api, (req, resp, chain) -> {
            String user = ((HttpServletRequest) req).getHeader("X-Test-User");
            String roles = ((HttpServletRequest) req).getHeader("X-Test-Roles");
            chain.doFilter(user == null ? req : new HttpServletRequestWrapper((HttpServletRequest) req) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return roles != null && Arrays.asList(roles.split(",")).contains(role);
                }
            }, resp);
        }) + "/admin/api-keys";
    }

    void start() throws Exception {
        start(b -> b, null);
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String text(String field) {
            return body.path(field).asText(null);
        }

        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }
    }

    /** Sends a request; {@code credential} is an API key, or {@code user:<name>:<roles>} for a signed-in user. */
    Answer send(String method, String path, String credential, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (credential.startsWith("user:")) {
            String[] parts = credential.split(":");
            b.header("X-Test-User", parts[1]).header("X-Test-Roles", parts[2]);
        } else {
            b.header("Authorization", "Bearer " + credential);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        OpenApiCheck.PUBLISHED.check(method, path, r);
        JsonNode node = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        if (r.statusCode() >= 400) {
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
        }
        return new Answer(r.statusCode(), node, r);
    }

    String issue(String tenant, String... scopes) {
        return apiKeys.create(KeySpec.builder("k").tenantId(tenant).scopes(scopes).build()).plaintext();
    }

    String idOf(String plaintext) {
        return apiKeys.keyFormat().parse(plaintext).orElseThrow().keyId();
    }

    /** Every key's id, version, status and scopes: what a refusal leaves as it was. */
    List<String> store() {
        return apiKeys.listAll().stream().map(k -> k.keyId() + "@" + k.version() + ":" + k.status()
                + k.attributes().scopes()).sorted().toList();
    }

    static String create(String tenant, String... scopes) {
        return "{\"name\":\"x\",\"tenant_id\":\"" + tenant + "\",\"scopes\":[\"" + String.join("\",\"", scopes)
                + "\"]}";
    }

    private static void assertNotGrantable(Answer a, String... scopes) {
        assertThat(a.status()).as(a.raw().body()).isEqualTo(403);
        assertThat(a.text("code")).isEqualTo("scope_not_grantable");
        assertThat(a.text("field")).isEqualTo("scopes");
        assertThat(JSON.convertValue(a.body().path("scopes"), List.class)).containsExactlyInAnyOrder((Object[]) scopes);
    }

    @Test
    void aTenantsKeyManagerNeitherCreatesNorRaisesAKeyToTheSuperScope() throws Exception {
        start();
        String manager = issue("92", "keys:manage", "events:read");
        String other = issue("92", "events:read");
        List<String> before = store();

        assertNotGrantable(send("POST", "/keys", manager, create("92", "admin")), "admin");
        assertNotGrantable(send("POST", "/keys", manager, create("92", "events:read", "webhooks:write", "admin")),
                "webhooks:write", "admin");
        assertNotGrantable(send("PATCH", "/keys/" + idOf(other), manager, "{\"scopes\":[\"admin\"]}"), "admin");
        Answer self = send("PATCH", "/keys/" + idOf(manager), manager, "{\"scopes\":[\"keys:manage\",\"admin\"]}");
        assertThat(self.status()).as(self.raw().body()).isEqualTo(403);
        assertThat(store()).isEqualTo(before);

        Answer within = send("POST", "/keys", manager, create("92", "events:read"));
        assertThat(within.status()).as(within.raw().body()).isEqualTo(201);
        assertThat(apiKeys.verify("Bearer " + within.text("api_key"), "admin").isGranted()).isFalse();
    }

    @Test
    void aWildcardHolderGrantsWhatItImpliesAndNoMore() throws Exception {
        start();
        String manager = issue("92", "keys:manage", "events:*");

        assertThat(send("POST", "/keys", manager, create("92", "events:read", "events:write")).status()).isEqualTo(201);
        assertThat(send("POST", "/keys", manager, create("92", "events:*")).status()).isEqualTo(201);
        List<String> before = store();
        assertNotGrantable(send("POST", "/keys", manager, create("92", "events:read", "keys:manage", "webhooks:write")),
                "webhooks:write");
        assertThat(store()).isEqualTo(before);
    }

    @Test
    void noCallerEditsItsOwnKeyNotEvenItsAllowances() throws Exception {
        start();
        String manager = issue("92", "keys:manage", "events:read");
        List<String> before = store();

        Answer lift = send("PATCH", "/keys/" + idOf(manager), manager, "{\"rate_limit\":null,\"expires_at\":null}");

        assertThat(lift.status()).as(lift.raw().body()).isEqualTo(403);
        assertThat(lift.text("code")).isEqualTo("own_key");
        assertThat(store()).isEqualTo(before);
        // A rotation job rotates the key it runs with: same scopes, nothing raised.
        Answer rotated = send("POST", "/keys/" + idOf(manager) + "/rotate", manager, "{}");
        assertThat(rotated.status()).as(rotated.raw().body()).isEqualTo(201);
    }

    @Test
    void aKeyHoldingMoreThanTheCallerIsNeitherEditedRotatedNorEnabledButMayBeTakenOutOfUse() throws Exception {
        start();
        String manager = issue("92", "keys:manage", "events:read");
        String higher = issue("92", "admin");
        String id = idOf(higher);
        List<String> before = store();

        assertNotGrantable(send("PATCH", "/keys/" + id, manager, "{\"name\":\"mine now\"}"), "admin");
        Answer rotate = send("POST", "/keys/" + id + "/rotate", manager, "{}");
        assertNotGrantable(rotate, "admin");
        assertThat(rotate.raw().body()).doesNotContain("api_key");
        assertThat(store()).isEqualTo(before);

        // Disabled by a higher caller (here the host): this manager may not bring it back.
        assertThat(send("POST", "/keys/" + id + "/disable", "user:olga:admin", "{}").status()).isEqualTo(200);
        List<String> disabled = store();
        assertNotGrantable(send("POST", "/keys/" + id + "/enable", manager, "{}"), "admin");
        assertThat(store()).isEqualTo(disabled);

        assertThat(send("POST", "/keys/" + id + "/revoke", manager, "{}").text("status")).isEqualTo("revoked");
    }

    @Test
    void aSignedInUserGrantsWhatItsRolesMayAndWithoutAConfiguredCeilingAllButTheSuperScope() throws Exception {
        start(b -> b, Map.of("support", List.of("events:read"), "owner", List.of("admin")));
        String key = issue("92", "events:read", "webhooks:write");
        List<String> before = store();

        assertNotGrantable(send("POST", "/keys", "user:sam:admin,support", create("92", "events:read",
                "webhooks:write")), "webhooks:write");
        assertNotGrantable(send("PATCH", "/keys/" + idOf(key), "user:sam:admin,support",
                "{\"name\":\"renamed\"}"), "webhooks:write");
        assertNotGrantable(send("POST", "/keys/" + idOf(key) + "/rotate", "user:sam:admin,support", "{}"),
                "webhooks:write");
        assertNotGrantable(send("POST", "/keys", "user:nobody:admin", create("92", "events:read")), "events:read");
        assertThat(store()).isEqualTo(before);
        assertThat(send("POST", "/keys", "user:sam:admin,support", create("92", "events:read")).status())
                .isEqualTo(201);
        assertThat(send("POST", "/keys", "user:olga:admin,owner", create("92", "admin")).status()).isEqualTo(201);
        assertThat(send("GET", "/me", "user:sam:admin,support", null).body().path("grantable_scopes").toString())
                .isEqualTo("[\"events:read\"]");
    }

    @Test
    void aUserWithoutAConfiguredCeilingGrantsEveryScopeButTheSuperScope() throws Exception {
        start();
        List<String> before = store();

        assertNotGrantable(send("POST", "/keys", "user:olga:admin", create("92", "events:*", "admin")), "admin");
        assertThat(store()).isEqualTo(before);
        assertThat(send("POST", "/keys", "user:olga:admin", create("92", "events:*", "keys:manage")).status())
                .isEqualTo(201);
        JsonNode me = send("GET", "/me", "user:olga:admin", null).body();
        assertThat(JSON.convertValue(me.path("grantable_scopes"), List.class)).containsExactly("events:read",
                "events:write", "events:*", "webhooks:write", "keys:manage");
    }

    @Test
    void meTellsAKeyCallerWhatItMayGrantAndWhichKeyItIs() throws Exception {
        start();
        String manager = issue("92", "keys:manage", "events:*");

        JsonNode me = send("GET", "/me", manager, null).body();

        assertThat(JSON.convertValue(me.path("grantable_scopes"), List.class)).containsExactly("events:read",
                "events:write", "events:*", "keys:manage");
        assertThat(me.path("key_id").asText()).isEqualTo(idOf(manager));
    }

    @Test
    void aChangeBasedOnAnOldETagIsRefusedWith412AndChangesNothing() throws Exception {
        start();
        String id = idOf(issue("92", "events:read"));
        Answer read = send("GET", "/keys/" + id, "user:olga:admin", null);
        assertThat(read.header("ETag")).contains("\"1\"");

        Answer first = send("PATCH", "/keys/" + id, "user:olga:admin", "{\"name\":\"olga's\"}", "If-Match", "\"1\"");
        assertThat(first.status()).as(first.raw().body()).isEqualTo(200);
        assertThat(first.header("ETag")).contains("\"2\"");
        List<String> before = store();

        for (Answer stale : List.of(
                send("PATCH", "/keys/" + id, "user:sam:admin", "{\"name\":\"sam's\"}", "If-Match", "\"1\""),
                send("POST", "/keys/" + id + "/revoke", "user:sam:admin", "{}", "If-Match", "\"1\""),
                send("POST", "/keys/" + id + "/disable", "user:sam:admin", "{}", "If-Match", "\"1\""),
                send("POST", "/keys/" + id + "/rotate", "user:sam:admin", "{}", "If-Match", "\"1\""))) {
            assertThat(stale.status()).as(stale.raw().body()).isEqualTo(412);
            assertThat(stale.text("code")).isEqualTo("precondition_failed");
        }
        for (String bad : List.of("1", "W/\"2\"", "\"2\", \"3\"", "\"abc\"")) {
            Answer malformed = send("PATCH", "/keys/" + id, "user:sam:admin", "{\"name\":\"sam's\"}", "If-Match", bad);
            assertThat(malformed.status()).as(bad).isEqualTo(400);
            assertThat(malformed.text("header")).isEqualTo("If-Match");
        }
        assertThat(store()).isEqualTo(before);
        assertThat(apiKeys.get(id).map(k -> k.attributes().name())).contains("olga's");

        assertThat(send("POST", "/keys/" + id + "/disable", "user:sam:admin", "{}", "If-Match", "\"2\"").status())
                .isEqualTo(200);
        assertThat(apiKeys.get(id).map(ApiKeyInfo::status)).contains(ApiKeyInfo.Status.DISABLED);
    }

    @Test
    void aFullTenantIsRefusedWith409AndAFastCreatorWith429() throws Exception {
        start(b -> b.maxLiveKeysPerTenant(2).createsPerMinute(3), null);
        String manager = issue("92", "keys:manage", "events:read");
        assertThat(send("POST", "/keys", manager, create("92", "events:read")).status()).isEqualTo(201);
        List<String> before = store();

        Answer full = send("POST", "/keys", manager, create("92", "events:read"));

        assertThat(full.status()).as(full.raw().body()).isEqualTo(409);
        assertThat(full.text("code")).isEqualTo("key_limit_reached");
        assertThat(store()).isEqualTo(before);

        // Another tenant has room; its creates count against the same caller's minute.
        assertThat(send("POST", "/keys", "user:olga:admin", create("93", "events:read")).status()).isEqualTo(201);
        assertThat(send("POST", "/keys", "user:olga:admin", create("93", "events:read")).status()).isEqualTo(201);
        assertThat(send("POST", "/keys", "user:olga:admin", create("94", "events:read")).status()).isEqualTo(201);
        List<String> counted = store();
        Answer fast = send("POST", "/keys", "user:olga:admin", create("94", "events:read"));
        assertThat(fast.status()).as(fast.raw().body()).isEqualTo(429);
        assertThat(fast.text("code")).isEqualTo("too_many_creates");
        assertThat(fast.header("Retry-After")).hasValueSatisfying(s -> assertThat(Integer.parseInt(s))
                .isBetween(1, 60));
        assertThat(store()).isEqualTo(counted);
    }

    @Test
    void aKeyWithAnExpiryMintsNoKeyThatOutlivesIt() throws Exception {
        start();
        String manager = apiKeys.create(KeySpec.builder("m").tenantId("92").scopes("keys:manage", "events:read")
                .expiresAt(java.time.Instant.parse("2099-01-01T00:00:00Z")).build()).plaintext();
        String forever = issue("92", "events:read");
        List<String> before = store();

        Answer never = send("POST", "/keys", manager, create("92", "events:read"));
        assertThat(never.status()).as(never.raw().body()).isEqualTo(403);
        assertThat(never.text("code")).isEqualTo("expiry_beyond_caller");
        assertThat(never.text("field")).isEqualTo("expires_at");
        assertThat(send("POST", "/keys/" + idOf(forever) + "/rotate", manager, "{}").text("code"))
                .isEqualTo("expiry_beyond_caller");
        assertThat(send("PATCH", "/keys/" + idOf(forever), manager, "{\"expires_at\":\"2100-01-01\"}").text("code"))
                .isEqualTo("expiry_beyond_caller");
        assertThat(store()).isEqualTo(before);

        assertThat(send("POST", "/keys", manager, "{\"name\":\"x\",\"tenant_id\":\"92\",\"scopes\":"
                + "[\"events:read\"],\"expires_at\":\"2098-12-31\"}").status()).isEqualTo(201);
    }
}
