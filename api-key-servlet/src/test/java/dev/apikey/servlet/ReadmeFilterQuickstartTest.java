package dev.apikey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.KeySpec;
import dev.apikey.hash.Sha256Hasher;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The README's filter quickstart, run as written in a real container, and checked to still be what it shows. */
class ReadmeFilterQuickstartTest {

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

    @Test
    void theQuickstartProtectsARealContainer() throws Exception {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(FilterContract.SCOPES)
                .hasher(Sha256Hasher.create()).build()) {
            String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(new SeedApi.Echo()), "/*");
            context.addEventListener(new ServletContextListener() {
                @Override
                public void contextInitialized(ServletContextEvent event) {
                    quickstart(apiKeys, event.getServletContext());
                }
            });
            server.setHandler(context);
            server.start();
            try {
                int port = connector.getLocalPort();
                assertThat(RawHttp.send(port, "GET", "/api/v1/events", List.of("X-Api-Key: " + key)).status()).isEqualTo(200);
                assertThat(RawHttp.send(port, "GET", "/api/v1/events", List.of()).status()).isEqualTo(401);
                assertThat(RawHttp.send(port, "POST", "/api/v1/webhooks/subscriptions", List.of("X-Api-Key: " + key))
                        .status()).isEqualTo(403);
            } finally {
                server.stop();
                apiKeys.close();
            }
        }
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/apikey/servlet/ReadmeFilterQuickstartTest.java"));
        String snippet = source.substring(source.indexOf("// README:filter:start") + "// README:filter:start".length(),
                source.indexOf("        // README:filter:end"));
        String readme = Files.readString(Path.of("../README.md"));

        assertThat(normalize(readme)).contains(normalize(snippet));
    }

    private static String normalize(String text) {
        return Arrays.stream(text.split("\n")).map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining("\n"));
    }
}
