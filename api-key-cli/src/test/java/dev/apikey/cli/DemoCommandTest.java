package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.KeyFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo over real HTTP: the printed key is granted, no key is 401, a missing scope is 403. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void theDemoServesTheSeedApiBehindTheFilter() throws Exception {
        CompletableFuture<Server> started = new CompletableFuture<>();
        DemoCommand.onStarted = started::complete;
        StringWriter out = new StringWriter();
        String db = "jdbc:h2:" + dir.resolve("keys").toAbsolutePath();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> ApiKeyCli.commandLine(
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .execute("--db", db, "demo", "--port", "0"));
        Server server = started.get(60, TimeUnit.SECONDS);
        try {
            Matcher port = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)").matcher(out.toString());
            assertThat(port.find()).isTrue();
            String base = "http://127.0.0.1:" + port.group(1);
            String key = ApiKeyCliTest.keyIn(out.toString());
            assertThat(out.toString()).contains("curl -i -H 'X-Api-Key: " + key + "' " + base + "/api/v1/events");
            HttpClient http = HttpClient.newHttpClient();

            assertThat(send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).header("X-Api-Key", key))
                    .statusCode()).isEqualTo(200);
            HttpResponse<String> anonymous = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/events")));
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("missing_api_key");
            HttpResponse<String> admin = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/events/test"))
                    .header("X-Api-Key", key).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(admin.statusCode()).isEqualTo(403);
            assertThat(admin.body()).contains("insufficient_scope");
            // Issue 26: the demo key manages tenant 92's keys but grants no scope it does not hold, itself included.
            HttpResponse<String> escalate = send(http, HttpRequest.newBuilder(URI.create(base + "/admin/api-keys/keys"))
                    .header("X-Api-Key", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"tenant_id\":\"92\","
                            + "\"scopes\":[\"admin\"]}")));
            assertThat(escalate.statusCode()).as(escalate.body()).isEqualTo(403);
            assertThat(escalate.body()).contains("\"code\":\"scope_not_grantable\"").contains("\"scopes\":[\"admin\"]");
            String keyId = key.substring(key.length() - 46, key.length() - 38);
            HttpResponse<String> raiseSelf = send(http, HttpRequest.newBuilder(URI.create(base + "/admin/api-keys/keys/"
                    + keyId)).header("X-Api-Key", key).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"admin\"]}")));
            assertThat(raiseSelf.statusCode()).as(raiseSelf.body()).isEqualTo(403);
            assertThat(send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/whoami"))
                    .header("Authorization", "Bearer " + key)).body()).contains("\"name\":\"demo\"");

            assertThat(out.toString()).contains(base + "/admin/");
            HttpResponse<String> console = send(http, HttpRequest.newBuilder(URI.create(base + "/admin/")));
            assertThat(console.statusCode()).isEqualTo(200);
            assertThat(console.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                    csp -> assertThat(csp).contains("script-src 'self'"));
            assertThat(send(http, HttpRequest.newBuilder(URI.create(base + "/admin/api-keys/keys"))).statusCode())
                    .as("no anonymous management").isEqualTo(401);
            HttpResponse<String> keys = send(http, HttpRequest.newBuilder(URI.create(base + "/admin/api-keys/keys"))
                    .header("Authorization", "Bearer " + key));
            assertThat(keys.statusCode()).isEqualTo(200);
            assertThat(keys.body()).contains("\"name\":\"demo\"").doesNotContain(key);

            String demoId = KeyFormat.of("wlcro").parse(key).orElseThrow().keyId();
            String other = ApiKeyCliTest.keyIn(createdKey(db));
            String otherId = KeyFormat.of("wlcro").parse(other).orElseThrow().keyId();
            HttpResponse<String> disabled = send(http, HttpRequest.newBuilder(URI.create(base + "/admin/api-keys/keys/"
                    + otherId + "/disable")).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
            assertThat(send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).header("X-Api-Key", other))
                    .body()).contains("disabled_api_key");
            assertThat(demoId).isNotEqualTo(otherId);
            StringWriter meteredOut = new StringWriter();
            ApiKeyCli.commandLine(new PrintWriter(meteredOut, true), new PrintWriter(new StringWriter(), true))
                    .execute("--db", db, "create", "--tenant", "92", "--name", "metered", "--scope", "events:read",
                            "--quota", "10/day");
            String metered = ApiKeyCliTest.keyIn(meteredOut.toString());
            assertThat(send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).header("X-Api-Key",
                    metered)).statusCode()).isEqualTo(200);
            assertThat(send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/whoami")).header("X-Api-Key",
                    metered)).body()).contains("\"quota\":{\"calls\":10,\"period\":\"day\"}")
                    .contains("\"quota_remaining\":8"); // the events call and whoami itself
            HttpResponse<String> checksum = send(http, HttpRequest.newBuilder(URI.create(base + "/scanner/verify"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"d\":{\"key\":[\"" + key + "\"]}}")));
            assertThat(checksum.statusCode()).as("TruffleHog's checksum check, public").isEqualTo(200);

            int p = Integer.parseInt(port.group(1));
            String badLine = raw(p, "GET /api/v1/events HTTP/1.1 extra\r\nHost: x\r\n\r\n");
            assertThat(badLine).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("\"code\":\"bad_request\"").contains("\"type\":\"urn:apikey:problem:bad_request\"")
                    .doesNotContain("<html");
            String hugeHeader = raw(p, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                    + "\r\n\r\n");
            assertThat(hugeHeader).startsWith("HTTP/1.1 431").containsIgnoringCase("application/problem+json")
                    .contains("\"status\":431").doesNotContain("<html").doesNotContain("aaaa");
        } finally {
            server.stop();
            DemoCommand.onStarted = null;
        }
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        CliLeakCheck.output(new String[] {"demo"}, out.toString());
    }

    /** One in-process run of the demo on a free port: its server, base address, what it printed, its exit. */
    record DemoRun(Server server, String base, String out, CompletableFuture<Integer> exit) {
        void stop() throws Exception {
            server.stop();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
            CliLeakCheck.output(new String[] {"demo"}, out);
        }
    }

    /** Starts the demo on the database and waits (60 s at most) until it serves. */
    private static DemoRun startDemo(String db) throws Exception {
        CompletableFuture<Server> started = new CompletableFuture<>();
        DemoCommand.onStarted = started::complete;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> ApiKeyCli.commandLine(
                    new PrintWriter(out, true), new PrintWriter(err, true)).execute("--db", db, "demo", "--port", "0"));
            CompletableFuture.anyOf(started, exit).get(60, TimeUnit.SECONDS);
            assertThat(started).as("the demo started; it printed: %s", err).isDone();
            Matcher port = Pattern.compile("Demo API on (http://127\\.0\\.0\\.1:\\d+)").matcher(out.toString());
            assertThat(port.find()).as(out.toString()).isTrue();
            return new DemoRun(started.get(), port.group(1), out.toString(), exit);
        } finally {
            DemoCommand.onStarted = null;
        }
    }

    private static int status(String base, String key) throws Exception {
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .header("X-Api-Key", key)).statusCode();
    }

    @Test
    void aLaterRunKeepsTheEarlierDemoKeyWorkingForItsOverlapAndSaysSo() throws Exception {
        String db = "jdbc:h2:" + dir.resolve("keys").toAbsolutePath();
        KeyFormat format = KeyFormat.of("wlcro");
        DemoRun first = startDemo(db);
        String key1 = ApiKeyCliTest.keyIn(first.out());
        String id1 = format.parse(key1).orElseThrow().keyId();
        assertThat(first.out()).as("a first run replaces nothing").doesNotContain("replaces");
        first.stop();

        DemoRun second = startDemo(db);
        String key2 = ApiKeyCliTest.keyIn(second.out());
        String id2 = format.parse(key2).orElseThrow().keyId();
        try {
            assertThat(key2).isNotEqualTo(key1);
            assertThat(second.out()).contains("This run's demo key replaces the earlier run's (wlcro_92_" + id1
                    + "), which keeps working until 20").contains(" (24h overlap); end it now with: apikey revoke "
                    + "wlcro_92_" + id1);
            assertThat(status(second.base(), key1)).as("the key copied from the first run still works").isEqualTo(200);
            assertThat(status(second.base(), key2)).isEqualTo(200);
        } finally {
            second.stop();
        }

        DemoRun third = startDemo(db);
        try {
            String key3 = ApiKeyCliTest.keyIn(third.out());
            assertThat(third.out()).as("the newest demo key is the one replaced; the first is left to its overlap")
                    .contains("replaces the earlier run's (wlcro_92_" + id2 + ")").doesNotContain(id1);
            assertThat(status(third.base(), key1)).isEqualTo(200);
            assertThat(status(third.base(), key2)).isEqualTo(200);
            assertThat(status(third.base(), key3)).isEqualTo(200);
        } finally {
            third.stop();
        }
        ApiKeyCliTest.Run expiring = ApiKeyCliTest.run(dir, "list", "--status", "expiring");
        assertThat(expiring.out()).contains(id1).contains(id2);
    }

    /** Creates a key through the CLI on the demo's database, as another terminal would, and returns its output. */
    private static String createdKey(String db) {
        StringWriter out = new StringWriter();
        ApiKeyCli.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .execute("--db", db, "create", "--tenant", "92", "--name", "nightly", "--scope", "events:read");
        return out.toString();
    }

    /** One raw HTTP/1.1 exchange, for requests no client library would send; bounded by a 10 s timeout. */
    private static String raw(int port, String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException e) {
            return "reset: " + e.getMessage();
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
