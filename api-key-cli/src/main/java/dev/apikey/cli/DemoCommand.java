package dev.apikey.cli;

import dev.apikey.IssuedKey;
import dev.apikey.KeyQuery;
import dev.apikey.admin.AdminApi;
import dev.apikey.admin.AdminConsole;
import dev.apikey.admin.CallerResolver;
import dev.apikey.admin.ScannerVerifyServlet;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.servlet.ApiKeyFilter;
import dev.apikey.servlet.WhoAmIServlet;
import jakarta.servlet.DispatcherType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
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
 * {@code apikey demo}: the seed API on Jetty behind {@link ApiKeyFilter}, with a demo key and curl lines for a
 * granted call, a 401 and a 403. The first start creates the demo key; a later one rotates it so its plaintext
 * can be shown again, with an overlap of {@link #PREVIOUS_KEY_OVERLAP}: a key copied from the earlier run keeps
 * working that long, and the intro says so and how to end it sooner.
 */
@Command(name = "demo", description = "Run the demo API on Jetty, protected by ApiKeyFilter, with a demo key. A "
        + "later run replaces the demo key: the earlier one keeps working for 24 hours (the output says until when).",
        footerHeading = "%nExamples:%n",
        footer = {"  apikey demo              # http://127.0.0.1:8080, keys in ./apikeys.mv.db",
            "  apikey demo --port 0     # a free port, printed",
            "  apikey --db jdbc:postgresql://127.0.0.1/keys --db-user keys demo",
            "", KeyCommand.STORE_OPTIONS})
final class DemoCommand implements Callable<Integer> {

    static final String DEMO_KEY_NAME = "demo";
    static final String DEMO_TENANT = "92";
    /** How long the previous run's demo key keeps working once a later run replaces it. */
    static final Duration PREVIOUS_KEY_OVERLAP = Duration.ofHours(24);
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

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help, with examples, and exit.")
    boolean help;

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
            DemoKey key = demoKey(session);
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

    /** This run's demo key, and the earlier run's it replaced (if any), with the end of its overlap. */
    record DemoKey(String plaintext, Optional<ApiKeyInfo> replaced) {
    }

    private static DemoKey demoKey(KeyStoreSession session) {
        // The newest active one: an earlier run's replaced key (expiring) is left to its overlap, never rotated again.
        Optional<ApiKeyInfo> existing = session.apiKeys.list(KeyQuery.tenant(DEMO_TENANT)
                        .status(ApiKeyInfo.Status.ACTIVE).nameContains(DEMO_KEY_NAME)).stream()
                .filter(k -> k.attributes().name().equals(DEMO_KEY_NAME))
                .max(Comparator.comparing(ApiKeyInfo::createdAt).thenComparing(ApiKeyInfo::keyId));
        if (existing.isEmpty()) {
            return new DemoKey(session.apiKeys.create(KeySpec.builder(DEMO_KEY_NAME).tenantId(DEMO_TENANT)
                    .scopes(DEMO_SCOPES).metadata("env", "demo").build()).plaintext(), Optional.empty());
        }
        String id = existing.get().keyId();
        if (!existing.get().attributes().scopes().containsAll(DEMO_SCOPES)) {
            // A demo database from before the console: give its key the console's scope too.
            session.apiKeys.update(id, KeyUpdate.builder().scopes(DEMO_SCOPES).build());
        }
        // Its plaintext was shown once and is not kept: a new key is the only way to show one. The old one was
        // perhaps copied into a script or a console tab, so it keeps working for the overlap, and the intro says so.
        IssuedKey issued = session.apiKeys.rotate(id, PREVIOUS_KEY_OVERLAP);
        return new DemoKey(issued.plaintext(), session.apiKeys.get(id));
    }

    private static void printIntro(PrintWriter out, int port, DemoKey demoKey) {
        String base = "http://127.0.0.1:" + port;
        String key = demoKey.plaintext();
        out.println("Demo API on " + base + " (Ctrl-C stops it)");
        out.println();
        demoKey.replaced().ifPresent(old -> {
            out.println("This run's demo key replaces the earlier run's (" + old.hint() + "), which keeps working until "
                    + old.attributes().expiresAt().map(Object::toString).orElse("its overlap ends") + " ("
                    + PREVIOUS_KEY_OVERLAP.toHours() + "h overlap); end it now with: apikey revoke " + old.hint());
            out.println();
        });
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
