package dev.apikey.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What anonymous clients can make the example hold (the review of issue 30): slow request bodies refused with 401
 * hold no thread (Tomcat does not read a refused body on), and anonymous requests to the form-login chain make no
 * session (only the console's pages are saved for after the sign-in). Traffic to 127.0.0.1 only, bounded in count
 * and time. The server runs with 16 threads, so that a few dozen slow senders would take them all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:floods;DB_CLOSE_DELAY=-1", "server.tomcat.threads.max=16"})
class AnonymousFloodsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final int SENDERS = 48;

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void slowBodiesWithoutAKeyHoldNoThreadAndAGrantedCallAnswers() throws Exception {
        String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
        List<Socket> senders = new ArrayList<>();
        ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slow-senders");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < SENDERS; i++) {
                Socket s = new Socket("127.0.0.1", port);
                senders.add(s);
                s.getOutputStream().write(("POST /api/v1/webhooks/subscriptions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            // A byte from each every half second: a body that never ends.
            pump.scheduleAtFixedRate(() -> {
                for (Socket s : senders) {
                    try {
                        s.getOutputStream().write(' ');
                    } catch (IOException e) {
                        // closed by the server: what is wanted
                    }
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            // Each refused sender is answered 401 at once; before, Tomcat then read its body on, a thread apiece.
            HttpResponse<String> events = get("/api/v1/events", key);
            assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
        } finally {
            pump.shutdownNow();
            assertThat(pump.awaitTermination(5, TimeUnit.SECONDS)).as("the senders stopped").isTrue();
            for (Socket s : senders) {
                s.close();
            }
        }
    }

    @Test
    void anonymousRequestsToTheFormLoginChainMakeNoSessionButTheConsolesPagesAreRemembered() throws Exception {
        for (String path : new String[] {"/anything-1", "/actuator/metrics", "/login?x"}) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.headers().allValues("Set-Cookie")).as(path).noneMatch(c -> c.startsWith("JSESSIONID="));
        }
        HttpResponse<String> console = get("/admin/", null);
        assertThat(console.statusCode()).isEqualTo(302);
        assertThat(console.headers().allValues("Set-Cookie")).as("the console's page is saved for after the sign-in")
                .anyMatch(c -> c.startsWith("JSESSIONID="));
    }
}
