package dev.apikey.servlet;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.Verification;
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
import java.util.List;
import java.util.Objects;

/**
 * API-key authentication for any Jakarta Servlet 6 container. Each request is matched against the routes
 * (method + path template), its key taken from {@code X-Api-Key} or {@code Authorization: Bearer}, and
 * verified for the route's scope and, where the template has {@code {tenantId}}, for that tenant, at the route's cost
 * ({@link Route#cost()}: units of the key's and its tenant's allowances, 1 unless the rule ends with {@code cost=N}).
 * Routes not declared are refused ({@code 404}); public routes pass without a key.
 *
 * <p>Granted: the request goes on with the {@link ApiKeyPrincipal} as attribute {@link #PRINCIPAL_ATTRIBUTE},
 * as {@code getUserPrincipal()}, and with its scopes as roles ({@code isUserInRole("events:read")}). Refused:
 * an RFC 9457 {@code application/problem+json} answer with the failure's code and resolution,
 * {@code WWW-Authenticate} on 401, {@code Retry-After} (and {@code RateLimit}, {@code RateLimit-Policy} on 429),
 * {@code Cache-Control: no-store}. Nothing from the request is echoed. Two steps make the answer, each in one
 * place the Spring Security integration shares: {@link Screening} screens the request (path, query string, route,
 * key header) and {@link ApiKeyProblems} writes every refusal.
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
 * ({@code 403} or {@code 404}), {@code realm}, {@code problemTypeBase}, {@code trustedProxies} (addresses or
 * ranges, separated by commas or whitespace), {@code forwardedHeader} ({@code X-Forwarded-For}, the default, or
 * {@code Forwarded}) and {@code countryHeader} (e.g. {@code CF-IPCountry}, believed from the trusted proxies only).
 *
 * <p>The client's address, for allow lists and audit events, is {@link ClientAddress}'s: the connection's unless
 * {@link Builder#clientAddress trusted proxies} are configured. A key restricted to countries asks the
 * {@link Builder#countryResolver country resolver}, if one is configured; without one its country is unknown.
 *
 * <p>Thread-safe once initialized.
 */
public final class ApiKeyFilter implements Filter {

    /** The request attribute that holds the verified {@link ApiKeyPrincipal}. */
    public static final String PRINCIPAL_ATTRIBUTE = "dev.apikey.principal";
    /**
     * The response header a grant of a legacy key carries: its {@link ApiKeyPrincipal#rotationNotice()}, e.g.
     * {@code legacy key; rotate by 2031-01-01T00:00:00Z}, so that its holder's client can see it should be rotated.
     */
    public static final String NOTICE_HEADER = "Api-Key-Notice";
    /** The servlet context attribute a {@code web.xml}-declared filter takes its {@link ApiKeys} from. */
    public static final String API_KEYS_ATTRIBUTE = "dev.apikey.ApiKeys";

    private volatile ApiKeys apiKeys;
    private volatile List<Route> routes;
    private volatile Screening screening;
    private volatile ApiKeyProblems problems;
    private volatile boolean tenantMismatchAsNotFound;

    /** For containers that create filters from {@code web.xml}; configured in {@link #init}. */
    public ApiKeyFilter() {
    }

    private ApiKeyFilter(Builder b) {
        this.apiKeys = b.apiKeys;
        this.routes = List.copyOf(b.routes);
        this.screening = Screening.withRoutes(b.apiKeys.keyFormat(), routes).withClient(b.clientAddress,
                b.countryResolver);
        this.problems = ApiKeyProblems.of(b.realm, b.problemTypeBase);
        this.tenantMismatchAsNotFound = b.tenantMismatchAsNotFound;
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
        private ClientAddress clientAddress = ClientAddress.direct();
        private CountryResolver countryResolver;

        private Builder(ApiKeys apiKeys) {
            this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        }

        /**
         * Adds a rule such as {@code "GET /api/v1/events -> events:read"}, or {@code
         * "GET /api/v1/search -> events:read cost=10"} for a call that costs 10 units of each allowance
         * ({@link Route#parse}).
         *
         * @param rule the rule
         * @return this builder
         * @throws IllegalArgumentException           if the line is not a rule
         * @throws dev.apikey.model.UnknownScopeException if its scope is not in the catalog
         */
        public Builder route(String rule) {
            return route(Route.parse(rule));
        }

        /**
         * Adds a rule; the first rule that matches a request applies.
         *
         * @param route the route
         * @return this builder
         * @throws dev.apikey.model.UnknownScopeException if its scope is not in the catalog
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
         * How the client's address is found: {@link ClientAddress#direct()} (the default) or behind trusted proxies.
         *
         * @param clientAddress the definition
         * @return this builder
         */
        public Builder clientAddress(ClientAddress clientAddress) {
            this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
            return this;
        }

        /**
         * Where the country of a request comes from, for keys and tenants restricted to countries; default none
         * (every country unknown, refused for such keys unless {@code ApiKeysBuilder.allowUnknownCountry}).
         *
         * @param countryResolver the resolver, e.g. {@link CountryResolver#header}
         * @return this builder
         */
        public Builder countryResolver(CountryResolver countryResolver) {
            this.countryResolver = Objects.requireNonNull(countryResolver, "countryResolver");
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
            String proxies = config.getInitParameter("trustedProxies");
            if (proxies != null && !proxies.isBlank()) {
                String header = config.getInitParameter("forwardedHeader");
                b.clientAddress(ClientAddress.behindProxies(List.of(proxies.strip().split("[,\\s]+")),
                        header == null ? ClientAddress.Header.X_FORWARDED_FOR : ClientAddress.Header.named(header)));
            }
            if (config.getInitParameter("countryHeader") != null) {
                b.countryResolver(CountryResolver.header(config.getInitParameter("countryHeader").strip(),
                        b.clientAddress));
            }
            ApiKeyFilter built = b.build();
            this.routes = built.routes;
            this.screening = built.screening;
            this.problems = built.problems;
            this.tenantMismatchAsNotFound = built.tenantMismatchAsNotFound;
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
        Screened screened = screening.screen(request);
        if (screened.isRefused()) {
            problems.send(response, screened);
            return;
        }
        if (screened.outcome() == Screened.Outcome.PUBLIC) {
            chain.doFilter(request, response);
            return;
        }
        Verification v = apiKeys.verify(screening.verifyRequest(screened, request));
        if (v.isGranted()) {
            ApiKeyPrincipal principal = v.principal().orElseThrow();
            request.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
            if (principal.legacy()) {
                // Set before the application writes: a header added after the response is committed is lost.
                response.setHeader(NOTICE_HEADER, principal.rotationNotice().orElseThrow());
            }
            chain.doFilter(new AuthenticatedRequest(request, principal), response);
        } else if (tenantMismatchAsNotFound && v.failure().orElseThrow() == Failure.TENANT_MISMATCH) {
            problems.send(response, Screened.NOT_FOUND);
        } else {
            problems.send(response, v);
        }
    }

    @Override
    public String toString() {
        return "ApiKeyFilter" + routes;
    }
}
