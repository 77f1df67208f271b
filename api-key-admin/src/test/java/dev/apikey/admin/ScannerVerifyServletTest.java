package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** TruffleHog's verify call, over real HTTP: 200 only for candidates whose checksum holds. */
class ScannerVerifyServletTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    int verify(String base, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/scanner/verify")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String candidate(String key) {
        return "{\"apikey-wlcro\":{\"key\":[\"" + key + "\"]}}";
    }

    @Test
    void onlyCandidatesWithAValidChecksumAreVerified() throws Exception {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("events:read", "Read").build()).hasher(Sha256Hasher.create())
                .build()) {
            String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
            String neverIssued = "wlcro_" + "A".repeat(KeyFormat.TOKEN_LENGTH - KeyFormat.CHECKSUM_LENGTH);
            neverIssued += KeyFormat.checksum(neverIssued);
            char last = key.charAt(key.length() - 1);
            String typo = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
            Server server = Jetty.start(context -> context.addServlet(
                    new ServletHolder(new ScannerVerifyServlet(apiKeys.keyFormat())), "/scanner/verify"));
            try {
                String base = "http://127.0.0.1:" + Jetty.port(server);

                assertThat(verify(base, candidate(key))).isEqualTo(200);
                assertThat(verify(base, candidate(neverIssued))).as("a checksum check, no lookup").isEqualTo(200);
                assertThat(verify(base, candidate(typo))).isEqualTo(403);
                assertThat(verify(base, candidate("wlcro_92_example-key-do-not-use"))).isEqualTo(403);
                assertThat(verify(base, "{\"d\":{\"key\":[\"" + key + "\",\"" + typo + "\"]}}")).isEqualTo(403);
                assertThat(verify(base, "{}")).isEqualTo(403);
                // Not JSON, or past the module's JSON limits: a 400 problem, never a 500 with a stack trace.
                assertThat(verify(base, "not json")).isEqualTo(400);
                assertThat(verify(base, "[".repeat(5000))).isEqualTo(400);
                assertThat(verify(base, "{\"d\":{\"key\":[\"" + key + "\"]},\"d\":{}}")).as("a member twice")
                        .isEqualTo(400);
                for (int i = 0; i < 5; i++) {
                    // Answered after the body is read, so the client, still sending, always gets to read the 413.
                    assertThat(verify(base, "[\"" + "x".repeat(70_000) + "\"]")).isEqualTo(413);
                }
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void mountedWithoutAsyncSupportASlowBodyIsStillCutAndTheReadersCapped() throws Exception {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("events:read", "Read").build()).hasher(Sha256Hasher.create())
                .build()) {
            // A plain ServletHolder: no async support, so the body is read blocking and checked after each read.
            Server server = Jetty.start(context -> context.addServlet(new ServletHolder(new ScannerVerifyServlet(
                    apiKeys.keyFormat(), BodyLimits.defaults().deadline(Duration.ofMinutes(5))
                            .minRate(1024, Duration.ofMillis(200)).maxReaders(1))), "/scanner/verify"));
            String head = "POST /scanner/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 4000\r\n\r\n{";
            java.net.Socket slow = null;
            try {
                String base = "http://127.0.0.1:" + Jetty.port(server);
                int busy = 0;
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (busy != 503 && System.nanoTime() < until) {
                    // A check that arrives while the slow sender's request is being dispatched takes the reader
                    // first and the slow sender gets the 503: then it sends again.
                    if (slow == null || RawHttp.answered(slow)) {
                        if (slow != null) {
                            slow.close();
                        }
                        slow = RawHttp.send(Jetty.port(server), head);
                    }
                    busy = verify(base, "{}");
                }
                assertThat(busy).as("the one reader is taken by the slow sender").isEqualTo(503);
                String answer = "";
                for (int i = 0; i < 50 && answer.isEmpty(); i++) {
                    RawHttp.trickle(slow);
                    slow.setSoTimeout(100);
                    try {
                        int b = slow.getInputStream().read();
                        answer = b < 0 ? "" : String.valueOf((char) b);
                    } catch (java.net.SocketTimeoutException stillSending) {
                        // no answer yet
                    }
                }
                answer += RawHttp.answer(slow, Duration.ofSeconds(10));
                assertThat(RawHttp.status(answer)).as("cut below the rate, long before the 5-minute deadline")
                        .isEqualTo(408);
                assertThat(verify(base, "{}")).as("the reader is free again").isEqualTo(403);
            } finally {
                if (slow != null) {
                    slow.close();
                }
                server.stop();
            }
        }
    }
}
