package dev.apikey.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikey.model.KeyFormat;
import dev.apikey.model.VerifyRequest;
import dev.apikey.testkit.RawHttp;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The screen step over real requests in Jetty 12, in both its forms: with the filter's routes, and without routes
 * (the Spring Security integration's). Each row is a request and what each form makes of it: a refusal, answered by
 * {@link ApiKeyProblems} (status, code, {@code Allow}, detail), or what to verify (which header, its value, the
 * route, the tenant, and the {@link VerifyRequest} made of them). The servlets are mapped so that the path reaches
 * the screening in each of its three shapes: servlet path and path info ({@code /api/*}), path info alone
 * ({@code /*}), servlet path alone ({@code /}, as Spring's dispatcher).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScreeningTest {

    static final KeyFormat FORMAT = KeyFormat.of("wlcro");
    static final List<Route> ROUTES = List.of(
            Route.parse("GET /health -> public"),
            Route.parse("GET /api/v1/events -> events:read"),
            Route.parse("DELETE /api/v1/events/{id} -> events:write"),
            Route.parse("GET /api/v1/tenants/{tenantId}/events -> events:read"),
            Route.parse("* /api/v1/whoami -> authenticated"));
    static final String MALFORMED = "400 malformed_request ";

    /** A row: a request, and what the screening with routes and the one without make of it. */
    record Row(String method, String target, List<String> headers, String withRoutes, String withoutRoutes) {
    }

    static Row row(String method, String target, List<String> headers, String withRoutes, String withoutRoutes) {
        return new Row(method, target, headers, withRoutes, withoutRoutes);
    }

    private final List<Server> servers = new ArrayList<>();
    private int routedPort;
    private int unroutedPort;

    @BeforeAll
    void start() throws Exception {
        ScreeningServlet routed = new ScreeningServlet(Screening.withRoutes(FORMAT, ROUTES));
        routedPort = start(context -> {
            context.addServlet(new ServletHolder(routed), "/api/*");
            context.addServlet(new ServletHolder(routed), "/*");
        });
        ScreeningServlet unrouted = new ScreeningServlet(Screening.withoutRoutes(FORMAT));
        unroutedPort = start(context -> context.addServlet(new ServletHolder(unrouted), "/"));
    }

    private int start(java.util.function.Consumer<ServletContextHandler> servlets) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        servlets.accept(context);
        server.setHandler(context);
        servers.add(server);
        server.start();
        return connector.getLocalPort();
    }

    @AfterAll
    void stop() throws Exception {
        for (Server server : servers) {
            server.stop();
        }
    }

    /** Screens each request and answers what it found: the refusal as the filter writes it, or what to verify. */
    static final class ScreeningServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Screening screening;
        private final transient ApiKeyProblems problems = ApiKeyProblems.of("api", ApiKeyProblems.DEFAULT_TYPE_BASE);

        ScreeningServlet(Screening screening) {
            this.screening = screening;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Screened screened = screening.screen(req);
            if (screened.isRefused()) {
                problems.send(resp, screened);
                return;
            }
            String body;
            if (screened.outcome() == Screened.Outcome.PUBLIC) {
                body = "PUBLIC";
            } else {
                VerifyRequest asked = screened.verifyRequest(req.getRemoteAddr());
                body = "VERIFY " + screened.keyHeaderName() + "=" + screened.keyHeader() + " route=" + screened.route()
                        + " tenant=" + screened.tenantId() + " | asks header=" + asked.headerValue()
                        + " scope=" + asked.scope().orElse("-") + " tenant=" + asked.tenantId().orElse("-")
                        + " from=" + asked.remoteAddress().orElse("-");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            resp.setStatus(200);
            resp.setContentType("text/plain");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }

    private static final Pattern CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");
    private static final Pattern DETAIL = Pattern.compile("\"detail\":\"([^\"]*)\"");

    /** What a screening made of a request, in the table's words. */
    static String seen(RawHttp.Response r) {
        if (r.status() == 200) {
            return r.body();
        }
        Matcher code = CODE.matcher(r.body());
        Matcher detail = DETAIL.matcher(r.body());
        assertThat(code.find()).as(r.body()).isTrue();
        assertThat(detail.find()).as(r.body()).isTrue();
        String seen = r.status() + " " + code.group(1);
        if (r.header("Allow") != null) {
            seen += " Allow=" + r.header("Allow");
        }
        return code.group(1).equals("malformed_request") ? seen + " " + detail.group(1) : seen;
    }

    static String verify(String header, String value, String route, String tenant, String scope) {
        return "VERIFY " + header + "=" + value + " route=" + route + " tenant=" + tenant + " | asks header=" + value
                + " scope=" + (scope == null ? "-" : scope) + " tenant=" + (tenant == null ? "-" : tenant)
                + " from=127.0.0.1";
    }

    @Test
    void eachRequestIsScreenedInOneStepTheSameWayWithAndWithoutRoutes() throws IOException {
        String events = "GET /api/v1/events -> events:read";
        String unrouted = verify("null", "null", "null", null, null);
        String keyWithoutRoute = verify("X-Api-Key", "k1", "null", null, null);
        List<Row> rows = List.of(
                row("GET", "/api/v1/events", List.of("X-Api-Key: k1"),
                        verify("X-Api-Key", "k1", events, null, "events:read"), keyWithoutRoute),
                row("GET", "/api/v1/events", List.of("x-api-key: k1"),
                        verify("X-Api-Key", "k1", events, null, "events:read"), keyWithoutRoute),
                row("GET", "/api/v1/events", List.of("Authorization: Bearer k1"),
                        verify("Authorization", "Bearer k1", events, null, "events:read"),
                        verify("Authorization", "Bearer k1", "null", null, null)),
                row("GET", "/api/v1/events", List.of("X-Api-Key: k1", "Authorization: bearer  k1 "),
                        verify("X-Api-Key", "k1", events, null, "events:read"), keyWithoutRoute),
                row("GET", "/api/v1/events", List.of(),
                        verify("null", "null", events, null, "events:read"), unrouted),
                row("GET", "/api/v1/tenants/92/events", List.of("X-Api-Key: k1"),
                        verify("X-Api-Key", "k1", "GET /api/v1/tenants/{tenantId}/events -> events:read", "92",
                                "events:read"), keyWithoutRoute),
                row("PUT", "/api/v1/whoami", List.of("X-Api-Key: k1"),
                        verify("X-Api-Key", "k1", "* /api/v1/whoami -> authenticated", null, null),
                        keyWithoutRoute),
                row("GET", "/health", List.of(), "PUBLIC", unrouted),
                // A public route's headers are not read; without routes they always are.
                row("GET", "/health", List.of("Authorization: Basic dXNlcjpwYXNz"), "PUBLIC",
                        MALFORMED + "The Authorization header must be 'Bearer \\u003ckey\\u003e'."),
                row("POST", "/api/v1/events", List.of("X-Api-Key: k1"), "405 method_not_allowed Allow=GET, HEAD",
                        keyWithoutRoute),
                row("GET", "/api/v1/events/7", List.of("X-Api-Key: k1"), "405 method_not_allowed Allow=DELETE",
                        keyWithoutRoute),
                row("GET", "/api/v1/nowhere", List.of(), "404 not_found", unrouted),
                row("GET", "/api/v1/events/", List.of("X-Api-Key: k1"), "404 not_found",
                        keyWithoutRoute),
                // The path first, then the query, then the route, then the headers.
                row("GET", "/api/v1/events%20x?api_key=x", List.of("X-Api-Key: Bearer k1"), "400 non_canonical_path",
                        "400 non_canonical_path"),
                row("GET", "/api/v1/nowhere?api_key=x", List.of("X-Api-Key: Bearer k1"), "400 api_key_in_url",
                        "400 api_key_in_url"),
                row("GET", "/api/v1/events?q=" + madeUpKey(), List.of(), "400 api_key_in_url", "400 api_key_in_url"),
                row("GET", "/api/v1/events?q=wlcro_notakey&page=2", List.of("X-Api-Key: k1"),
                        verify("X-Api-Key", "k1", events, null, "events:read"), keyWithoutRoute),
                row("DELETE", "/api/v1/nowhere", List.of("X-Api-Key: Bearer k1"), "404 not_found",
                        MALFORMED + "X-Api-Key takes the key alone, without 'Bearer'."),
                // The headers, in the order they are checked.
                row("GET", "/api/v1/events",
                        List.of("X-Api-Key: k1", "X-Api-Key: k1", "Authorization: a", "Authorization: b"),
                        MALFORMED + "The X-Api-Key header appears more than once; send it once.",
                        MALFORMED + "The X-Api-Key header appears more than once; send it once."),
                row("GET", "/api/v1/events", List.of("X-Api-Key: Bearer k1", "Authorization: a", "Authorization: b"),
                        MALFORMED + "The Authorization header appears more than once; send it once.",
                        MALFORMED + "The Authorization header appears more than once; send it once."),
                row("GET", "/api/v1/events", List.of("X-Api-Key: Bearer k1", "Authorization: k1"),
                        MALFORMED + "X-Api-Key takes the key alone, without 'Bearer'.",
                        MALFORMED + "X-Api-Key takes the key alone, without 'Bearer'."),
                row("GET", "/api/v1/events", List.of("X-Api-Key: k1", "Authorization: k1"),
                        MALFORMED + "The Authorization header must be 'Bearer \\u003ckey\\u003e'.",
                        MALFORMED + "The Authorization header must be 'Bearer \\u003ckey\\u003e'."),
                row("GET", "/api/v1/events", List.of("X-Api-Key: k1", "Authorization: Bearer k2"),
                        MALFORMED + "The request carries both X-Api-Key and Authorization with different values; "
                                + "send the key in one of them.",
                        MALFORMED + "The request carries both X-Api-Key and Authorization with different values; "
                                + "send the key in one of them."));

        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            String routed = seen(RawHttp.send(routedPort, row.method(), row.target(), row.headers()));
            String without = seen(RawHttp.send(unroutedPort, row.method(), row.target(), row.headers()));
            if (!routed.equals(row.withRoutes())) {
                wrong.add(row.method() + " " + row.target() + " " + row.headers() + " with routes:\n  expected "
                        + row.withRoutes() + "\n  but was  " + routed);
            }
            if (!without.equals(row.withoutRoutes())) {
                wrong.add(row.method() + " " + row.target() + " " + row.headers() + " without routes:\n  expected "
                        + row.withoutRoutes() + "\n  but was  " + without);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aHeadRequestIsScreenedForItsGetRule() throws IOException {
        // A HEAD answer has no body to read the outcome from: its status and headers say it.
        RawHttp.Response granted = RawHttp.send(routedPort, "HEAD", "/api/v1/events", List.of("X-Api-Key: k1"));
        assertThat(granted.status()).isEqualTo(200);
        RawHttp.Response refused = RawHttp.send(routedPort, "HEAD", "/api/v1/events/7", List.of("X-Api-Key: k1"));
        assertThat(refused.status()).isEqualTo(405);
        assertThat(refused.header("Allow")).isEqualTo("DELETE");
    }

    @Test
    void onlyARefusalIsAnsweredAndOnlyARequestToVerifyHasAVerifyRequest() {
        ApiKeyProblems problems = ApiKeyProblems.of("api", ApiKeyProblems.DEFAULT_TYPE_BASE);
        assertThatThrownBy(() -> problems.send(null, Screened.PUBLIC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("refused must be a refused screening, was PUBLIC");
        assertThatThrownBy(() -> Screened.NOT_FOUND.verifyRequest("127.0.0.1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("REFUSED");
        assertThat(Screened.NO_KEY.verifyRequest(null).headerValue()).isNull();
        assertThat(Screened.NO_KEY.verifyRequest(null).remoteAddress()).isEmpty();
    }

    @Test
    void aScreenedRequestNeverShowsItsKey() {
        String key = madeUpKey();
        Screened screened = Screened.verify(Screened.AUTHORIZATION, "Bearer " + key, ROUTES.get(3), "92");
        assertThat(screened.toString()).doesNotContain(key)
                .isEqualTo("Screened[VERIFY, Authorization, GET /api/v1/tenants/{tenantId}/events -> events:read, "
                        + "tenant=92]");
    }

    @Test
    void theCommonOutcomesAreSharedConstants() {
        assertThat(Screened.verify(null, null, null, null)).isSameAs(Screened.NO_KEY);
        assertThat(Screened.noRoute(java.util.Set.of())).isSameAs(Screened.NOT_FOUND);
        assertThat(Screened.noRoute(java.util.Set.of("POST", "GET", "HEAD")).allowedMethods())
                .containsExactly("GET", "HEAD", "POST");
    }

    /** A key of this format: any id and secret, with a valid checksum. */
    static String madeUpKey() {
        String body = "wlcro_" + "Ab1".repeat((KeyFormat.KEY_ID_LENGTH + KeyFormat.SECRET_LENGTH) / 3)
                + "A".repeat((KeyFormat.KEY_ID_LENGTH + KeyFormat.SECRET_LENGTH) % 3);
        return body + KeyFormat.checksum(body);
    }
}
