package dev.apikey.servlet;

import dev.apikey.ApiKeyPrincipal;
import dev.apikey.ApiKeys;
import dev.apikey.Failure;
import dev.apikey.KeyFormat;
import dev.apikey.Verification;
import dev.apikey.VerifyRequest;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API-key authentication for any Jakarta Servlet 6 container. Each request is matched against the routes
 * (method + path template), its key taken from {@code X-Api-Key} or {@code Authorization: Bearer}, and
 * verified for the route's scope and, where the template has {@code {tenantId}}, for that tenant. Routes not
 * declared are refused ({@code 404}); public routes pass without a key.
 *
 * <p>Granted: the request goes on with the {@link ApiKeyPrincipal} as attribute {@link #PRINCIPAL_ATTRIBUTE},
 * as {@code getUserPrincipal()}, and with its scopes as roles ({@code isUserInRole("events:read")}). Refused:
 * an RFC 9457 {@code application/problem+json} answer with the failure's code and resolution,
 * {@code WWW-Authenticate} on 401, {@code Retry-After} (and {@code RateLimit}, {@code RateLimit-Policy} on 429),
 * {@code Cache-Control:
 * no-store}. Nothing from the request is echoed.
 *
 * <p>Paths are matched on the container's decoded path; requests whose raw path is not canonical ({@code //},
 * {@code ;}, encoded {@code . / \ %}, whitespace, control characters) are refused with 400 before any rule
 * is looked at, so no spelling of a path can reach a rule it should not. Keys in the query string are refused
 * and never read. Register the filter for every dispatcher type (REQUEST, FORWARD, INCLUDE, ERROR, ASYNC)
 * so forwards are checked too; declare error pages public ({@code * /error -> public}) if they should render.
 *
 * <p>Programmatic use: {@link #builder(ApiKeys)}. From {@code web.xml}: the no-argument constructor, with the
 * {@link ApiKeys} in the servlet context attribute {@link #API_KEYS_ATTRIBUTE} and init parameters
 * {@code routes} (one rule per line, see {@link Route#parse}) and optionally {@code tenantMismatchStatus}
 * ({@code 403} or {@code 404}), {@code realm} and {@code problemTypeBase}.
 *
 * <p>Thread-safe once initialized.
 */
public final class ApiKeyFilter implements Filter {

    /** The request attribute that holds the verified {@link ApiKeyPrincipal}. */
    public static final String PRINCIPAL_ATTRIBUTE = "dev.apikey.principal";
    /** The servlet context attribute a {@code web.xml}-declared filter takes its {@link ApiKeys} from. */
    public static final String API_KEYS_ATTRIBUTE = "dev.apikey.ApiKeys";

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.servlet");
    private static final String[] QUERY_KEY_NAMES = {"api_key", "apikey", "api-key", "key", "access_token",
        "x-api-key"};

    private volatile ApiKeys apiKeys;
    private volatile List<Route> routes;
    private volatile boolean tenantMismatchAsNotFound;
    private volatile String realm = "api";
    private volatile String problemTypeBase = ApiKeyProblems.DEFAULT_TYPE_BASE;

    /** For containers that create filters from {@code web.xml}; configured in {@link #init}. */
    public ApiKeyFilter() {
    }

    private ApiKeyFilter(Builder b) {
        this.apiKeys = b.apiKeys;
        this.routes = List.copyOf(b.routes);
        this.tenantMismatchAsNotFound = b.tenantMismatchAsNotFound;
        this.realm = b.realm;
        this.problemTypeBase = b.problemTypeBase;
    }

    /**
     * Starts a filter over an {@link ApiKeys}.
     *
     * @param apiKeys the verifier
     * @return a builder without routes
     */
    public static Builder builder(ApiKeys apiKeys) {
        return new Builder(apiKeys);
    }

    /** Configures an {@link ApiKeyFilter}. Not thread-safe. */
    public static final class Builder {
        private final ApiKeys apiKeys;
        private final List<Route> routes = new ArrayList<>();
        private boolean tenantMismatchAsNotFound;
        private String realm = "api";
        private String problemTypeBase = ApiKeyProblems.DEFAULT_TYPE_BASE;

        private Builder(ApiKeys apiKeys) {
            this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        }

        /**
         * Adds a rule such as {@code "GET /api/v1/events -> events:read"}.
         *
         * @param rule the rule
         * @return this builder
         * @throws IllegalArgumentException           if the line is not a rule
         * @throws dev.apikey.UnknownScopeException if its scope is not in the catalog
         */
        public Builder route(String rule) {
            return route(Route.parse(rule));
        }

        /**
         * Adds a rule; the first rule that matches a request applies.
         *
         * @param route the route
         * @return this builder
         * @throws dev.apikey.UnknownScopeException if its scope is not in the catalog
         */
        public Builder route(Route route) {
            Objects.requireNonNull(route, "route");
            if (route.scope() != null) {
                apiKeys.scopes().requireDeclared(List.of(route.scope()));
            }
            routes.add(route);
            return this;
        }

        /**
         * Answers a key of another tenant with 404, as if the resource did not exist, instead of 403.
         *
         * @return this builder
         */
        public Builder tenantMismatchAsNotFound() {
            this.tenantMismatchAsNotFound = true;
            return this;
        }

        /**
         * The realm named in {@code WWW-Authenticate}; default {@code api}.
         *
         * @param realm the realm
         * @return this builder
         * @throws IllegalArgumentException unless 1 to 64 of {@code [A-Za-z0-9 ._-]}
         */
        public Builder realm(String realm) {
            Objects.requireNonNull(realm, "realm");
            if (!realm.matches("[A-Za-z0-9 ._-]{1,64}")) {
                throw new IllegalArgumentException("realm must be 1 to 64 of [A-Za-z0-9 ._-]");
            }
            this.realm = realm;
            return this;
        }

        /**
         * The base of each problem's {@code type}, followed by its code: e.g. {@code https://docs.example.com/errors/}
         * to point clients at the host's own error pages. Default {@value ApiKeyProblems#DEFAULT_TYPE_BASE}.
         *
         * @param base the base
         * @return this builder
         * @throws IllegalArgumentException naming the rule ({@link dev.apikey.ProblemTypes#requireBase(String)})
         */
        public Builder problemTypeBase(String base) {
            this.problemTypeBase = dev.apikey.ProblemTypes.requireBase(base);
            return this;
        }

        /**
         * @return the filter
         * @throws IllegalStateException if no route was added
         */
        public ApiKeyFilter build() {
            if (routes.isEmpty()) {
                throw new IllegalStateException("an ApiKeyFilter needs at least one route");
            }
            return new ApiKeyFilter(this);
        }
    }

    /**
     * Takes the configuration from {@code web.xml} unless the filter was built programmatically.
     *
     * @throws ServletException if the {@link ApiKeys} attribute or the routes are missing or invalid
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        if (apiKeys != null) {
            return;
        }
        Object keys = config.getServletContext().getAttribute(API_KEYS_ATTRIBUTE);
        if (!(keys instanceof ApiKeys)) {
            throw new ServletException("ApiKeyFilter needs an ApiKeys in servlet context attribute " + API_KEYS_ATTRIBUTE);
        }
        String lines = config.getInitParameter("routes");
        if (lines == null || lines.isBlank()) {
            throw new ServletException("ApiKeyFilter needs init parameter 'routes'");
        }
        try {
            Builder b = builder((ApiKeys) keys);
            Route.parseAll(lines).forEach(b::route);
            String status = config.getInitParameter("tenantMismatchStatus");
            if ("404".equals(status)) {
                b.tenantMismatchAsNotFound();
            } else if (status != null && !"403".equals(status)) {
                throw new IllegalArgumentException("tenantMismatchStatus must be 403 or 404");
            }
            if (config.getInitParameter("realm") != null) {
                b.realm(config.getInitParameter("realm"));
            }
            if (config.getInitParameter("problemTypeBase") != null) {
                b.problemTypeBase(config.getInitParameter("problemTypeBase"));
            }
            ApiKeyFilter built = b.build();
            this.routes = built.routes;
            this.tenantMismatchAsNotFound = built.tenantMismatchAsNotFound;
            this.realm = built.realm;
            this.problemTypeBase = built.problemTypeBase;
            this.apiKeys = built.apiKeys;
        } catch (RuntimeException e) {
            throw new ServletException("ApiKeyFilter configuration: " + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = ApiKeyProblems.pathOf(request);
        Failure screened = ApiKeyProblems.screen(request, apiKeys.keyFormat());
        if (screened != null) {
            refuse(response, Problem.of(screened, screened.detail()));
            return;
        }
        String[] segments = path.substring(1).split("/", -1);
        String[] tenant = new String[1];
        Route route = null;
        for (Route r : routes) {
            if (r.matches(request.getMethod(), segments, tenant)) {
                route = r;
                break;
            }
        }
        if (route == null) {
            Set<String> allowed = new TreeSet<>();
            for (Route r : routes) {
                if (r.matchesPath(segments)) {
                    allowed.add(r.method());
                    if (r.method().equals("GET")) {
                        allowed.add("HEAD");
                    }
                }
            }
            refuse(response, allowed.isEmpty() ? Problem.notFound() : Problem.methodNotAllowed(allowed));
            return;
        }
        if (route.access() == Route.Access.PUBLIC) {
            chain.doFilter(request, response);
            return;
        }
        String header;
        try {
            header = keyHeader(request);
        } catch (IllegalArgumentException e) {
            refuse(response, Problem.of(Failure.MALFORMED_REQUEST, e.getMessage()));
            return;
        }
        VerifyRequest asked = VerifyRequest.header(header);
        if (route.scope() != null) {
            asked = asked.scope(route.scope());
        }
        if (tenant[0] != null) {
            asked = asked.tenantId(tenant[0]);
        }
        if (request.getRemoteAddr() != null) {
            asked = asked.remoteAddress(request.getRemoteAddr());
        }
        Verification v = apiKeys.verify(asked);
        if (v.isGranted()) {
            ApiKeyPrincipal principal = v.principal().orElseThrow();
            request.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
            chain.doFilter(new AuthenticatedRequest(request, principal), response);
            return;
        }
        if (tenantMismatchAsNotFound && v.failure().orElseThrow() == Failure.TENANT_MISMATCH) {
            refuse(response, Problem.notFound());
            return;
        }
        refuse(response, Problem.of(v));
    }

    private void refuse(HttpServletResponse response, Problem problem) throws IOException {
        if (response.isCommitted()) {
            LOG.warn("response already committed; cannot answer {}", problem.status());
            return;
        }
        problem.send(response, realm, problemTypeBase);
    }

    /**
     * The one key header value: {@code X-Api-Key} with the bare key, or {@code Authorization: Bearer <key>}.
     * Each may appear once; if both appear, they must carry the same key.
     *
     * @throws IllegalArgumentException with the reason, if the headers cannot be used
     */
    static String keyHeader(HttpServletRequest request) {
        String apiKey = single(request.getHeaders("X-Api-Key"), "X-Api-Key");
        String authorization = single(request.getHeaders("Authorization"), "Authorization");
        if (apiKey != null && isBearer(apiKey.strip())) {
            throw new IllegalArgumentException("X-Api-Key takes the key alone, without 'Bearer'.");
        }
        if (authorization != null && !isBearer(authorization.strip())) {
            throw new IllegalArgumentException("The Authorization header must be 'Bearer <key>'.");
        }
        if (apiKey != null && authorization != null
                && !authorization.strip().substring(BEARER.length()).strip().equals(apiKey.strip())) {
            throw new IllegalArgumentException("The request carries both X-Api-Key and Authorization with "
                    + "different values; send the key in one of them.");
        }
        return apiKey != null ? apiKey : authorization;
    }

    private static final String BEARER = "Bearer ";

    private static boolean isBearer(String value) {
        return value.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    private static String single(Enumeration<String> values, String name) {
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String first = values.nextElement();
        if (values.hasMoreElements()) {
            throw new IllegalArgumentException("The " + name + " header appears more than once; send it once.");
        }
        return first;
    }

    /**
     * Whether the raw query string carries a key: a parameter named like one ({@code api_key}, ...), or any
     * name or value that holds a key of this environment's prefix, however percent-encoded (decoded up to
     * three times). The match is only detected, never logged or answered.
     */
    static boolean hasKeyInQuery(String query, KeyFormat format) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decoded(eq < 0 ? pair : pair.substring(0, eq));
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            for (String keyName : QUERY_KEY_NAMES) {
                if (lower.equals(keyName)) {
                    return true;
                }
            }
            if (holdsKey(name, format) || (eq >= 0 && holdsKey(decoded(pair.substring(eq + 1)), format))) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsKey(String text, KeyFormat format) {
        return text.contains(format.prefix()) && format.containsKey(text);
    }

    /** Percent-decodes up to three times ('+' as a space), leniently: a broken escape stays as it is. */
    private static String decoded(String raw) {
        String text = raw;
        for (int round = 0; round < 3 && (text.indexOf('%') >= 0 || text.indexOf('+') >= 0); round++) {
            String next;
            try {
                next = java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return text;
            }
            if (next.equals(text)) {
                break;
            }
            text = next;
        }
        return text;
    }

    @Override
    public String toString() {
        return "ApiKeyFilter" + routes;
    }
}
