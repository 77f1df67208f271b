package dev.apikey.forwarded;

import static org.assertj.core.api.Assertions.assertThat;

// README:gateway-upstream:imports:start
import dev.apikey.forwarded.ForwardedCallerFilter;
import dev.apikey.forwarded.ForwardedHeaders;
import dev.apikey.forwarded.SignedCaller;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
// README:gateway-upstream:imports:end
import dev.apikey.model.ScopeCatalog;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
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
            protected void service(HttpServletRequest req, HttpServletResponse resp)
                    throws IOException, jakarta.servlet.ServletException {
                if (req.getRequestURI().equals("/api/forward")) {
                    req.getRequestDispatcher("/api/events/forwarded").forward(req, resp);
                    return;
                }
                if (req.getRequestURI().equals("/api/named") && req.getDispatcherType() == DispatcherType.REQUEST) {
                    resp.getWriter().write("named[");
                    req.getServletContext().getNamedDispatcher("admin").include(req, resp);
                    resp.getWriter().write("]");
                    return;
                }
                if (req.getRequestURI().equals("/api/namedforward")
                        && req.getDispatcherType() == DispatcherType.REQUEST) {
                    req.getServletContext().getNamedDispatcher("admin").forward(req, resp);
                    return;
                }
                if (req.getRequestURI().endsWith("/page") && req.getDispatcherType() == DispatcherType.REQUEST) {
                    resp.getWriter().write("page[");
                    req.getRequestDispatcher("/api/admin/secret").include(req, resp);
                    resp.getWriter().write("]");
                    return;
                }
                ForwardedCaller caller = (ForwardedCaller) req.getAttribute(ForwardedCallerFilter.CALLER_ATTRIBUTE);
                resp.getWriter().write("principal=" + req.getUserPrincipal().getName() + " attribute="
                        + caller.keyId() + " tenant=" + caller.tenantId().orElse("-") + " authType="
                        + req.getAuthType() + " reports:read=" + req.isUserInRole("reports:read")
                        + " events:read=" + req.isUserInRole("events:read"));
            }
        }), "/*");
        // A servlet a dispatch by name reaches; the filter is mapped on its name too, as it must be for those.
        context.addServlet(new ServletHolder("admin", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write("ADMIN-ONLY");
            }
        }), "/api/admin/only");
        org.eclipse.jetty.ee10.servlet.FilterMapping byName = new org.eclipse.jetty.ee10.servlet.FilterMapping();
        byName.setFilterName(context.getServletHandler().getFilters()[0].getName());
        byName.setServletName("admin");
        byName.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        context.getServletHandler().addFilterMapping(byName);
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
    void anInternalForwardKeepsTheCallerCheckedOnTheRequest() throws Exception {
        HttpResponse<String> r = get("/api/forward", signed("/api/forward", List.of("events:read"), Instant.now()));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).startsWith("principal=3kTz9QbC attribute=3kTz9QbC");
    }

    @Test
    void anIncludeIsCheckedForTheScopeOfThePathItIncludes() throws Exception {
        // /api/page (checked) and /public/page (not mapped) both include /api/admin/secret, which needs admin.
        HttpResponse<String> checked = get("/api/page", signed("/api/page", List.of("events:read"), Instant.now()));
        HttpResponse<String> fromPublic = get("/public/page", signed("/public/page", List.of(), Instant.now()));
        HttpResponse<String> admin = get("/api/page", signed("/api/page", List.of("admin"), Instant.now()));

        // An include cannot set the status: the page is 200, and the problem stands where the content would be.
        assertThat(checked.body()).startsWith("page[{").contains("\"code\":\"insufficient_scope\"")
                .doesNotContain("principal=");
        assertThat(fromPublic.body()).startsWith("page[{").contains("\"code\":\"insufficient_scope\"")
                .doesNotContain("principal=");
        assertThat(admin.body()).startsWith("page[principal=3kTz9QbC");
    }

    @Test
    void aDispatchByNameNeedsEveryScopeOfTheRules() throws Exception {
        // Named dispatches have no path of their own: the admin servlet is reached with the dispatching request's path.
        HttpResponse<String> include = get("/api/named", signed("/api/named", List.of("events:read"), Instant.now()));
        HttpResponse<String> forward = get("/api/namedforward", signed("/api/namedforward", List.of("events:read"),
                Instant.now()));
        HttpResponse<String> admin = get("/api/named", signed("/api/named", List.of("admin"), Instant.now()));

        assertThat(include.body()).startsWith("named[{").contains("\"code\":\"insufficient_scope\"")
                .doesNotContain("ADMIN-ONLY");
        assertThat(forward.statusCode()).isEqualTo(403);
        assertThat(forward.body()).doesNotContain("ADMIN-ONLY");
        assertThat(admin.body()).isEqualTo("named[ADMIN-ONLY]");
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

    /** docs/GATEWAY.md's upstream snippet; in a WAR, the servlet context a {@code ServletContextListener} is given. */
    private static void upstream(String secret, ServletContext servletContext) {
        // README:gateway-upstream:start
        SignedCaller signer = SignedCaller.withSecret(secret, ForwardedHeaders.DEFAULTS);   // the gateway's secret
        ForwardedCallerFilter filter = ForwardedCallerFilter.builder(signer)
                .requireScope("/api/admin", "admin")       // optional: a scope per path, checked here too
                .build();
        servletContext.addFilter("forwarded-caller", filter)
                .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/api/*");
        // README:gateway-upstream:end
    }

    @Test
    void theDocsUpstreamSnippetProtectsARealContainer() throws Exception {
        String secret = "the-docs-secret-shared-with-the-gateway-0123";
        Server docs = new Server();
        ServerConnector connector = new ServerConnector(docs);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        docs.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                upstream(secret, event.getServletContext());
            }
        });
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write(req.getUserPrincipal() == null ? "-" : req.getUserPrincipal().getName());
            }
        }), "/*");
        docs.setHandler(context);
        docs.start();
        try {
            String at = "http://127.0.0.1:" + connector.getLocalPort();
            SignedCaller gateway = SignedCaller.withSecret(secret, ForwardedHeaders.DEFAULTS);
            ForwardedCaller caller = ForwardedCaller.of("3kTz9QbC", null, List.of("events:read"));
            HttpResponse<String> granted = send(at + "/api/events",
                    gateway.sign("GET", "/api/events", caller, Instant.now()));
            HttpResponse<String> admin = send(at + "/api/admin/users",
                    gateway.sign("GET", "/api/admin/users", caller, Instant.now()));

            assertThat(granted.statusCode()).isEqualTo(200);
            assertThat(granted.body()).isEqualTo("3kTz9QbC");
            assertThat(send(at + "/api/events", Map.of()).statusCode()).isEqualTo(401);
            assertThat(admin.statusCode()).isEqualTo(403);
            assertThat(send(at + "/health", Map.of()).body()).isEqualTo("-");
        } finally {
            docs.stop();
        }
    }

    private static HttpResponse<String> send(String uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
