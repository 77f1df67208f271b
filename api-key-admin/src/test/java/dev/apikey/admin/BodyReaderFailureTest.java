package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/**
 * A handler that fails after its body was read (a bug, an exception it did not expect) is answered 500
 * {@code internal_error}: with async support the request used to complete as it stood, an empty 200 that a sender
 * such as GitHub's secret scanning takes for success and never retries; without it the container's error page
 * showed the exception's text.
 */
class BodyReaderFailureTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aFailingHandlerIsAnswered500WithAProblemAndNotItsExceptionsText() throws Exception {
        for (boolean async : new boolean[] {false, true}) {
            BodyReader bodies = new BodyReader(BodyLimits.defaults(), "urn:apikey:problem:");
            HttpServlet servlet = new HttpServlet() {
                @Override
                protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    bodies.read(req, resp, 1024, body -> {
                        throw new IllegalStateException("a bug that names wlcro_92_secret");
                    });
                }
            };
            Server server = Jetty.start(context -> {
                ServletHolder holder = new ServletHolder(servlet);
                holder.setAsyncSupported(async);
                context.addServlet(holder, "/in");
            });
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + Jetty.port(server) + "/in")).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(r.statusCode()).as("async " + async).isEqualTo(500);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                        t -> assertThat(t).startsWith("application/problem+json"));
                JsonNode problem = new ObjectMapper().readTree(r.body());
                assertThat(problem.path("code").asText()).isEqualTo("internal_error");
                assertThat(r.body()).doesNotContain("wlcro_92_secret").doesNotContain("IllegalStateException");
            } finally {
                server.stop();
                bodies.close();
            }
        }
    }
}
