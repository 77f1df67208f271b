package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's Jetty limits on their own, over real HTTP on 127.0.0.1: behind them is a servlet that reads a body
 * with no limit of its own (unlike the demo's scanner check, which has some), so only Jetty's settings stand
 * between slow clients and the thread pool.
 */
class DemoServerTest {

    /** Slow senders: more than Jetty's default 200 threads, which they all held before the limits. */
    static final int SLOW_SENDERS = 300;

    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new ReadsEverything()), "/scanner/verify");
        context.addServlet(new ServletHolder(new SeedApi.Endpoints()), "/*");
        server = DemoServer.create(0, context);
        server.start();
        port = DemoServer.port(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void anOrdinaryCallAnswersWhileHundredsOfClientsTrickleBodies() throws Exception {
        try (SlowSenders slow = SlowSenders.open(port, SLOW_SENDERS)) {
            HttpResponse<String> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/events")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(slow.trickled()).as("the slow senders were still sending").isPositive();
        }
    }

    @Test
    void anonymousSendersToTheScannerLeaveTheConsolesApiItsOwnPlaces() throws Exception {
        // More senders than the scanner's places, each fast enough for the data rate (about 1.3 KB/s) and far from
        // done: before, the console's API shared their places, waited MAX_WAIT and was refused with 503.
        try (SlowSenders ignored = SlowSenders.open(port, DemoServer.MAX_BODY_READERS + 4, 64, Duration.ofMillis(50))) {
            HttpResponse<String> admin = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/admin/api-keys/keys")).timeout(Duration.ofSeconds(15))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            // Queued behind the scanner's senders it would wait MAX_WAIT and then be refused with 503.
            assertThat(admin.statusCode()).as("not refused for want of a place").isNotEqualTo(503);
        }
    }

    @Test
    void aBodyArrivingBelowTheMinimumRateIsCutOffBeforeTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(200);
            OutputStreamHelper.write(socket, SlowSenders.HEAD);
            long deadline = System.nanoTime() + DemoServer.IDLE_TIMEOUT.toNanos() - TimeUnit.SECONDS.toNanos(1);
            String answer = null;
            while (answer == null && System.nanoTime() < deadline) {
                answer = OutputStreamHelper.trickleAndRead(socket);
            }
            assertThat(answer).as("cut off within the idle timeout: by the data rate").isNotNull();
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            long bound = DemoServer.IDLE_TIMEOUT.plusSeconds(10).toMillis();
            socket.setSoTimeout((int) bound);
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int n;
            try {
                while ((n = in.read(buffer)) >= 0) {
                    assertThat(new String(buffer, 0, n, StandardCharsets.ISO_8859_1)).doesNotContain("200");
                }
            } catch (SocketException e) {
                // reset: closed as well
            } catch (SocketTimeoutException e) {
                throw new AssertionError("not closed within " + bound + " ms", e);
            }
        }
    }

    @Test
    void responsesNameNoServer() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Server")).isEmpty();
        assertThat(health.headers().firstValue("X-Powered-By")).isEmpty();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /health HTTP/1.1 extra\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String refused = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(refused).startsWith("HTTP/1.1 400").doesNotContainIgnoringCase("server:")
                    .doesNotContain("Jetty");
        }
    }

    /** Reads the whole body, however long it takes: the servlet that slow senders used to pin down. */
    static final class ReadsEverything extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            req.getInputStream().readAllBytes();
            resp.setStatus(200);
        }
    }

    /** Raw socket steps for one slow sender. */
    static final class OutputStreamHelper {
        private OutputStreamHelper() {
        }

        static void write(Socket socket, String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }

        /** Sends one more byte and waits up to the socket's timeout for an answer: null if none yet. */
        static String trickleAndRead(Socket socket) throws IOException {
            try {
                write(socket, " ");
            } catch (SocketException e) {
                return "closed: " + e.getMessage();
            }
            byte[] buffer = new byte[512];
            try {
                int n = socket.getInputStream().read(buffer);
                return n < 0 ? "closed" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (SocketException e) {
                return "closed: " + e.getMessage();
            }
        }
    }

    /**
     * Hundreds of connections that each announce a 60,000-byte body to {@code POST /scanner/verify} and then send a
     * byte every 500 ms from one background thread, until closed (20 s at most).
     */
    static final class SlowSenders implements AutoCloseable {
        static final String HEAD = "POST /scanner/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                + "\r\nContent-Length: 60000\r\n\r\n{";

        private final List<Socket> sockets;
        private final byte[] round;
        private final java.util.concurrent.ScheduledExecutorService pump = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "slow-senders");
                    t.setDaemon(true);
                    return t;
                });
        private volatile long trickled;
        private final java.util.concurrent.CountDownLatch firstRound = new java.util.concurrent.CountDownLatch(1);

        private SlowSenders(List<Socket> sockets, int bytesPerRound) {
            this.sockets = sockets;
            this.round = " ".repeat(bytesPerRound).getBytes(StandardCharsets.US_ASCII);
        }

        /** Senders that trickle a byte every half second: far below the minimum data rate. */
        static SlowSenders open(int port, int count) throws Exception {
            return open(port, count, 1, Duration.ofMillis(500));
        }

        /**
         * Opens the connections, sends their heads, starts sending {@code bytesPerRound} bytes on each every
         * {@code every}, and returns once the first round is sent.
         */
        static SlowSenders open(int port, int count, int bytesPerRound, Duration every) throws Exception {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    Socket socket = new Socket("127.0.0.1", port);
                    sockets.add(socket);
                    OutputStreamHelper.write(socket, HEAD);
                }
            } catch (IOException e) {
                for (Socket s : sockets) {
                    s.close();
                }
                throw e;
            }
            SlowSenders senders = new SlowSenders(sockets, bytesPerRound);
            senders.pump.scheduleAtFixedRate(senders::sendRound, 0, every.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(senders.firstRound.await(10, TimeUnit.SECONDS)).as("the first round was sent").isTrue();
            return senders;
        }

        long trickled() {
            return trickled;
        }

        private void sendRound() {
            for (Socket socket : sockets) {
                try {
                    socket.getOutputStream().write(round);
                    trickled += round.length;
                } catch (IOException e) {
                    // closed by the server: what the limits are for
                }
            }
            firstRound.countDown();
        }

        @Override
        public void close() throws IOException {
            pump.shutdownNow();
            try {
                assertThat(pump.awaitTermination(5, TimeUnit.SECONDS)).as("the senders stopped").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
