package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /keys/{id}/usage} and {@code GET /usage} over real HTTP in Jetty 12: the numbers the core counted, the
 * tenant scoping (another tenant's key or overview is 404), and bad parameters answered 422 naming the parameter.
 */
class JettyUsageApiTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:30:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(AdminApiContract.SCOPES).hasher(Sha256Hasher.create()).clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Server server;
    private String base;
    private String key92;
    private String key7;

    @BeforeEach
    void start() throws Exception {
        CallerResolver callers = req -> {
            String who = req.getHeader("X-Test-Caller");
            return who == null ? Optional.empty() : Optional.of(who.equals("all") ? Caller.ofAllTenants("root")
                    : Caller.ofTenants("admin-" + who, Set.of(who)));
        };
        server = Jetty.start(context -> context.addServlet(new ServletHolder(AdminApi.builder(apiKeys)
                .callers(callers).build()), "/admin/api-keys/*"));
        base = "http://127.0.0.1:" + Jetty.port(server) + "/admin/api-keys";
        key92 = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build()).plaintext();
        key7 = apiKeys.create(KeySpec.builder("other").tenantId("7").scopes("events:read").build()).plaintext();
        for (int i = 0; i < 4; i++) {
            apiKeys.verify(key92, "events:read");
        }
        apiKeys.verify(key92, "webhooks:write");
        apiKeys.verify(key7, null);
        apiKeys.verify("wlcro_92_garbage", null);
        apiKeys.usage().flush();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        apiKeys.close();
    }

    private static String idOf(String key) {
        int token = key.length() - KeyFormat.TOKEN_LENGTH;
        return key.substring(token, token + KeyFormat.KEY_ID_LENGTH);
    }

    private HttpResponse<String> get(String path, String caller) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Test-Caller", caller)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        OpenApiCheck.PUBLISHED.check("GET", path, r);
        return r;
    }

    @Test
    void aKeysSeriesHasTheCountsByOutcomeInItsBuckets() throws Exception {
        HttpResponse<String> r = get("/keys/" + idOf(key92) + "/usage?from=2026-12-03T10:00:00Z&to=2026-12-03T11:00:00Z"
                + "&bucket=minute", "92");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("series").asText()).isEqualTo("key");
        assertThat(body.path("key_id").asText()).isEqualTo(idOf(key92));
        assertThat(body.path("tenant_id").asText()).isEqualTo("92");
        assertThat(body.path("bucket").asText()).isEqualTo("minute");
        assertThat(body.path("calls").asLong()).isEqualTo(5);
        assertThat(body.path("granted").asLong()).isEqualTo(4);
        assertThat(body.path("refusal_rate").asDouble()).isEqualTo(0.2);
        assertThat(body.path("outcomes").path("insufficient_scope").asLong()).isEqualTo(1);
        assertThat(body.path("points")).hasSize(60);
        JsonNode half = body.path("points").get(30);
        assertThat(half.path("start").asText()).isEqualTo("2026-12-03T10:30:00Z");
        assertThat(half.path("granted").asLong()).isEqualTo(4);
        assertThat(half.path("refused").asLong()).isEqualTo(1);
    }

    @Test
    void theDefaultRangeIsTheLast24HoursInHours() throws Exception {
        JsonNode body = JSON.readTree(get("/keys/" + idOf(key92) + "/usage", "92").body());

        assertThat(body.path("bucket").asText()).isEqualTo("hour");
        assertThat(body.path("to").asText()).isEqualTo(NOW.toString());
        assertThat(body.path("points")).hasSize(25);
        assertThat(body.path("calls").asLong()).isEqualTo(5);
    }

    @Test
    void aTenantsOverviewHasItsTotalsAndTopListsAndIsTenantScoped() throws Exception {
        JsonNode body = JSON.readTree(get("/usage?tenant=92", "92").body());
        assertThat(body.path("series").asText()).isEqualTo("tenant");
        assertThat(body.path("calls").asLong()).as("the garbage naming tenant 92 is not its").isEqualTo(5);
        assertThat(body.path("busiest").get(0).path("key_id").asText()).isEqualTo(idOf(key92));
        assertThat(body.path("most_refused").get(0).path("refused").asLong()).isEqualTo(1);
        assertThat(body.path("busiest")).hasSize(1);

        assertThat(get("/usage?tenant=7", "92").statusCode()).as("another tenant's overview").isEqualTo(404);
        assertThat(get("/keys/" + idOf(key7) + "/usage", "92").statusCode()).as("another tenant's key")
                .isEqualTo(404);
        HttpResponse<String> noTenant = get("/usage", "92");
        assertThat(noTenant.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(noTenant.body()).path("field").asText()).isEqualTo("tenant");
    }

    @Test
    void aCallerOfEveryTenantSeesEveryKeyAndTheUnknownSeries() throws Exception {
        JsonNode body = JSON.readTree(get("/usage", "all").body());

        assertThat(body.path("series").asText()).isEqualTo("unknown");
        assertThat(body.path("outcomes").path("malformed_api_key").asLong()).isEqualTo(1);
        assertThat(body.path("busiest")).extracting(n -> n.path("key_id").asText())
                .containsExactly(idOf(key92), idOf(key7));
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() throws Exception {
        String key = "/keys/" + idOf(key92) + "/usage";
        for (String[] c : new String[][] {{"?bucket=week", "bucket"}, {"?from=yesterday", null},
                {"?from=2026-12-03&to=2026-12-02", "from"}, {"?from=0001-01-01", "from"}, {"?limit=5", "limit"},
                {"?bucket=minute&from=2026-01-01", null}}) {
            HttpResponse<String> r = get(key + c[0], "92");
            assertThat(r.statusCode()).as(c[0]).isEqualTo(422);
            if (c[1] != null) {
                assertThat(JSON.readTree(r.body()).path("field").asText()).as(c[0]).isEqualTo(c[1]);
            }
        }
        assertThat(get("/usage?tenant=92&limit=0", "92").statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(get("/usage?tenant=92&limit=0", "92").body()).path("field").asText())
                .isEqualTo("limit");
    }
}
