package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of clients sending {@code POST /scanner/verify} bodies slowly, on 127.0.0.1 against Jetty 12: they are
 * answered 408 at their deadline or below the minimum rate, 503 past the concurrent readers, or cut, and an ordinary
 * granted call answers meanwhile.
 */
class SlowSendersTest {

    private static final int SENDERS = 300;
    private static final BodyLimits LIMITS = BodyLimits.defaults().deadline(Duration.ofSeconds(2))
            .minRate(1024, Duration.ofMillis(500)).maxReaders(64);

    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(ScopeCatalog.builder().scope("keys:manage", "Manage keys").build()).hasher(Sha256Hasher.create())
            .build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> sockets = new ArrayList<>();
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = Jetty.start(context -> {
            ServletHolder scanner = new ServletHolder(new ScannerVerifyServlet(apiKeys.keyFormat(), LIMITS));
            scanner.setAsyncSupported(true);
            context.addServlet(scanner, "/scanner/verify");
            ServletHolder admin = new ServletHolder(AdminApi.builder(apiKeys)
                    .callers(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage")).bodyLimits(LIMITS).build());
            admin.setAsyncSupported(true);
            context.addServlet(admin, "/admin/api-keys/*");
        });
        port = Jetty.port(server);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        server.stop();
        apiKeys.close();
    }

    @Test
    void slowSendersAreCutAndAnOrdinaryCallStillAnswers() throws Exception {
        String admin = apiKeys.create(KeySpec.builder("admin").tenantId("92").scopes("keys:manage").build())
                .plaintext();
        String head = "POST /scanner/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 4000\r\n\r\n{";
        for (int i = 0; i < SENDERS; i++) {
            sockets.add(RawHttp.send(port, head));
        }
        // Half of them trickle a byte now and then, far below the minimum rate; the rest say nothing more.
        for (int i = 0; i < SENDERS; i += 2) {
            RawHttp.trickle(sockets.get(i));
        }

        HttpResponse<String> ordinary = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/admin/api-keys/scopes")).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ordinary.statusCode()).as("a granted call while %d senders stall", SENDERS).isEqualTo(200);
        OpenApiCheck.PUBLISHED.check("GET", "/scopes", ordinary);

        Map<Integer, Integer> statuses = new HashMap<>();
        for (int i = 0; i < SENDERS; i++) {
            if (i % 2 == 0) {
                RawHttp.trickle(sockets.get(i));
            }
            String answer = RawHttp.answer(sockets.get(i), Duration.ofSeconds(10));
            int status = RawHttp.status(answer);
            statuses.merge(status, 1, Integer::sum);
            if (status == 503) {
                assertThat(answer).contains("Retry-After: 1").contains("too_many_senders");
            } else if (status == 408) {
                assertThat(answer).contains("body_timeout");
            }
        }
        assertThat(statuses.keySet()).as(statuses.toString()).isSubsetOf(408, 503, RawHttp.CUT);
        // Readers cut early (below the rate) free their place for later senders, so more than 64 may get a 408.
        assertThat(statuses.getOrDefault(503, 0)).as(statuses.toString()).isPositive();
        assertThat(statuses.getOrDefault(408, 0)).as(statuses.toString()).isPositive();

        // The readers are free again: a whole body is verified.
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/scanner/verify")).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        ScannerVerifyServletTest.candidate(admin))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(200);
    }
}
