package dev.apikey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The tests' HTTP client, and what they assert of a refusal. */
final class Answers {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Answers() {
    }

    /** Sends a GET with these header name, value pairs and the extra headers. */
    static HttpResponse<String> send(URI uri, Map<String, String> extra, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        extra.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The same problem: status, headers and body. */
    static void assertSameRefusal(String what, HttpResponse<String> gateway, HttpResponse<String> servlet) {
        assertThat(gateway.statusCode()).as(what).isBetween(400, 599).isEqualTo(servlet.statusCode());
        assertThat(gateway.body()).as(what).isEqualTo(servlet.body());
        for (String name : new String[] {"Cache-Control", "WWW-Authenticate", "Retry-After", "RateLimit",
            "RateLimit-Policy", "Allow"}) {
            assertThat(gateway.headers().allValues(name)).as(what + ": " + name)
                    .isEqualTo(servlet.headers().allValues(name));
        }
        assertThat(gateway.headers().firstValue("Content-Type").orElseThrow()).as(what)
                .isEqualToIgnoringCase(servlet.headers().firstValue("Content-Type").orElseThrow());
    }

    /** A problem of this status and code, with the headers every problem has. */
    static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(code).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).as(code).contains("application/problem+json;charset=UTF-8");
        assertThat(r.headers().firstValue("Cache-Control")).as(code).contains("no-store");
        assertThat(r.body()).as(code).contains("\"code\":\"" + code + "\"");
        if (status == 401) {
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(code).get().asString().startsWith("Bearer realm=\"api\"");
        }
    }
}
