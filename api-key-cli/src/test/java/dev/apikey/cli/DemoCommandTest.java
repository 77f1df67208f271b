package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
            assertThat(send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/whoami"))
                    .header("Authorization", "Bearer " + key)).body()).contains("\"name\":\"demo\"");
        } finally {
            server.stop();
            DemoCommand.onStarted = null;
        }
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
