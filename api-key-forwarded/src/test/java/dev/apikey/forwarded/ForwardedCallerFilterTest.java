package dev.apikey.forwarded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.ScopeCatalog;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upstream's filter on Jetty 12 (127.0.0.1, ephemeral port), over real HTTP. */
class ForwardedCallerFilterTest {

    private static final SignedCaller SIGNER = SignedCaller.withSecret("0123456789abcdef0123456789abcdef-upstream",
            ForwardedHeaders.DEFAULTS);
    private static final ScopeCatalog CATALOG = ScopeCatalog.builder().scope("events:read", "Read events")
            .wildcard("reports:*", "Every report scope").scope("reports:read", "Read reports")
            .superScope("admin", "Everything").build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ForwardedCallerFilter filter = ForwardedCallerFilter.builder(SIGNER).catalog(CATALOG)
                .requireScope("/api/reports", "reports:read").requireScope("/api/admin/", "admin").build();
        context.addFilter(new FilterHolder(filter), "/api/*", EnumSet.allOf(DispatcherType.class));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                ForwardedCaller caller = (ForwardedCaller) req.getAttribute(ForwardedCallerFilter.CALLER_ATTRIBUTE);
                resp.getWriter().write("principal=" + req.getUserPrincipal().getName() + " attribute="
                        + caller.keyId() + " tenant=" + caller.tenantId().orElse("-") + " authType="
                        + req.getAuthType() + " reports:read=" + req.isUserInRole("reports:read")
                        + " events:read=" + req.isUserInRole("events:read"));
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    private static HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> signed(String pathAndQuery, List<String> scopes, Instant at) {
        return SIGNER.sign("GET", pathAndQuery, ForwardedCaller.of("3kTz9QbC", "acme", scopes), at);
    }

    @Test
    void aSignedCallerIsThePrincipal() throws Exception {
        HttpResponse<String> r = get("/api/events?x=1", signed("/api/events?x=1", List.of("reports:*"),
                Instant.now()));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("principal=3kTz9QbC attribute=3kTz9QbC tenant=acme authType=API_KEY "
                + "reports:read=true events:read=false");
    }

    @Test
    void anUnsignedRequestIsRefusedWithTheProblem() throws Exception {
        HttpResponse<String> r = get("/api/events", Map.of());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).isEqualToIgnoringCase(
                "application/problem+json;charset=UTF-8");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"api\", error=\"invalid_token\"");
        assertThat(r.body()).isEqualTo(new String(dev.apikey.model.Problem.of(ForwardedCallerFilter.SIGNATURE_MISSING,
                ForwardedCallerFilter.SIGNATURE_MISSING.detail()).body(dev.apikey.ProblemTypes.DEFAULT_BASE),
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.body()).contains("\"code\":\"gateway_signature_missing\"");
    }

    @Test
    void anOldOrFutureSignatureIsRefusedAsExpired() throws Exception {
        HttpResponse<String> old = get("/api/events", signed("/api/events", List.of(),
                Instant.now().minus(Duration.ofMinutes(6))));
        HttpResponse<String> ahead = get("/api/events", signed("/api/events", List.of(),
                Instant.now().plus(Duration.ofMinutes(6))));

        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(old.body()).contains("\"code\":\"gateway_signature_expired\"");
        assertThat(ahead.statusCode()).isEqualTo(401);
        assertThat(ahead.body()).contains("\"code\":\"gateway_signature_expired\"");
    }

    @Test
    void headersSignedForAnotherPathOrQueryAreRefused() throws Exception {
        HttpResponse<String> path = get("/api/admin/users", signed("/api/events", List.of("admin"), Instant.now()));
        HttpResponse<String> query = get("/api/events?all=true", signed("/api/events", List.of(), Instant.now()));

        assertThat(path.statusCode()).isEqualTo(401);
        assertThat(path.body()).contains("\"code\":\"gateway_signature_invalid\"");
        assertThat(query.statusCode()).isEqualTo(401);
        assertThat(query.body()).contains("\"code\":\"gateway_signature_invalid\"");
    }

    @Test
    void aPathsScopeIsRequiredWithImpliedScopesApplied() throws Exception {
        HttpResponse<String> lacking = get("/api/reports/monthly", signed("/api/reports/monthly",
                List.of("events:read"), Instant.now()));
        HttpResponse<String> wildcard = get("/api/reports/monthly", signed("/api/reports/monthly",
                List.of("reports:*"), Instant.now()));
        HttpResponse<String> admin = get("/api/admin", signed("/api/admin", List.of("admin"), Instant.now()));
        HttpResponse<String> notAdmin = get("/api/admin/x", signed("/api/admin/x", List.of("reports:*"),
                Instant.now()));
        HttpResponse<String> sibling = get("/api/administrator", signed("/api/administrator", List.of(),
                Instant.now()));

        assertThat(lacking.statusCode()).isEqualTo(403);
        assertThat(lacking.body()).contains("\"code\":\"insufficient_scope\"");
        assertThat(wildcard.statusCode()).isEqualTo(200);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(notAdmin.statusCode()).isEqualTo(403);
        assertThat(sibling.statusCode()).isEqualTo(200);
    }
}
