package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

// README:admin:imports:start
import dev.apikey.admin.AdminApi;
import dev.apikey.admin.CallerResolver;
// README:admin:imports:end
import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** The admin API suite in embedded Jetty 12 (ee10), on loopback. */
class JettyAdminApiTest extends AdminApiContract {

    private Server server;

    @Override
    int start(AdminApi api, Filter auth) throws Exception {
        return start(context -> {
            // Async support: request bodies are read under their deadline without holding a thread.
            ServletHolder holder = new ServletHolder(api);
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/admin/api-keys/*");
            FilterHolder filter = new FilterHolder(auth);
            filter.setAsyncSupported(true);
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        });
    }

    /** Starts Jetty on loopback with a root context set up by {@code setUp}; returns its port. */
    private int start(Consumer<ServletContextHandler> setUp) throws Exception {
        server = Jetty.start(setUp);
        return Jetty.port(server);
    }

    /** The README's example: the API mounted in a host's Jetty context. */
    static void mount(ServletContextHandler context, ApiKeys apiKeys) {
        // README:admin:start
        AdminApi admin = AdminApi.builder(apiKeys)
                // Keys holding keys:manage (a scope of the catalog) manage their own tenant's keys; users in a
                // role, or a resolver of your own, are the other choices.
                .callers(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage"))
                .build();
        ServletHolder holder = new ServletHolder(admin);
        holder.setAsyncSupported(true);     // bodies are read under their deadline without holding a thread
        context.addServlet(holder, "/admin/api-keys/*");
        // README:admin:end
    }

    @Test
    void theReadmeMountServesTheApi() throws Exception {
        base = "http://127.0.0.1:" + start(context -> mount(context, apiKeys)) + "/admin/api-keys";
        String admin = apiKeys.create(KeySpec.builder("admin").tenantId("92").scopes("keys:manage").build()).plaintext();
        plaintexts.add(admin);

        Answer keys = get("/keys", admin);

        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.body().path("keys").findValuesAsText("tenant_id")).containsExactly("92");
    }

    @Override
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
