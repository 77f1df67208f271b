package dev.apikey.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.testkit.RawHttp;
import java.util.List;
// README:jaxrs-resource:imports:start
import dev.apikey.jaxrs.RequiresApiKey;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
// README:jaxrs-resource:imports:end
// README:jaxrs-quickstart:imports:start
import com.sun.net.httpserver.HttpServer;
import dev.apikey.ApiKeys;
import dev.apikey.jaxrs.ApiKeyRequestFilter;
import java.net.URI;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
// README:jaxrs-quickstart:imports:end
import org.junit.jupiter.api.Test;

/** docs/JAXRS.md's quickstart, as shown, over real HTTP. */
class ReadmeJaxrsQuickstartTest {

    // README:jaxrs-resource:start
    @Path("/api/v1/events")
    @RequiresApiKey("events:read")
    public static class Events {

        @GET
        public String list(@Context SecurityContext security) {
            // The key's id; security.isUserInRole("events:write") asks for a scope.
            return "events for " + security.getUserPrincipal().getName();
        }
    }
    // README:jaxrs-resource:end

    @Test
    void theQuickstartAnswersAKeyWithItsScopeAndRefusesNoKey() throws Exception {
        ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("events:read", "Read events").build())
                .hasher(Argon2idHasher.builder().memoryKiB(256).iterations(1).insecureAllowWeakParameters().build())
                .build();
        dev.apikey.IssuedKey issued = apiKeys.create(KeySpec.builder("crm").scopes("events:read").build());
        String key = issued.plaintext();
        // README:jaxrs-quickstart:start
        ApiKeyRequestFilter filter = ApiKeyRequestFilter.builder(apiKeys).build();
        ResourceConfig app = new ResourceConfig(Events.class).register(filter);
        // Loopback only; port 0 takes any free port.
        HttpServer server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"),
                app.property(ServerProperties.WADL_FEATURE_DISABLE, true));
        // README:jaxrs-quickstart:end
        try {
            int port = server.getAddress().getPort();
            RawHttp.Response granted = RawHttp.send(port, "GET", "/api/v1/events", List.of("X-Api-Key: " + key));
            assertThat(granted.status()).isEqualTo(200);
            assertThat(granted.body()).isEqualTo("events for " + issued.info().keyId());
            RawHttp.Response missing = RawHttp.send(port, "GET", "/api/v1/events", List.of());
            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.body()).contains("\"code\":\"missing_api_key\"");
        } finally {
            server.stop(0);
            apiKeys.close();
        }
    }
}
