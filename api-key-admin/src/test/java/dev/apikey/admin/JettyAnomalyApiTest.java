package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.AnomalyPolicy;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Anomaly;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.UsageSubject;
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
 * {@code GET /anomalies} and {@code GET /keys/{id}/anomalies} over real HTTP in Jetty 12: what the detection opened,
 * tenant-scoped (another tenant's key or list is 404), bad parameters 422 naming the parameter, 501 without detection.
 */
class JettyAnomalyApiTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:30:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store)
            .scopes(AdminApiContract.SCOPES).hasher(Sha256Hasher.create()).clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .anomalyDetection(AnomalyPolicy.defaults().withInterval(Duration.ofHours(1))).build();
    private final ApiKeys withoutDetection = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(AdminApiContract.SCOPES).hasher(Sha256Hasher.create()).build();
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
        server = Jetty.start(context -> {
            context.addServlet(new ServletHolder(AdminApi.builder(apiKeys).callers(callers).build()),
                    "/admin/api-keys/*");
            context.addServlet(new ServletHolder(AdminApi.builder(withoutDetection).callers(callers).build()),
                    "/plain/*");
        });
        base = "http://127.0.0.1:" + Jetty.port(server);
        key92 = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build()).plaintext();
        key7 = apiKeys.create(KeySpec.builder("other").tenantId("7").scopes("events:read").build()).plaintext();
        for (int i = 0; i < 30; i++) {
            apiKeys.verify(key92, "webhooks:write");
        }
        apiKeys.verify(key7, null);
        apiKeys.usage().flush();
        assertThat(apiKeys.anomalies().detectNow()).hasSize(2);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        apiKeys.close();
        withoutDetection.close();
    }

    private static String idOf(String key) {
        int token = key.length() - KeyFormat.TOKEN_LENGTH;
        return key.substring(token, token + KeyFormat.KEY_ID_LENGTH);
    }

    private HttpResponse<String> get(String path, String caller) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/api-keys" + path))
                .header("X-Test-Caller", caller).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        OpenApiCheck.PUBLISHED.check("GET", path, r);
        return r;
    }

    @Test
    void aTenantsAnomaliesAreItsOwnAndItsKeys() throws Exception {
        HttpResponse<String> r = get("/anomalies?tenant=92", "92");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(r.body()).get("anomalies");
        assertThat(list).hasSize(2);
        assertThat(list).allSatisfy(a -> {
            assertThat(a.get("kind").asText()).isEqualTo("refusal_burst");
            assertThat(a.get("tenant_id").asText()).isEqualTo("92");
            assertThat(a.get("observed").asLong()).isEqualTo(30);
            assertThat(a.get("open").asBoolean()).isTrue();
            assertThat(a.get("window_start").asText()).isEqualTo("2026-12-03T10:00:00Z");
        });
        assertThat(list.findValuesAsText("id")).containsExactlyInAnyOrder(
                "refusal_burst.key." + idOf(key92) + ".1796292000", "refusal_burst.tenant.92.1796292000");
        assertThat(r.body()).doesNotContain(key92.substring(key92.length() - KeyFormat.TOKEN_LENGTH
                + KeyFormat.KEY_ID_LENGTH));

        JsonNode ofKey = JSON.readTree(get("/keys/" + idOf(key92) + "/anomalies", "92").body()).get("anomalies");
        assertThat(ofKey).singleElement().satisfies(a -> assertThat(a.get("key_id").asText()).isEqualTo(idOf(key92)));
        assertThat(JSON.readTree(get("/anomalies", "all").body()).get("anomalies")).hasSize(2);
        assertThat(JSON.readTree(get("/anomalies?tenant=92&open=false&limit=1", "92").body()).get("anomalies"))
                .hasSize(1);
    }

    @Test
    void aNewCountryIsServedWithItsCountryAsTheDocumentSays() throws Exception {
        Instant hour = Instant.parse("2026-12-03T10:00:00Z");
        assertThat(store.openAnomaly(Anomaly.open(Anomaly.Kind.NEW_COUNTRY, UsageSubject.key(idOf(key7)), "7", hour,
                hour.plusSeconds(3_600), 1, 2, "FR", NOW))).isTrue();

        HttpResponse<String> r = get("/keys/" + idOf(key7) + "/anomalies", "7");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("anomalies")).singleElement().satisfies(a -> {
            assertThat(a.get("kind").asText()).isEqualTo("new_country");
            assertThat(a.get("detail").asText()).isEqualTo("FR");
            assertThat(a.get("id").asText()).isEqualTo("new_country.key." + idOf(key7) + ".1796292000.FR");
            assertThat(a.get("baseline").asLong()).isEqualTo(2);
        });
    }

    @Test
    void anotherTenantsAnomaliesAreNotFound() throws Exception {
        assertThat(get("/anomalies?tenant=92", "7").statusCode()).isEqualTo(404);
        assertThat(get("/keys/" + idOf(key92) + "/anomalies", "7").statusCode()).isEqualTo(404);
        HttpResponse<String> own = get("/anomalies?tenant=7", "7");
        assertThat(JSON.readTree(own.body()).get("anomalies")).isEmpty();
        assertThat(get("/keys/" + idOf(key7) + "/anomalies", "7").statusCode()).isEqualTo(200);
    }

    @Test
    void badParametersAreNamed() throws Exception {
        String[][] cases = {
            {"/anomalies", "tenant"},
            {"/anomalies?tenant=92&open=maybe", "open"},
            {"/anomalies?tenant=92&limit=0", "limit"},
            {"/anomalies?tenant=92&limit=1001", "limit"},
            {"/anomalies?tenant=92&since=1d", "since"},
            {"/anomalies?tenant=92&open=true&open=false", "open"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = get(c[0], "92");
            assertThat(r.statusCode()).as(c[0]).isEqualTo(422);
            assertThat(r.body()).as(c[0]).contains(c[1]);
        }
    }

    @Test
    void aHostWithoutDetectionAnswers501() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/plain/anomalies"))
                .header("X-Test-Caller", "all").timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        OpenApiCheck.PUBLISHED.check("GET", "/anomalies", r);
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(r.body()).contains("anomalyDetection");
    }
}
