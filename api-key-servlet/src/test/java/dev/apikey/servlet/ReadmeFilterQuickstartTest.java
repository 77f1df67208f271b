package dev.apikey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

// README:filter:imports:start
import dev.apikey.servlet.ApiKeyFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
// README:filter:imports:end
// README:jetty:imports:start
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
// README:jetty:imports:end
// README:verify-request:imports:start
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
// README:verify-request:imports:end
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.testkit.RawHttp;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The README's filter snippets, run as written in a real container; {@code ReadmeSnippetsTest} (in
 * api-key-cli) checks that the README still shows them.
 */
class ReadmeFilterQuickstartTest {

    /** In a WAR: the servlet context a {@code ServletContextListener} is given. */
    private static void quickstart(ApiKeys apiKeys, ServletContext servletContext) {
        // README:filter:start
        ApiKeyFilter filter = ApiKeyFilter.builder(apiKeys)
                .route("GET /api/v1/events -> events:read")
                .route("POST /api/v1/webhooks/subscriptions -> webhooks:write")
                .route("GET /api/v1/tenants/{tenantId}/events -> events:read")   // key must be of that tenant
                .route("GET /api/v1/whoami -> authenticated")                     // any valid key
                .route("GET /health -> public")                                   // no key
                .build();
        servletContext.addFilter("api-key", filter)
                .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        // README:filter:end
    }

    /** In embedded Jetty 12: no listener needed, the context handler takes the filter. */
    private static ServletContextHandler jetty(ApiKeyFilter filter) {
        // README:jetty:start
        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.allOf(DispatcherType.class));
        // README:jetty:end
        return context;
    }

    /** The VerifyRequest example of docs/CONFIGURATION.md, in a servlet where {@code request} is real. */
    static Verification verifyRequest(ApiKeys apiKeys, HttpServletRequest request, String tenantFromPath) {
        // README:verify-request:start
        Verification v = apiKeys.verify(VerifyRequest.header(request.getHeader("X-Api-Key"))
                .scope("events:read")
                .tenantId(tenantFromPath)                 // tenant_mismatch for another tenant's key
                .remoteAddress(request.getRemoteAddr())); // ip_not_allowed outside the key's allow list
        // README:verify-request:end
        return v;
    }

    private static ApiKeys apiKeys() {
        return ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(FilterContract.SCOPES)
                .hasher(Sha256Hasher.create()).build();
    }

    @Test
    void theQuickstartProtectsARealContainer() throws Exception {
        try (ApiKeys apiKeys = apiKeys()) {
            String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(new SeedApi.Echo()), "/*");
            context.addEventListener(new ServletContextListener() {
                @Override
                public void contextInitialized(ServletContextEvent event) {
                    quickstart(apiKeys, event.getServletContext());
                }
            });
            serve(context, port -> {
                assertThat(RawHttp.send(port, "GET", "/api/v1/events", List.of("X-Api-Key: " + key)).status()).isEqualTo(200);
                assertThat(RawHttp.send(port, "GET", "/api/v1/events", List.of()).status()).isEqualTo(401);
                assertThat(RawHttp.send(port, "POST", "/api/v1/webhooks/subscriptions", List.of("X-Api-Key: " + key))
                        .status()).isEqualTo(403);
            });
        }
    }

    @Test
    void theEmbeddedJettySnippetAndVerifyRequestWork() throws Exception {
        try (ApiKeys apiKeys = apiKeys()) {
            String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
            ServletContextHandler context = jetty(ApiKeyFilter.builder(apiKeys)
                    .route("GET /api/v1/tenants/{tenantId}/events -> public").build());
            context.addServlet(new ServletHolder(new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    String tenant = req.getRequestURI().split("/")[4];
                    Verification v = verifyRequest(apiKeys, req, tenant);
                    resp.setStatus(v.isGranted() ? 200 : v.failure().orElseThrow().httpStatus());
                }
            }), "/*");
            serve(context, port -> {
                assertThat(RawHttp.send(port, "GET", "/api/v1/tenants/92/events", List.of("X-Api-Key: " + key))
                        .status()).isEqualTo(200);
                assertThat(RawHttp.send(port, "GET", "/api/v1/tenants/93/events", List.of("X-Api-Key: " + key))
                        .status()).as("tenant_mismatch").isEqualTo(403);
                assertThat(RawHttp.send(port, "GET", "/api/v1/tenants/92/events", List.of()).status()).isEqualTo(401);
            });
        }
    }

    /** Something to do against a started server's port. */
    interface Calls {
        void run(int port) throws Exception;
    }

    private static void serve(ServletContextHandler context, Calls calls) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(context);
        server.start();
        try {
            calls.run(connector.getLocalPort());
        } finally {
            server.stop();
        }
    }
}
