package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 26 §3 over real HTTP, the same suite in every container: {@code GET /keys/{id}/events} and
 * {@code GET /events} answer a key's history newest first, with who did what and what an edit changed, scoped to
 * the caller's tenants like the rest of the API (another tenant's key is 404, its events are not listed), paged
 * with a cursor; every parameter is checked and named in its refusal; no secret or hash is ever in an answer.
 */
abstract class EventsContract {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events")
            .scope("webhooks:write", "Manage webhooks").scope("keys:manage", "Manage this tenant's API keys").build();
    static final ObjectMapper JSON = new ObjectMapper();

    /** Starts the container with {@code api} at {@code /admin/api-keys/*} behind {@code auth}; returns its port. */
    abstract int start(AdminApi api, Filter auth) throws Exception;

    abstract void stop() throws Exception;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final List<String> plaintexts = new ArrayList<>();
    private ApiKeys apiKeys;
    private String base;

    @AfterEach
    void stopServer() throws Exception {
        stop();
        if (apiKeys != null) {
            apiKeys.close();
        }
    }

    /** Keys with {@code keys:manage} manage their tenant's keys; a user ({@code X-Test-User}) every tenant's. */
    private void start(KeyStore keyStore) throws Exception {
        apiKeys = ApiKeys.builder().prefix("wlcro").store(keyStore).scopes(SCOPES).hasher(Sha256Hasher.create())
                .build();
        CallerResolver keys = CallerResolver.apiKeyWithScope(apiKeys, "keys:manage");
        CallerResolver users = CallerResolver.containerUserInRole("admin");
        AdminApi api = AdminApi.builder(apiKeys).callers(request -> {
            Optional<Caller> user = users.resolve(request);
            return user.isPresent() ? user : keys.resolve(request);
        }).build();
        base = "http://127.0.0.1:" + start(api, (req, resp, chain) -> {
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

    record Answer(int status, JsonNode body, String raw) {
        String text(String field) {
            return body.path(field).asText(null);
        }
    }

    /** A request; {@code credential} is an API key, or {@code user:<name>} for a signed-in user. */
    private Answer send(String method, String path, String credential, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (credential.startsWith("user:")) {
            b.header("X-Test-User", credential.substring(5));
        } else {
            b.header("Authorization", "Bearer " + credential);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Cache-Control")).as(method + " " + path).contains("no-store");
        OpenApiCheck.PUBLISHED.check(method, path, r);
        JsonNode node = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        if (r.statusCode() >= 400) {
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
        }
        return new Answer(r.statusCode(), node, r.body());
    }

    private Answer get(String path, String credential) throws Exception {
        return send("GET", path, credential, null);
    }

    private String issue(String tenant, String... scopes) {
        String plaintext = apiKeys.create(KeySpec.builder("k").tenantId(tenant).scopes(scopes).build()).plaintext();
        plaintexts.add(plaintext);
        return plaintext;
    }

    /** No plaintext this test saw, nor its secret, nor a stored hash, is in the answer. */
    private void holdsNoSecret(Answer answer) {
        for (String p : plaintexts) {
            assertThat(answer.raw()).doesNotContain(p).doesNotContain(p.substring(p.length() - 38));
        }
        for (StoredKey k : store.findPage(new KeyFilter(null, null, null, null, null, null, false, null, null,
                java.time.Instant.now()), 1000)) {
            assertThat(answer.raw()).doesNotContain(k.secretHash());
        }
    }

    @Test
    void aTenantAdminReadsItsKeysHistoryNewestFirstAndNoOtherTenants() throws Exception {
        start(store);
        String admin = issue("92", "keys:manage", "events:read", "webhooks:write");
        String adminHint = apiKeys.keyFormat().parse(admin).orElseThrow().hint();
        String other = issue("93", "events:read");
        String otherId = apiKeys.keyFormat().parse(other).orElseThrow().keyId();

        Answer created = send("POST", "/keys", admin,
                "{\"name\":\"crm-sync\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"]}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        plaintexts.add(created.text("api_key"));
        String id = created.body().path("key").path("key_id").asText();
        assertThat(send("PATCH", "/keys/" + id, admin, "{\"name\":\"crm-sync-prod\",\"owner\":\"bob\"}").status())
                .isEqualTo(200);
        assertThat(send("POST", "/keys/" + id + "/disable", admin, "{}").status()).isEqualTo(200);
        assertThat(send("POST", "/keys/" + id + "/enable", admin, "{}").status()).isEqualTo(200);
        Answer rotated = send("POST", "/keys/" + id + "/rotate", admin, "{\"overlap_seconds\":3600}");
        assertThat(rotated.status()).as(rotated.raw()).isEqualTo(201);
        plaintexts.add(rotated.text("api_key"));
        String newId = rotated.body().path("key").path("key_id").asText();

        Answer history = get("/keys/" + id + "/events", admin);
        assertThat(history.status()).as(history.raw()).isEqualTo(200);
        JsonNode events = history.body().path("events");
        assertThat(events.findValuesAsText("type")).containsExactly("rotated", "enabled", "disabled", "edited",
                "created");
        assertThat(events.findValuesAsText("actor")).containsOnly("key:" + adminHint);
        assertThat(events.get(0).path("details").path("new_key_id").asText()).isEqualTo(newId);
        assertThat(events.get(3).path("changes").toString()).isEqualTo("[{\"attribute\":\"name\",\"before\":"
                + "\"crm-sync\",\"after\":\"crm-sync-prod\"},{\"attribute\":\"owner\",\"before\":null,\"after\":\"bob\"}]");
        assertThat(history.text("next_cursor")).isNull();
        holdsNoSecret(history);

        Answer tenant = get("/events", admin);
        assertThat(tenant.status()).isEqualTo(200);
        assertThat(tenant.body().path("events").findValuesAsText("tenant_id")).containsOnly("92");
        assertThat(tenant.body().path("events").findValuesAsText("key_id")).doesNotContain(otherId).contains(newId);
        holdsNoSecret(tenant);
        assertThat(get("/events?tenant=93", admin).body().path("events")).isEmpty();

        Answer foreign = get("/keys/" + otherId + "/events", admin);
        assertThat(foreign.status()).as("another tenant's key does not exist for this caller").isEqualTo(404);
        assertThat(get("/events", "user:alice").body().path("events").findValuesAsText("key_id")).contains(otherId);
    }

    @Test
    void pagesFollowTheCursorAndEveryParameterIsChecked() throws Exception {
        start(store);
        String admin = issue("92", "keys:manage", "events:read");
        String id = apiKeys.keyFormat().parse(admin).orElseThrow().keyId();
        for (int i = 0; i < 4; i++) {
            issue("92", "events:read");
            apiKeys.disable(idOfLast());
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page = get("/events?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            page.body().path("events").forEach(e -> seen.add(e.path("event_id").asText()));
            cursor = page.text("next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).hasSize(9).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);

        String now = java.time.Instant.now().plusSeconds(60).toString();
        assertThat(get("/events?from=" + now, admin).body().path("events")).isEmpty();
        assertThat(get("/events?to=" + now, admin).body().path("events")).hasSize(9);
        refused(get("/events?limit=0", admin), "limit", "limit must be 1 to 200");
        refused(get("/events?limit=201", admin), "limit", "limit must be 1 to 200");
        refused(get("/events?from=yesterday", admin), "from", "from must be a date");
        refused(get("/events?from=+10000-01-01T00:00:00Z".replace("+", "%2B"), admin), "from",
                "from must be from 1970-01-01 to 9999-12-31");
        refused(get("/events?to=1969-12-31", admin), "to", "to must be from 1970-01-01 to 9999-12-31");
        refused(get("/events?from=2026-02-01&to=2026-01-01", admin), "from", "from must be before to");
        refused(get("/events?cursor=" + URLEncoder.encode("1' OR 1=1", StandardCharsets.UTF_8), admin), "cursor",
                "cursor must be the next_cursor of an earlier page");
        refused(get("/keys/" + id + "/events?tenant=92", admin), null, "unknown parameter 'tenant'");
        refused(get("/events?limit=1&limit=2", admin), null, "limit was given 2 times");
        refused(get("/events?tenant=" + "9".repeat(40), admin), "tenant", "tenant must be 1 to 36");
        Answer post = send("POST", "/events", admin, "{}");
        assertThat(post.status()).isEqualTo(405);
    }

    private String idOfLast() {
        return apiKeys.keyFormat().parse(plaintexts.get(plaintexts.size() - 1)).orElseThrow().keyId();
    }

    private static void refused(Answer answer, String field, String detail) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(422);
        assertThat(answer.text("detail")).contains(detail);
        if (field != null) {
            assertThat(answer.text("field")).isEqualTo(field);
        }
    }

    @Test
    void aStoreWithoutAHistoryAnswersNotSupported() throws Exception {
        start(new KeyStore() {
            @Override
            public Optional<StoredKey> findById(String keyId) {
                return store.findById(keyId);
            }

            @Override
            public List<StoredKey> findPage(KeyFilter filter, int limit) {
                return store.findPage(filter, limit);
            }

            @Override
            public void write(List<KeyWrite> writes) {
                store.write(writes);
            }
        });
        String admin = issue("92", "keys:manage", "events:read");

        Answer answer = get("/events", admin);

        assertThat(answer.status()).isEqualTo(501);
        assertThat(answer.text("code")).isEqualTo("not_supported");
        assertThat(get("/keys", admin).status()).as("the rest works as before").isEqualTo(200);
    }
}
