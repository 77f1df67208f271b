package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.webhooks.TenantWebhooks;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /tenants/{id}/webhooks} over real HTTP in Jetty 12: a public https endpoint is registered and its secret shown
 * once; names resolving to loopback, private, link-local, unique-local or IPv4-mapped addresses are refused with 422
 * naming {@code url}, and nothing is stored; another tenant's endpoints are 404; every answer is the OpenAPI
 * document's. Names resolve through a table (no DNS server in tests), as a host's resolver would.
 */
class JettyWebhooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> DNS = Map.of("hooks.example.com", "93.184.215.14",
            "loopback.example", "127.0.0.1", "internal.example", "10.20.30.40", "metadata.example", "169.254.169.254",
            "v6loopback.example", "::1", "ula.example", "fc00::5", "mapped.example", "::ffff:10.0.0.1");

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(AdminApiContract.SCOPES)
            .hasher(Sha256Hasher.create()).build();
    private final TenantWebhooks registry = TenantWebhooks.builder(store).resolver(host -> {
        String a = DNS.get(host);
        if (a == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(a)};
    }).build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        CallerResolver callers = req -> Optional.ofNullable(req.getHeader("X-Test-Caller"))
                .map(who -> Caller.ofTenants("admin-" + who, Set.of(who)));
        server = Jetty.start(context -> context.addServlet(new ServletHolder(AdminApi.builder(apiKeys)
                .callers(callers).webhooks(registry).build()), "/admin/api-keys/*"));
        base = "http://127.0.0.1:" + Jetty.port(server) + "/admin/api-keys";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        apiKeys.close();
    }

    private HttpResponse<String> send(String method, String path, String caller, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("X-Test-Caller", caller)
                .timeout(Duration.ofSeconds(10));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        OpenApiCheck.PUBLISHED.check(method, path, r);
        return r;
    }

    @Test
    void aTenantRegistersAPublicHttpsEndpointAndSeesItsSecretOnce() throws Exception {
        HttpResponse<String> created = send("POST", "/tenants/92/webhooks", "92",
                "{\"url\":\"https://hooks.example.com/api-keys\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String secret = body.path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(body.path("url").asText()).isEqualTo("https://hooks.example.com/api-keys");

        HttpResponse<String> list = send("GET", "/tenants/92/webhooks", "92", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).doesNotContain("whsec_")
                .contains(body.path("webhook_id").asText());
        assertThat(registry.list("92")).singleElement().extracting(w -> w.secret()).isEqualTo(secret);

        assertThat(send("GET", "/tenants/92/webhooks", "93", null).statusCode()).as("another tenant").isEqualTo(404);
        assertThat(send("DELETE", "/tenants/92/webhooks/" + body.path("webhook_id").asText(), "93", null)
                .statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/tenants/92/webhooks/" + body.path("webhook_id").asText(), "92", null)
                .statusCode()).isEqualTo(204);
        assertThat(registry.list("92")).isEmpty();
    }

    @Test
    void namesResolvingToNonPublicAddressesAreRefusedWith422NamingUrl() throws Exception {
        for (String host : new String[] {"loopback.example", "internal.example", "metadata.example",
                "v6loopback.example", "ula.example", "mapped.example", "127.0.0.1", "[::1]", "169.254.169.254"}) {
            HttpResponse<String> r = send("POST", "/tenants/92/webhooks", "92",
                    "{\"url\":\"https://" + host + "/hook\"}");
            assertThat(r.statusCode()).as(host).isEqualTo(422);
            JsonNode problem = JSON.readTree(r.body());
            assertThat(problem.path("field").asText()).as(host).isEqualTo("url");
            assertThat(problem.path("detail").asText()).as(host)
                    .startsWith("url must resolve only to public addresses: ");
            if (DNS.containsKey(host)) {
                assertThat(problem.path("detail").asText()).as("the address a name resolves to is not told")
                        .doesNotContain(DNS.get(host));
            }
        }
        HttpResponse<String> http = send("POST", "/tenants/92/webhooks", "92", "{\"url\":\"http://hooks.example.com/\"}");
        assertThat(http.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(http.body()).path("detail").asText()).isEqualTo("url must use https");
        HttpResponse<String> extra = send("POST", "/tenants/92/webhooks", "92",
                "{\"url\":\"https://hooks.example.com/\",\"secret\":\"mine\"}");
        assertThat(extra.statusCode()).isEqualTo(422);
        assertThat(registry.list("92")).as("nothing stored").isEmpty();
    }

    @Test
    void withoutTheRegistryTheEndpointsAreNotFound() throws Exception {
        server.stop();
        CallerResolver callers = req -> Optional.of(Caller.ofTenants("admin-92", Set.of("92")));
        server = Jetty.start(context -> context.addServlet(new ServletHolder(AdminApi.builder(apiKeys)
                .callers(callers).build()), "/admin/api-keys/*"));
        base = "http://127.0.0.1:" + Jetty.port(server) + "/admin/api-keys";
        assertThat(send("GET", "/tenants/92/webhooks", "92", null).statusCode()).isEqualTo(404);
    }

    @Test
    void anEndpointDisabledFor410ShowsWhenAndWhyAndRegisteringItAgainEnablesIt() throws Exception {
        JsonNode created = JSON.readTree(send("POST", "/tenants/92/webhooks", "92",
                "{\"url\":\"https://hooks.example.com/gone\"}").body());
        String id = created.path("webhook_id").asText();
        assertThat(created.path("disabled_at").isNull()).isTrue();
        // What the channel does when the endpoint answers 410 Gone (GoneEndpointTest delivers for real).
        assertThat(registry.disable("92", id, TenantWebhooks.GONE_REASON)).isTrue();

        HttpResponse<String> list = send("GET", "/tenants/92/webhooks", "92", null);

        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode disabled = JSON.readTree(list.body()).path("webhooks").get(0);
        assertThat(disabled.path("webhook_id").asText()).isEqualTo(id);
        assertThat(disabled.path("disabled_reason").asText()).isEqualTo("answered 410 Gone");
        assertThat(java.time.Instant.parse(disabled.path("disabled_at").asText())).isNotNull();

        HttpResponse<String> again = send("POST", "/tenants/92/webhooks", "92",
                "{\"url\":\"https://hooks.example.com/gone\"}");
        assertThat(again.statusCode()).isEqualTo(201);
        JsonNode listed = JSON.readTree(send("GET", "/tenants/92/webhooks", "92", null).body()).path("webhooks");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("webhook_id").asText()).isEqualTo(JSON.readTree(again.body())
                .path("webhook_id").asText());
        assertThat(listed.get(0).path("disabled_at").isNull()).isTrue();
    }
}
