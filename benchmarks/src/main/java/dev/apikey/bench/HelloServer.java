package dev.apikey.bench;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.servlet.ApiKeyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The HTTP comparison's server: a hello endpoint on Jetty 12, with or without {@link ApiKeyFilter} in front,
 * on 127.0.0.1. Prints the key to send. Load it with wrk (see docs/BENCHMARKS.md).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.apikey.bench.HelloServer filter|plain [port]</pre>
 */
public final class HelloServer {

    private HelloServer() {
    }

    /** Answers "hello". */
    static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final byte[] BODY = "hello\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.setContentLength(BODY.length);
            resp.getOutputStream().write(BODY);
        }
    }

    /**
     * Starts the hello endpoint on 127.0.0.1.
     *
     * @param apiKeys the keys {@code GET /hello} needs ({@code hello:read}), or {@code null} for no filter
     * @param port    the port, 0 for any
     * @return the started server
     */
    static Server start(ApiKeys apiKeys, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new Hello()), "/hello");
        if (apiKeys != null) {
            ApiKeyFilter filter = ApiKeyFilter.builder(apiKeys).route("GET /hello -> hello:read").build();
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.start();
        return server;
    }

    /** {@return the port a started server listens on} */
    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /**
     * Sends {@code GET} with the key in {@code X-Api-Key} and waits at most 10 s for the answer.
     *
     * @return the answer's status
     */
    static int send(HttpClient http, URI uri, String key) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).header("X-Api-Key", key).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * @param args {@code filter} or {@code plain}, then optionally the port (default 8081)
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("filter") || args[0].equals("plain"))) {
            System.err.println("usage: HelloServer filter|plain [port]");
            System.exit(2);
        }
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8081;
        ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("hello:read", "Say hello").build())
                .hasher(Sha256Hasher.create()).build();
        String key = apiKeys.create(KeySpec.builder("bench").tenantId("92").scopes("hello:read").build()).plaintext();
        Server server = start(args[0].equals("filter") ? apiKeys : null, port);
        System.out.println("key " + key);
        System.out.println("listening on http://127.0.0.1:" + port(server) + "/hello (" + args[0] + ")");
        System.out.flush();
        server.join();
    }
}
