package dev.apikey.gateway;

import dev.apikey.forwarded.ForwardedCaller;
import dev.apikey.forwarded.ForwardedCallerFilter;
import dev.apikey.forwarded.ForwardedHeaders;
import dev.apikey.forwarded.SignedCaller;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The upstream behind the gateway: Jetty 12 on 127.0.0.1 (ephemeral port) with {@link ForwardedCallerFilter} on
 * every path but {@code /public/*}, and a servlet that answers what it was told: the principal, and every
 * {@code X-ApiKey-*}, {@code X-Api-Key} and {@code Authorization} header it received. It keeps the last signed
 * headers it received, to replay them.
 */
final class Upstream implements AutoCloseable {

    /** A clock the test can move ahead, for a replay after the window. */
    static final class MovableClock extends Clock {
        private volatile Duration ahead = Duration.ZERO;

        void ahead(Duration ahead) {
            this.ahead = ahead;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final MovableClock clock = new MovableClock();
    final AtomicInteger requests = new AtomicInteger();
    /** The X-ApiKey-* headers of the last request that reached the servlet through the filter. */
    final Map<String, String> lastSigned = new ConcurrentHashMap<>();
    private final Server server = new Server();
    private final int port;

    /** {@return an upstream that checks callers signed with the test gateways' secret and the default names} */
    static Upstream withTestSecret() throws Exception {
        return new Upstream(SignedCaller.withSecret(ApiKeyGatewayTest.SECRET, ForwardedHeaders.DEFAULTS));
    }

    Upstream(SignedCaller signer) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ForwardedCallerFilter filter = ForwardedCallerFilter.builder(signer).catalog(GatewayApp.SCOPES)
                .requireScope("/reports", "reports:read").clock(clock).build();
        for (String protectedPath : new String[] {"/events/*", "/any/*", "/reports/*"}) {
            context.addFilter(new FilterHolder(filter), protectedPath, EnumSet.allOf(DispatcherType.class));
        }
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                requests.incrementAndGet();
                Map<String, String> seen = new TreeMap<>();
                for (String name : Collections.list(req.getHeaderNames())) {
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("x-apikey-") || lower.equals("x-api-key") || lower.equals("authorization")) {
                        seen.put(lower, String.join(",", Collections.list(req.getHeaders(name))));
                    }
                }
                ForwardedCaller caller = (ForwardedCaller) req.getAttribute(ForwardedCallerFilter.CALLER_ATTRIBUTE);
                if (caller != null) {
                    lastSigned.clear();
                    seen.forEach((k, v) -> {
                        if (k.startsWith("x-apikey-")) {
                            lastSigned.put(k, v);
                        }
                    });
                }
                String query = req.getQueryString();
                resp.setContentType("text/plain");
                resp.getWriter().write("path=" + req.getRequestURI() + (query == null ? "" : "?" + query)
                        + "\nprincipal=" + (req.getUserPrincipal() == null ? "-" : req.getUserPrincipal().getName())
                        + "\ntenant=" + (caller == null ? "-" : caller.tenantId().orElse("-"))
                        + "\nscopes=" + (caller == null ? "-" : caller.scopes())
                        + "\nheaders=" + seen.keySet());
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    String uri() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
