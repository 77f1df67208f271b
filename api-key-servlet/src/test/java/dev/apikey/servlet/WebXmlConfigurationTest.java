package dev.apikey.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.UnknownScopeException;
import dev.apikey.testkit.RawHttp;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The filter declared the web.xml way: class name, init parameters, ApiKeys from the servlet context. */
class WebXmlConfigurationTest {

    @Test
    void aContainerCreatedFilterReadsItsRoutesFromInitParameters() throws Exception {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(FilterContract.SCOPES)
                .hasher(Sha256Hasher.create()).build()) {
            String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.setAttribute(ApiKeyFilter.API_KEYS_ATTRIBUTE, apiKeys);
            context.addServlet(new ServletHolder(new SeedApi.Echo()), "/*");
            FilterHolder holder = new FilterHolder(ApiKeyFilter.class);
            holder.setInitParameter("routes", "# seed API\nGET /api/v1/tenants/{tenantId}/events -> events:read\n\n"
                    + "GET /health -> public\n");
            holder.setInitParameter("tenantMismatchStatus", "404");
            holder.setInitParameter("problemTypeBase", "https://docs.example.com/errors/");
            context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
            server.setHandler(context);
            server.start();
            try {
                int port = connector.getLocalPort();
                assertThat(RawHttp.send(port, "GET", "/api/v1/tenants/92/events", List.of("X-Api-Key: " + key)).status())
                        .isEqualTo(200);
                assertThat(RawHttp.send(port, "GET", "/api/v1/tenants/93/events", List.of("X-Api-Key: " + key)).status())
                        .as("tenant mismatch answered as not found").isEqualTo(404);
                RawHttp.Response noKey = RawHttp.send(port, "GET", "/api/v1/tenants/92/events", List.of());
                assertThat(noKey.status()).isEqualTo(401);
                assertThat(noKey.body()).contains("\"type\":\"https://docs.example.com/errors/missing_api_key\"");
                assertThat(RawHttp.send(port, "GET", "/health", List.of()).status()).isEqualTo(200);
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void trustedProxiesAndACountryHeaderComeFromInitParameters() throws Exception {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(FilterContract.SCOPES)
                .hasher(Sha256Hasher.create()).build()) {
            String office = apiKeys.create(KeySpec.builder("office").scopes("events:read")
                    .allowedAddresses("198.51.100.0/24").build()).plaintext();
            String eu = apiKeys.create(KeySpec.builder("eu").scopes("events:read").allowedCountries("DE").build())
                    .plaintext();
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.setAttribute(ApiKeyFilter.API_KEYS_ATTRIBUTE, apiKeys);
            context.addServlet(new ServletHolder(new SeedApi.Echo()), "/*");
            FilterHolder holder = new FilterHolder(ApiKeyFilter.class);
            holder.setInitParameter("routes", "GET /api/v1/events -> events:read");
            holder.setInitParameter("trustedProxies", "127.0.0.2, 127.0.1.0/24\n::1");
            holder.setInitParameter("forwardedHeader", "Forwarded");
            holder.setInitParameter("countryHeader", "CF-IPCountry");
            context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
            server.setHandler(context);
            server.start();
            try {
                int port = connector.getLocalPort();
                assertThat(RawHttp.sendFrom("127.0.0.2", port, "GET", "/api/v1/events",
                        List.of("X-Api-Key: " + office, "Forwarded: for=198.51.100.7")).status()).isEqualTo(200);
                assertThat(RawHttp.sendFrom("127.0.0.1", port, "GET", "/api/v1/events",
                        List.of("X-Api-Key: " + office, "Forwarded: for=198.51.100.7")).status()).isEqualTo(403);
                assertThat(RawHttp.sendFrom("127.0.0.2", port, "GET", "/api/v1/events",
                        List.of("X-Api-Key: " + eu, "CF-IPCountry: DE")).status()).isEqualTo(200);
                assertThat(RawHttp.sendFrom("127.0.0.1", port, "GET", "/api/v1/events",
                        List.of("X-Api-Key: " + eu, "CF-IPCountry: DE")).body()).contains("country_not_allowed");
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void badRulesAreRefusedWhenTheFilterIsBuilt() {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(FilterContract.SCOPES)
                .hasher(Sha256Hasher.create()).build()) {
            ApiKeyFilter.Builder b = ApiKeyFilter.builder(apiKeys);

            assertThatExceptionOfType(UnknownScopeException.class).isThrownBy(() -> b.route("GET /a -> event:read"))
                    .withMessageContaining("did you mean 'events:read'");
            assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /a events:read"))
                    .withMessageStartingWith("route must read");
            assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /a/../b -> events:read"))
                    .withMessageStartingWith("path must start with '/'");
            assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /a/x{id} -> events:read"))
                    .withMessageStartingWith("a path variable must be a whole segment");
            assertThatIllegalArgumentException().isThrownBy(() -> b.route("G3T /a -> events:read"))
                    .withMessageStartingWith("method");
            assertThatIllegalStateException().isThrownBy(b::build).withMessageContaining("at least one route");
            for (String bad : List.of("", "docs/errors/", "https://docs.example.com/errors", "https://x.test/a b/",
                    "https://x.test/\"/", "urn:é:", "x".repeat(199) + ":/")) {
                assertThatIllegalArgumentException().as(bad).isThrownBy(() -> b.problemTypeBase(bad))
                        .withMessageStartingWith("problem type base must be an absolute URI");
            }
            b.problemTypeBase("urn:example:api-error:").problemTypeBase("https://docs.example.com/errors?code=");
        }
    }
}
