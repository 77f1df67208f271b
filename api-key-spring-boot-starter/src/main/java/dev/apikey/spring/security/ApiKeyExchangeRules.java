package dev.apikey.spring.security;

import dev.apikey.servlet.Route;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authorization.AuthenticatedReactiveAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * A reactive chain's authorization rules from API routes declared once, in the servlet filter's syntax
 * ({@code METHOD /path/template -> scope|authenticated|public}), enforced as the filter and the servlet chain's
 * {@link ApiKeyRouteRules} enforce them: a {@code GET} rule also covers {@code HEAD}; a scope is checked on the
 * key's {@code SCOPE_} authorities' source, the key itself ({@code insufficient_scope} naming it); a
 * {@code {tenantId}} segment is checked against the key's tenant ({@code tenant_mismatch}); a request no rule names
 * is {@code 405 method_not_allowed} with {@code Allow} when the path exists for other methods, else
 * {@code 404 not_found}. A CORS preflight passes without a key, to the host's CORS handling.
 *
 * <pre>{@code
 * http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**"))
 *     .authorizeExchange(ApiKeyExchangeRules.of(
 *             "GET /api/v1/events -> events:read",
 *             "GET /api/v1/tenants/{tenantId}/events -> events:read",
 *             "GET /api/v1/whoami -> authenticated"));
 * apiKeyServerSecurity.apply(http);
 * }</pre>
 *
 * <p>A rule's cost ({@code GET /api/v1/search -> events:read cost=10}, {@link Route#cost()}) is spent from the key's
 * and its tenant's allowances by the {@link ApiKeyWebFilter}, which verifies each key at the cost of the first rule
 * matching the request (1 where none does) when it is given these rules: apply them with
 * {@link ApiKeyServerSecurity#apply(ServerHttpSecurity, ApiKeyExchangeRules)} (the starter's own chain does). Rules
 * with a cost given to {@code authorizeExchange} alone are counted at cost 1, with a warning logged once. As in the
 * rest of the chain, the key's own checks come first: a call refused later for a scope it lacks has spent its cost.
 *
 * <p>Thread-safe, its rules immutable; the rule it adds is the whole of the chain's authorization: one {@code anyExchange()} rule that
 * matches the routes itself, in order (rules a host adds before it still come first).
 * A denial leaves its refusal in {@link ApiKeyServerProblemHandler#REFUSAL_ATTRIBUTE} for the problem answer.
 */
public final class ApiKeyExchangeRules implements Customizer<ServerHttpSecurity.AuthorizeExchangeSpec> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyExchangeRules.class);

    private final List<Route> routes;
    private final Routed routed;
    /** Whether a rule costs more than 1. */
    private final boolean metered;
    /** Set once an {@link ApiKeyWebFilter} verifies at these rules' costs. */
    private final AtomicBoolean charged = new AtomicBoolean();
    /** Set once the warning that nothing verifies at these rules' costs is logged. */
    private final AtomicBoolean warned = new AtomicBoolean();

    private ApiKeyExchangeRules(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.metered = this.routes.stream().anyMatch(r -> r.cost() != 1);
        this.routed = new Routed(this.routes, this);
    }

    /**
     * {@return rules for these routes, in order (the first that matches applies)}
     *
     * @param routes rules such as {@code GET /api/v1/events -> events:read}
     * @throws IllegalArgumentException naming the rule and what is wrong with it, if one does not parse
     */
    public static ApiKeyExchangeRules of(String... routes) {
        List<Route> parsed = new ArrayList<>();
        for (int i = 0; i < routes.length; i++) {
            try {
                parsed.add(Route.parse(Objects.requireNonNull(routes[i], "route")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("route " + i + ": " + e.getMessage(), e);
            }
        }
        return new ApiKeyExchangeRules(parsed);
    }

    /**
     * {@return rules for these parsed routes, e.g. the starter's {@code apikey.routes}}
     *
     * @param routes the routes, in order
     */
    public static ApiKeyExchangeRules of(List<Route> routes) {
        return new ApiKeyExchangeRules(routes);
    }

    /** {@return the routes, in order; unmodifiable} */
    public List<Route> routes() {
        return routes;
    }

    /** {@return whether a rule costs more than 1} */
    boolean metered() {
        return metered;
    }

    /**
     * {@return what an exchange costs: the cost of the first rule that matches it as {@link #customize} matches it,
     * 1 if none does and for a CORS preflight}
     */
    long costOf(ServerWebExchange exchange) {
        return routed.costOf(exchange);
    }

    /** Notes that an {@link ApiKeyWebFilter} verifies at these rules' costs. */
    void charged() {
        charged.set(true);
    }

    /** Warns, once, that a rule with a cost matched an exchange no {@link ApiKeyWebFilter} verified at that cost. */
    private void uncharged(long cost) {
        if (!charged.get() && warned.compareAndSet(false, true)) {
            LOG.warn("a rule of cost {} of {} matched a request verified at cost 1: give the rules to "
                    + "ApiKeyServerSecurity.apply(http, rules) for their costs to be spent", cost, this);
        }
    }

    @Override
    public void customize(ServerHttpSecurity.AuthorizeExchangeSpec a) {
        // One rule of Spring Security's for all the routes, matched here in order as separate rules would be: each
        // rule given to Spring Security is a matcher wrapped in an OrServerWebExchangeMatcher (matchers(...) always
        // wraps), a Flux and a flatMap per rule tried, per request, and debug messages that commons-logging's SLF4J
        // bridge formats even with DEBUG off (the WebFlux benchmark's profiles found them all).
        a.anyExchange().access(routed);
    }

    @Override
    public String toString() {
        return "ApiKeyExchangeRules" + routes;
    }

    /**
     * The routes' decision: a CORS preflight passes; else the first route whose method (a {@code GET} route also
     * {@code HEAD}, {@code *} any) and path template match decides (public: granted; a scope or the tenant: the key
     * rule; else any key); a request no route names is {@link Unrouted}.
     */
    private static final class Routed implements ReactiveAuthorizationManager<AuthorizationContext> {
        private static final Mono<AuthorizationResult> GRANTED = Mono.just(new AuthorizationDecision(true));
        private static final ReactiveAuthorizationManager<AuthorizationContext> PERMIT = (a, c) -> GRANTED;

        private final List<Rule> rules = new ArrayList<>();
        private final Unrouted unrouted;
        private final ApiKeyExchangeRules owner;
        /** Spring Security's debug message names the rule for every request: made once. */
        private final String description;

        Routed(List<Route> routes, ApiKeyExchangeRules owner) {
            this.owner = owner;
            for (Route r : routes) {
                HttpMethod method = r.method().equals("*") ? null : HttpMethod.valueOf(r.method());
                // As PathPatternParserServerWebExchangeMatcher parses its pattern.
                PathPattern path = PathPatternParser.defaultInstance.parse(
                        PathPatternParser.defaultInstance.initFullPathPattern(r.path()));
                ReactiveAuthorizationManager<AuthorizationContext> access = r.isPublic() ? PERMIT
                        : r.scope() != null || r.checksTenant() ? new KeyRule(r.scope(), r.checksTenant())
                        : AuthenticatedReactiveAuthorizationManager.authenticated();
                rules.add(new Rule(method, HttpMethod.GET.equals(method), path, access, r.cost()));
            }
            this.unrouted = new Unrouted(routes);
            this.description = "ApiKeyExchangeRules" + routes;
        }

        @Override
        public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
            ServerWebExchange exchange = context.getExchange();
            ServerHttpRequest request = exchange.getRequest();
            if (CorsUtils.isPreFlightRequest(request)) {
                return GRANTED;
            }
            HttpMethod method = request.getMethod();
            PathContainer path = request.getPath().pathWithinApplication();
            for (Rule r : rules) {
                if (r.covers(method)) {
                    PathPattern.PathMatchInfo match = r.path().matchAndExtract(path);
                    if (match != null) {
                        if (r.cost() != 1) {
                            owner.uncharged(r.cost());
                        }
                        Map<String, Object> variables = Collections.unmodifiableMap(match.getUriVariables());
                        return r.access().authorize(authentication, new AuthorizationContext(exchange, variables));
                    }
                }
            }
            return unrouted.authorize(authentication, context);
        }

        /** The cost of the first rule matching the exchange, as {@link #authorize} finds it; else 1. */
        long costOf(ServerWebExchange exchange) {
            ServerHttpRequest request = exchange.getRequest();
            if (CorsUtils.isPreFlightRequest(request)) {
                return 1;
            }
            HttpMethod method = request.getMethod();
            PathContainer path = request.getPath().pathWithinApplication();
            for (Rule r : rules) {
                if (r.covers(method) && r.path().matches(path)) {
                    return r.cost();
                }
            }
            return 1;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * One route: its method ({@code null}: any), whether {@code HEAD} too, its path template, its access and its
     * cost.
     */
    private record Rule(HttpMethod method, boolean alsoHead, PathPattern path,
            ReactiveAuthorizationManager<AuthorizationContext> access, long cost) {

        boolean covers(HttpMethod requested) {
            return method == null || method.equals(requested) || alsoHead && HttpMethod.HEAD.equals(requested);
        }
    }

    /** A granted key holding the scope and, if asked, of the path's tenant; a denial leaves its refusal. */
    private record KeyRule(String scope, boolean checkTenant)
            implements ReactiveAuthorizationManager<AuthorizationContext> {
        private static final AuthorizationDecision DENIED = new AuthorizationDecision(false);

        @Override
        public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
            // One operator for what filter, cast and map did: this runs on every request of a scoped route.
            return authentication.<AuthorizationResult>map(a -> a instanceof ApiKeyAuthentication key
                    ? decide(key, context) : DENIED).defaultIfEmpty(DENIED);
        }

        private AuthorizationResult decide(ApiKeyAuthentication a, AuthorizationContext context) {
            Object tenant = context.getVariables().get(ApiKeyAuthorization.TENANT_VARIABLE);
            AuthorizationDecision d = ApiKeyAuthorization.decide(a.getPrincipal(), scope, checkTenant,
                    tenant == null ? null : tenant.toString());
            if (d instanceof ApiKeyAuthorization.Refusal refusal) {
                context.getExchange().getAttributes().put(ApiKeyServerProblemHandler.REFUSAL_ATTRIBUTE,
                        refusal.refusal());
            }
            return d;
        }
    }

    /** Refuses what no route names, leaving which methods the path has, if any. */
    private static final class Unrouted implements ReactiveAuthorizationManager<AuthorizationContext> {
        private final List<Route> routes;
        private final List<PathPattern> paths = new ArrayList<>();

        Unrouted(List<Route> routes) {
            this.routes = routes;
            for (Route r : routes) {
                paths.add(PathPatternParser.defaultInstance.parse(r.path()));
            }
        }

        @Override
        public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
            ServerWebExchange exchange = context.getExchange();
            Set<String> allowed = new TreeSet<>();
            for (int i = 0; i < routes.size(); i++) {
                if (paths.get(i).matches(exchange.getRequest().getPath().pathWithinApplication())) {
                    allowed.add(routes.get(i).method());
                    if (routes.get(i).method().equals("GET")) {
                        allowed.add("HEAD");
                    }
                }
            }
            ApiKeyRouteRules.NoRoute denied = new ApiKeyRouteRules.NoRoute(allowed);
            exchange.getAttributes().put(ApiKeyServerProblemHandler.REFUSAL_ATTRIBUTE, denied);
            return Mono.just(denied);
        }

        @Override
        public String toString() {
            return "ApiKeyExchangeRules.Unrouted";
        }
    }
}
