package dev.apikey.spring.security;

import dev.apikey.servlet.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
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
 * <p>Immutable; the rules it adds are the whole of the chain's authorization (it ends with {@code anyExchange()}).
 * A denial leaves its refusal in {@link ApiKeyServerProblemHandler#REFUSAL_ATTRIBUTE} for the problem answer.
 */
public final class ApiKeyExchangeRules implements Customizer<ServerHttpSecurity.AuthorizeExchangeSpec> {

    private final List<Route> routes;

    private ApiKeyExchangeRules(List<Route> routes) {
        this.routes = List.copyOf(routes);
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

    @Override
    public void customize(ServerHttpSecurity.AuthorizeExchangeSpec a) {
        a.matchers(exchange -> CorsUtils.isPreFlightRequest(exchange.getRequest())
                ? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch())
                .permitAll();
        for (Route r : routes) {
            rule(a, r, r.method());
            if (r.method().equals("GET")) {
                rule(a, r, "HEAD");
            }
        }
        a.anyExchange().access(new Unrouted(routes));
    }

    private static void rule(ServerHttpSecurity.AuthorizeExchangeSpec a, Route r, String method) {
        // One matcher per rule, not pathMatchers(...): that wraps even one pattern in an OrServerWebExchangeMatcher,
        // a Flux and a flatMap per rule tried on every request (the WebFlux benchmark's profile found them).
        ServerHttpSecurity.AuthorizeExchangeSpec.Access access = a.matchers(method.equals("*")
                ? new PathPatternParserServerWebExchangeMatcher(r.path())
                : new PathPatternParserServerWebExchangeMatcher(r.path(), HttpMethod.valueOf(method)));
        if (r.isPublic()) {
            access.permitAll();
        } else if (r.scope() != null || r.checksTenant()) {
            access.access(new KeyRule(r.scope(), r.checksTenant()));
        } else {
            access.authenticated();
        }
    }

    @Override
    public String toString() {
        return "ApiKeyExchangeRules" + routes;
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
