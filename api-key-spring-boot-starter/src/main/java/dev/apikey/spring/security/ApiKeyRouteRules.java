package dev.apikey.spring.security;

import dev.apikey.servlet.Route;
import dev.apikey.spring.ApiKeyAutoConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsUtils;

/**
 * A chain's authorization rules from API routes declared once, in {@code ApiKeyFilter}'s syntax
 * ({@code METHOD /path/template -> scope|authenticated|public}), enforced as the filter enforces them: a
 * {@code GET} rule also covers {@code HEAD}; a {@code {tenantId}} segment is checked against the key's tenant; a
 * request no rule names is refused with what is true, {@code 405 method_not_allowed} with {@code Allow} when the
 * path exists for other methods, else {@code 404 not_found} (never {@code insufficient_scope}: there is no scope to
 * lack), so {@code OPTIONS}, {@code TRACE} or any other method no rule names never reaches a handler. A CORS
 * preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) passes without a key,
 * to the host's CORS handling ({@code http.cors(...)} or Spring MVC's), which answers it without calling a handler.
 * Spring Boot's {@code /error} page passes, as in the starter's own chain.
 *
 * <p>A rule's cost ({@code GET /api/v1/search -> events:read cost=10}, {@link Route#cost()}) is spent from the key's
 * and its tenant's allowances by the {@link ApiKeyAuthenticationFilter} that {@link ApiKeyConfigurer} adds to the same
 * chain: it finds these rules on the chain and verifies each key at the cost of the first rule matching the request (1
 * where none does). As in the rest of the chain, the key's own checks come first: a call refused later for a scope it
 * lacks has spent its cost.
 *
 * <pre>{@code
 * http.securityMatcher("/api/**")
 *     .authorizeHttpRequests(ApiKeyRouteRules.of(
 *             "GET /api/v1/events -> events:read",
 *             "GET /api/v1/tenants/{tenantId}/events -> events:read",
 *             "GET /api/v1/whoami -> authenticated"))
 *     .with(ApiKeyConfigurer.apiKeys(), Customizer.withDefaults());
 * }</pre>
 *
 * <p>Immutable; the rules it adds are the whole of the chain's authorization (it ends with {@code anyRequest()}).
 */
public final class ApiKeyRouteRules implements
        Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> {

    /**
     * The rules applied to each chain's authorization registry, for that chain's {@link ApiKeyConfigurer} to find: a
     * registry is dropped with its chain's builder.
     */
    private static final Map<Object, ApiKeyRouteRules> APPLIED = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<Route> routes;
    /** The cost of a request, the first matching rule's; {@code null} when every rule costs 1. */
    private final ToLongFunction<HttpServletRequest> costs;

    private ApiKeyRouteRules(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.costs = this.routes.stream().allMatch(r -> r.cost() == 1) ? null : new Costs(this.routes);
    }

    /**
     * {@return rules for these routes, in order (the first that matches applies)}
     *
     * @param routes rules such as {@code GET /api/v1/events -> events:read}
     * @throws IllegalArgumentException naming the rule and what is wrong with it, if one does not parse
     */
    public static ApiKeyRouteRules of(String... routes) {
        return new ApiKeyRouteRules(ApiKeyAutoConfiguration.ApiKeyRoutes.of(routes).routes());
    }

    /**
     * {@return rules for these parsed routes, e.g. the starter's {@code apikey.routes}}
     *
     * @param routes the routes, in order
     */
    public static ApiKeyRouteRules of(List<Route> routes) {
        return new ApiKeyRouteRules(routes);
    }

    /** {@return the routes, in order; unmodifiable} */
    public List<Route> routes() {
        return routes;
    }

    /**
     * {@return what a request costs, the cost of the first rule that matches it (1 if none does, and for a CORS
     * preflight); {@code null} when every rule costs 1}
     */
    ToLongFunction<HttpServletRequest> costs() {
        return costs;
    }

    /** {@return the rules last applied to this authorization registry, or {@code null}} */
    static ApiKeyRouteRules appliedTo(Object registry) {
        return APPLIED.get(registry);
    }

    @Override
    public void customize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry a) {
        APPLIED.put(a, this);
        a.requestMatchers(CorsUtils::isPreFlightRequest).permitAll();
        for (Route r : routes) {
            rule(a, r, r.method());
            if (r.method().equals("GET")) {
                rule(a, r, "HEAD");
            }
        }
        // Spring Boot renders errors by forwarding to /error: that dispatch must render, as in the filter.
        a.requestMatchers("/error").permitAll();
        a.anyRequest().access(new Unrouted(routes));
    }

    private static void rule(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry a,
            Route r, String method) {
        AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizedUrl url = method.equals("*")
                ? a.requestMatchers(r.path()) : a.requestMatchers(HttpMethod.valueOf(method), r.path());
        if (r.isPublic()) {
            url.permitAll();
        } else if (r.scope() != null || r.checksTenant()) {
            url.access(ApiKeyAuthorization.of(r.scope(), r.checksTenant()));
        } else {
            url.authenticated();
        }
    }

    @Override
    public String toString() {
        return "ApiKeyRouteRules" + routes;
    }

    /** A request's cost: the first rule matching it as the chain matches it (a GET rule also HEAD), else 1. */
    private static final class Costs implements ToLongFunction<HttpServletRequest> {
        private final List<RequestMatcher> matchers = new ArrayList<>();
        private final long[] cost;

        Costs(List<Route> routes) {
            List<Long> costs = new ArrayList<>();
            for (Route r : routes) {
                if (r.method().equals("*")) {
                    matchers.add(PathPatternRequestMatcher.withDefaults().matcher(r.path()));
                    costs.add(r.cost());
                    continue;
                }
                matchers.add(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.valueOf(r.method()), r.path()));
                costs.add(r.cost());
                if (r.method().equals("GET")) {
                    matchers.add(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.HEAD, r.path()));
                    costs.add(r.cost());
                }
            }
            this.cost = costs.stream().mapToLong(Long::longValue).toArray();
        }

        @Override
        public long applyAsLong(HttpServletRequest request) {
            if (CorsUtils.isPreFlightRequest(request)) {
                return 1;
            }
            for (int i = 0; i < cost.length; i++) {
                if (matchers.get(i).matches(request)) {
                    return cost[i];
                }
            }
            return 1;
        }
    }

    /** Refuses what no route names, saying which methods the path has, if any. */
    private static final class Unrouted implements AuthorizationManager<RequestAuthorizationContext> {
        private final List<Route> routes;
        private final List<RequestMatcher> paths = new ArrayList<>();

        Unrouted(List<Route> routes) {
            this.routes = routes;
            for (Route r : routes) {
                paths.add(PathPatternRequestMatcher.withDefaults().matcher(r.path()));
            }
        }

        @Override
        public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                RequestAuthorizationContext context) {
            Set<String> allowed = new TreeSet<>();
            for (int i = 0; i < routes.size(); i++) {
                if (paths.get(i).matches(context.getRequest())) {
                    allowed.add(routes.get(i).method());
                    if (routes.get(i).method().equals("GET")) {
                        allowed.add("HEAD");
                    }
                }
            }
            return new NoRoute(allowed);
        }

        @Override
        public String toString() {
            return "ApiKeyRouteRules.Unrouted";
        }
    }

    /** A denial of a request no route names: {@code 405} with the path's methods, or {@code 404} if it has none. */
    public static final class NoRoute extends AuthorizationDecision {
        private static final long serialVersionUID = 1L;

        /** @serial the methods the path allows, sorted */
        private final Set<String> allowed;

        NoRoute(Set<String> allowed) {
            super(false);
            this.allowed = Collections.unmodifiableSet(new TreeSet<>(allowed));
        }

        /** {@return the methods the path allows, sorted; empty when no route has the path (404)} */
        public Set<String> allowed() {
            return allowed;
        }

        @Override
        public String toString() {
            return "NoRoute[allowed=" + allowed + "]";
        }
    }
}
