package dev.apikey.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * The web console: one page, its script and its style sheet, served from this module's own files (no CDN, no
 * build step, works offline). It calls an {@link AdminApi} mounted at the path it is given. A host mounts both,
 * e.g. the console at {@code /admin/*} and the API at {@code /admin/api-keys/*}.
 *
 * <p>Safe as a page: a Content-Security-Policy that allows only this origin's script and style (no inline
 * script), no framing, every value rendered as text; changes go through the API's JSON calls, which refuse other
 * origins. The management key a user types and every new key stay in the page's memory, never in storage.
 *
 * <p>It serves its icon at {@code favicon.svg} and {@code favicon.ico} under its mount (the page names the first;
 * a host that mounts the console at the root answers the browser's {@code /favicon.ico} with it too).
 *
 * <p>Thread-safe.
 */
public final class AdminConsole extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
    private static final Map<String, String> TYPES = Map.of("console.js", "text/javascript",
            "keyform.js", "text/javascript", "history.js", "text/javascript", "usage.js", "text/javascript",
            "console.css", "text/css", "favicon.svg", "image/svg+xml",
            "favicon.ico", "image/svg+xml", "tenants.js", "text/javascript", "legacy.js", "text/javascript",
            "anomalies.js", "text/javascript");
    /** A path the page may name: this origin's only (no scheme, no host), nothing to escape in an attribute. */
    private static final String PATH_RULE = "[A-Za-z0-9/._~-]{1,200}";

    private final transient String problemTypeBase;
    private final transient byte[] page;
    private final transient Map<String, byte[]> assets;
    private final transient Origins origins;

    /**
     * A console served at whatever {@code Host} a request names; prefer {@link #AdminConsole(String, Collection)}
     * wherever it is reachable by a name.
     *
     * @param apiPath where the {@link AdminApi} is mounted, as the browser reaches it: absolute
     *                ({@code /admin/api-keys/}) or relative to the console page ({@code api-keys/})
     * @throws IllegalArgumentException if the path holds a character a URL path does not
     */
    public AdminConsole(String apiPath) {
        this(apiPath, Origins.FROM_REQUEST, dev.apikey.ProblemTypes.DEFAULT_BASE);
    }

    /**
     * A console served only at these origins: a request whose {@code Host} header names none of them is refused
     * with 421 {@code host_not_allowed} (a DNS-rebinding page reaches it under its own name). Configure the
     * {@link AdminApi} with the same ones ({@link AdminApi.Builder#origins}).
     *
     * @param apiPath where the {@link AdminApi} is mounted, as for {@link #AdminConsole(String)}
     * @param origins one or more of {@code http} or {@code https}{@code ://host[:port]}, no path
     * @throws IllegalArgumentException if the path or an origin breaks its rule, or there is no origin
     */
    public AdminConsole(String apiPath, Collection<String> origins) {
        this(apiPath, Origins.of(origins), dev.apikey.ProblemTypes.DEFAULT_BASE);
    }

    /**
     * A console served only at these origins (none: the request's own, as {@link #AdminConsole(String)}), whose
     * refusals name their problem type under the host's base, as the {@link AdminApi} beside it
     * ({@link AdminApi.Builder#problemTypeBase}).
     *
     * @param apiPath         where the {@link AdminApi} is mounted, as for {@link #AdminConsole(String)}
     * @param origins         as for {@link #AdminConsole(String, Collection)}, or empty for the request's own
     * @param problemTypeBase the base of each problem's {@code type} ({@link dev.apikey.ProblemTypes#requireBase})
     * @throws IllegalArgumentException if the path, an origin or the base breaks its rule
     */
    public AdminConsole(String apiPath, Collection<String> origins, String problemTypeBase) {
        this(apiPath, origins, problemTypeBase, null);
    }

    /**
     * A console whose "Sign out" also signs out of the host: it POSTs to {@code signOutPath} (with the CSRF token
     * of the {@code XSRF-TOKEN} cookie in {@code X-XSRF-TOKEN}, as Spring Security's {@code /logout} wants) and
     * loads the page again. Without one (the other constructors) "Sign out" forgets the management key typed in
     * the page, which is all a key-only sign-in holds.
     *
     * @param apiPath         where the {@link AdminApi} is mounted, as for {@link #AdminConsole(String)}
     * @param origins         as for {@link #AdminConsole(String, Collection, String)}
     * @param problemTypeBase as for {@link #AdminConsole(String, Collection, String)}
     * @param signOutPath     the host's sign-out path on this origin, e.g. {@code /logout}, or {@code null}
     * @throws IllegalArgumentException if a path, an origin or the base breaks its rule
     */
    public AdminConsole(String apiPath, Collection<String> origins, String problemTypeBase, String signOutPath) {
        this(apiPath, origins.isEmpty() ? Origins.FROM_REQUEST : Origins.of(origins),
                dev.apikey.ProblemTypes.requireBase(problemTypeBase), signOutPath);
    }

    private AdminConsole(String apiPath, Origins origins, String problemTypeBase) {
        this(apiPath, origins, problemTypeBase, null);
    }

    private AdminConsole(String apiPath, Origins origins, String problemTypeBase, String signOutPath) {
        this.origins = origins;
        this.problemTypeBase = problemTypeBase;
        requirePath("apiPath", apiPath);
        if (signOutPath != null) {
            requirePath("signOutPath", signOutPath);
        }
        this.page = new String(read("index.html"), StandardCharsets.UTF_8).replace("{{api}}", apiPath)
                .replace("{{signout}}", signOutPath == null ? "" : signOutPath).getBytes(StandardCharsets.UTF_8);
        byte[] icon = read("favicon.svg");
        this.assets = Map.of("console.js", read("console.js"), "keyform.js", read("keyform.js"),
                "history.js", read("history.js"), "usage.js", read("usage.js"), "console.css", read("console.css"),
                "favicon.svg", icon, "favicon.ico", icon, "tenants.js", read("tenants.js"),
                "legacy.js", read("legacy.js"), "anomalies.js", read("anomalies.js"));
    }

    private static void requirePath(String name, String path) {
        Objects.requireNonNull(path, name);
        if (!path.matches(PATH_RULE)) {
            throw new IllegalArgumentException(name + " must be 1 to 200 of [A-Za-z0-9/._~-], was '" + path + "'");
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = AdminConsole.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console file " + name + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Cache-Control", "no-store");
        try {
            origins.requireHost(req);
        } catch (AdminProblem p) {
            p.write(resp, problemTypeBase);
            return;
        }
        byte[] body;
        if (path.equals("/") || path.equals("/index.html")) {
            body = page;
            resp.setContentType("text/html;charset=utf-8");
        } else if (assets.containsKey(path.substring(1))) {
            body = assets.get(path.substring(1));
            resp.setContentType(TYPES.get(path.substring(1)) + ";charset=utf-8");
        } else {
            resp.sendError(404);
            return;
        }
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
