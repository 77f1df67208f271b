package dev.apikey.cli;

import dev.apikey.ApiKeyInfo;
import dev.apikey.IssuedKey;
import dev.apikey.KeySpec;
import dev.apikey.KeyUpdate;
import dev.apikey.admin.AdminApi;
import dev.apikey.admin.AdminConsole;
import dev.apikey.admin.ScannerVerifyServlet;
import dev.apikey.admin.CallerResolver;
import dev.apikey.servlet.ApiKeyFilter;
import dev.apikey.servlet.WhoAmIServlet;
import jakarta.servlet.DispatcherType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code apikey demo}: the seed API on Jetty behind {@link ApiKeyFilter}, with a demo key (created on first
 * start, rotated on later ones so its plaintext can be shown) and curl lines for a granted call, a 401 and a
 * 403.
 */
@Command(name = "demo", description = "Run the demo API on Jetty, protected by ApiKeyFilter.")
final class DemoCommand implements Callable<Integer> {

    static final String DEMO_KEY_NAME = "demo";
    /** The demo key's scopes: two of the seed API's, and the console's. */
    static final java.util.List<String> DEMO_SCOPES = java.util.List.of("events:read", "webhooks:write", "keys:manage");
    /** The console and its API answer for themselves: the filter lets their paths through. */
    static final java.util.List<String> ADMIN_ROUTES = java.util.List.of(
            "GET /admin/ -> public",
            "GET /admin/console.js -> public",
            "GET /admin/console.css -> public",
            "* /admin/api-keys/scopes -> public",
            "* /admin/api-keys/keys -> public",
            "* /admin/api-keys/keys/{id} -> public",
            "* /admin/api-keys/keys/{id}/rotate -> public",
            "* /admin/api-keys/keys/{id}/revoke -> public",
            "* /admin/api-keys/keys/{id}/disable -> public",
            "* /admin/api-keys/keys/{id}/enable -> public",
            // TruffleHog's checksum check (apikey scanner-rules --verify-url): public, it looks nothing up.
            "POST /scanner/verify -> public");

    @ParentCommand
    ApiKeyCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "Port on 127.0.0.1 (default 8080; 0 picks a free one).")
    int port = 8080;

    /** Set by tests: stop after start instead of serving until killed. */
    static volatile java.util.function.Consumer<Server> onStarted;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0 to 65535, was " + port);
        }
        try (KeyStoreSession session = cli.openOrCreate()) {
            String key = demoKey(session);
            ApiKeyFilter.Builder filter = ApiKeyFilter.builder(session.apiKeys);
            SeedApi.ROUTES.forEach(filter::route);
            ADMIN_ROUTES.forEach(filter::route);
            ServletContextHandler context = new ServletContextHandler("/");
            // whoami reads the key's quota and calls left through it.
            context.setAttribute(dev.apikey.servlet.ApiKeyFilter.API_KEYS_ATTRIBUTE, session.apiKeys);
            context.addServlet(new ServletHolder(new SeedApi.Endpoints()), "/*");
            context.addServlet(new ServletHolder(new WhoAmIServlet()), "/api/v1/whoami");
            // The console: only keys holding keys:manage (the demo key does) manage keys, their own tenant's only.
            List<String> origins = port == 0 ? List.of()
                    : List.of("http://127.0.0.1:" + port, "http://localhost:" + port);
            context.addServlet(new ServletHolder(origins.isEmpty() ? new AdminConsole("api-keys/")
                    : new AdminConsole("api-keys/", origins)), "/admin/*");
            AdminApi.Builder admin = AdminApi.builder(session.apiKeys)
                    .callers(CallerResolver.apiKeyWithScope(session.apiKeys, "keys:manage"));
            if (!origins.isEmpty()) {
                // The demo's own names only: a page elsewhere (DNS rebinding) is refused with 421.
                admin.origins(origins.toArray(String[]::new));
            }
            // Bodies are read asynchronously, so a stalled sender is cut at its deadline without holding a thread;
            // for that every holder on the way (the filter included) supports async.
            context.addServlet(async(new ServletHolder(admin.build())), "/admin/api-keys/*");
            context.addServlet(async(new ServletHolder(new ScannerVerifyServlet(session.apiKeys.keyFormat()))),
                    "/scanner/verify");
            FilterHolder keys = new FilterHolder(filter.build());
            keys.setAsyncSupported(true);
            context.addFilter(keys, "/*", EnumSet.allOf(DispatcherType.class));
            Server server = DemoServer.create(port, context);
            server.start();
            printIntro(spec.commandLine().getOut(), DemoServer.port(server), key);
            java.util.function.Consumer<Server> hook = onStarted;
            if (hook != null) {
                hook.accept(server);
            }
            server.join();
            return 0;
        }
    }

    private static ServletHolder async(ServletHolder holder) {
        holder.setAsyncSupported(true);
        return holder;
    }

    private static String demoKey(KeyStoreSession session) {
        Optional<ApiKeyInfo> existing = session.apiKeys.listAll().stream()
                .filter(k -> k.name().equals(DEMO_KEY_NAME) && k.isActive()).findFirst();
        if (existing.isPresent() && !existing.get().scopes().containsAll(DEMO_SCOPES)) {
            // A demo database from before the console: give its key the console's scope too.
            session.apiKeys.update(existing.get().keyId(), KeyUpdate.builder().scopes(DEMO_SCOPES).build());
        }
        IssuedKey issued = existing.isPresent()
                ? session.apiKeys.rotate(existing.get().keyId(), Duration.ZERO)
                : session.apiKeys.create(KeySpec.builder(DEMO_KEY_NAME).tenantId("92")
                        .scopes(DEMO_SCOPES).metadata("env", "demo").build());
        return issued.plaintext();
    }

    private static void printIntro(PrintWriter out, int port, String key) {
        String base = "http://127.0.0.1:" + port;
        out.println("Demo API on " + base + " (Ctrl-C stops it)");
        out.println();
        out.println("Demo key (tenant 92, scopes events:read webhooks:write keys:manage; shown once):");
        out.println("  " + key);
        out.println();
        out.println("Granted (200):");
        out.println("  curl -i -H 'X-Api-Key: " + key + "' " + base + "/api/v1/events");
        out.println("No key (401 missing_api_key):");
        out.println("  curl -i " + base + "/api/v1/events");
        out.println("Missing scope (403 insufficient_scope, needs admin):");
        out.println("  curl -i -X POST -H 'X-Api-Key: " + key + "' " + base + "/api/v1/events/test");
        out.println("Who am I:");
        out.println("  curl -s -H 'Authorization: Bearer " + key + "' " + base + "/api/v1/whoami");
        out.println("Key console (sign in with the demo key; it manages tenant 92's keys):");
        out.println("  " + base + "/admin/");
        out.flush();
    }
}
