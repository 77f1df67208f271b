package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.LegacyHash;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /imports} over real HTTP in embedded Jetty: tenant-scoped, every rule per line, a batch all or
 * nothing, dry run and per line, the body's type and flags checked, never a plaintext in the answer.
 */
class JettyImportTest {

    private static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events")
            .scope("keys:manage", "Manage this tenant's API keys").scope("webhooks:write", "Manage webhooks").build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JettyAdminApiTest container = new JettyAdminApiTest();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private ApiKeys apiKeys;
    private ApiKeys source;
    private String base;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(SCOPES).hasher(Sha256Hasher.create()).build();
        source = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(SCOPES).build();
        AdminApi api = AdminApi.builder(apiKeys).callers(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage"))
                .build();
        base = "http://127.0.0.1:" + container.start(api, (req, resp, chain) -> chain.doFilter(req, resp))
                + "/admin/api-keys";
        admin = apiKeys.create(KeySpec.builder("admin").tenantId("92").scopes("keys:manage", "events:read").build())
                .plaintext();
    }

    @AfterEach
    void stop() throws Exception {
        container.stop();
        container.apiKeys.close();
        apiKeys.close();
        source.close();
    }

    private record Answer(int status, JsonNode body, String raw) {
    }

    private Answer post(String query, String type, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/imports" + query)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", type).build();
        HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
        OpenApiCheck.PUBLISHED.check("POST", "/imports" + query, a);
        return new Answer(a.statusCode(), JSON.readTree(a.body()), a.body());
    }

    private String issue(String tenant) {
        return source.create(KeySpec.builder("src").tenantId(tenant).scopes("events:read").build()).plaintext();
    }

    @Test
    void aTenantAdminImportsItsOwnTenantsKeysAndABatchWithAnotherTenantsLineWritesNothing() throws Exception {
        String ours = issue("92");
        String theirs = issue("93");
        String digest = LegacyHash.keyDigest("acme_Ab3dE6gH_q9Lr2TzW8xYv4KpN1mC7sJd");
        String body = String.join("\n",
                "{\"plaintext\": \"" + ours + "\", \"name\": \"crm\", \"tenant_id\": \"92\", \"scopes\": [\"events:read\"]}",
                "{\"plaintext\": \"" + theirs + "\", \"tenant_id\": \"93\", \"scopes\": [\"events:read\"]}",
                "{\"stored_hash\": \"" + digest + "\", \"name\": \"legacy\", \"scopes\": [\"events:read\"]}");

        Answer batch = post("", "application/x-ndjson", body);
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.body().path("written").asInt()).isZero();
        assertThat(batch.body().path("refused").asInt()).isEqualTo(1);
        assertThat(batch.body().path("lines").get(1).path("code").asText()).isEqualTo("tenant_not_managed");
        assertThat(batch.body().path("lines").get(2).path("outcome").asText()).isEqualTo("create");
        assertThat(apiKeys.listAll()).as("the admin's own key only").hasSize(1);

        Answer perLine = post("?per_line=true", "application/x-ndjson", body);
        assertThat(perLine.body().path("written").asInt()).isEqualTo(2);
        assertThat(apiKeys.verify(ours, "events:read").isGranted()).isTrue();
        assertThat(apiKeys.listAll()).filteredOn(k -> k.attributes().name().equals("legacy"))
                .singleElement().satisfies(k -> assertThat(k.attributes().tenantId()).contains("92"));
        Answer again = post("?dry_run=true", "application/x-ndjson", body);
        assertThat(again.body().path("lines").findValuesAsText("outcome"))
                .containsExactly("unchanged", "refused", "unchanged");
        for (Answer a : List.of(batch, perLine, again)) {
            assertThat(a.raw()).doesNotContain(ours).doesNotContain(theirs).doesNotContain(digest);
        }
    }

    @Test
    void aCsvBodyIsReadAndTheTypeAndFlagsAreChecked() throws Exception {
        String key = issue("92");
        Answer csv = post("", "text/csv", "name,key,scopes\r\ncsv-key," + key + ",events:read\r\n");
        assertThat(csv.body().path("written").asInt()).as(csv.raw()).isEqualTo(1);
        Answer beyond = post("", "text/csv", "name,key,scopes\r\nbeyond," + issue("92") + ",webhooks:write events:read\r\n");
        assertThat(beyond.body().path("lines").get(0).path("code").asText()).isEqualTo("scope_not_grantable");

        assertThat(post("", "application/json", "{}").status()).isEqualTo(415);
        Answer flag = post("?dry_run=yes", "text/csv", "name\r\n");
        assertThat(flag.status()).isEqualTo(422);
        assertThat(flag.body().path("detail").asText()).contains("dry_run must be true or false");
        assertThat(post("", "text/csv", "x".repeat(ImportEndpoint.MAX_BYTES + 1)).status()).isEqualTo(413);
    }
}
