package dev.apikey.bench.http;

import dev.apikey.ApiKeys;
import dev.apikey.bench.http.Bench.Variant;
import dev.apikey.servlet.ApiKeyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * {@code GET /hello} on Jetty 12 (ee10 servlet), 127.0.0.1: no filter, {@link HandFilter}, or {@link ApiKeyFilter}.
 * Also the gateway's upstream ({@code none}).
 *
 * <pre>JettyHello none|hand|ours [port]</pre>
 */
public final class JettyHello {

    private JettyHello() {
    }

    /** Answers {@link Bench#BODY}. */
    static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/json");
            resp.setContentLength(Bench.BODY_BYTES.length);
            resp.getOutputStream().write(Bench.BODY_BYTES);
        }
    }

    /** The hand-written check as a servlet filter. */
    static final class HandFilter implements Filter {
        private final HandCheck check;

        HandFilter(HandCheck check) {
            this.check = check;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (check.allows(((HttpServletRequest) request).getHeader(HandCheck.HEADER))) {
                chain.doFilter(request, response);
                return;
            }
            HttpServletResponse http = (HttpServletResponse) response;
            http.setStatus(401);
            http.setContentType("application/json");
            http.getOutputStream().write(HandCheck.REFUSAL.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * Starts the server.
     *
     * @param args the variant, then the port (0 for any)
     */
    public static void main(String[] args) throws Exception {
        Variant variant = Variant.of(Bench.arg(args, 0, "none"));
        int port = Integer.parseInt(Bench.arg(args, 1, "0"));
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new Hello()), Bench.PATH);
        String key;
        if (variant == Variant.OURS) {
            ApiKeys apiKeys = Bench.apiKeys();
            key = Bench.mint(apiKeys);
            ApiKeyFilter filter = ApiKeyFilter.builder(apiKeys).route("GET " + Bench.PATH + " -> " + Bench.SCOPE).build();
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        } else {
            key = Bench.throwawayKey();
            if (variant == Variant.HAND) {
                context.addFilter(new FilterHolder(new HandFilter(new HandCheck(key))), "/*",
                        EnumSet.of(DispatcherType.REQUEST));
            }
        }
        server.setHandler(context);
        server.start();
        Bench.announce(key, connector.getLocalPort());
        server.join();
    }
}
