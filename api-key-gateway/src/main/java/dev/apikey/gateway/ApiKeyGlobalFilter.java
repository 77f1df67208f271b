package dev.apikey.gateway;

import java.util.Objects;
import java.util.Set;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The gateway-wide filter: strips incoming forwarded-caller headers from every request, refuses a path not in canonical
 * form and a key in the query string on every route ({@link GatewayKeyCheck#pass}), and, unless told otherwise,
 * requires a valid key on every route but the public ones. A route with its own {@link ApiKeyGatewayFilterFactory
 * ApiKey} filter is left to it (one verify per request, for that route's scope).
 *
 * <p>Runs at {@link #ORDER}, before the routes' own filters. Thread-safe.
 */
public final class ApiKeyGlobalFilter implements GlobalFilter, Ordered {

    /** Early: before the routes' filters (numbered from 1) and the gateway's own response writer (-1). */
    public static final int ORDER = -200;

    private final GatewayKeyCheck check;
    private final boolean requireKey;
    private final Set<String> publicRoutes;

    /**
     * A global filter.
     *
     * @param check        the key check
     * @param requireKey   whether every route needs a valid key (else only routes with an {@code ApiKey} filter)
     * @param publicRoutes ids of the routes that need no key
     */
    public ApiKeyGlobalFilter(GatewayKeyCheck check, boolean requireKey, Set<String> publicRoutes) {
        this.check = Objects.requireNonNull(check, "check");
        this.requireKey = requireKey;
        this.publicRoutes = Set.copyOf(publicRoutes);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerWebExchange stripped = check.strip(exchange);
        Route route = stripped.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route != null && hasOwnCheck(route)) {
            // The route's ApiKey filter, at this filter's order, screens and verifies: once, there.
            return chain.filter(stripped);
        }
        if (!requireKey || route == null || publicRoutes.contains(route.getId())) {
            return check.pass(stripped, chain);
        }
        return check.check(stripped, chain, null);
    }

    private static boolean hasOwnCheck(Route route) {
        for (GatewayFilter f : route.getFilters()) {
            GatewayFilter inner = f instanceof OrderedGatewayFilter ordered ? ordered.getDelegate() : f;
            if (inner instanceof ApiKeyGatewayFilterFactory.RouteFilter) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public String toString() {
        return "ApiKeyGlobalFilter[requireKey=" + requireKey + ", public=" + publicRoutes + "]";
    }
}
