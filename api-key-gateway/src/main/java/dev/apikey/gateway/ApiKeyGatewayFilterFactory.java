package dev.apikey.gateway;

import java.util.List;
import java.util.Objects;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The per-route filter {@code ApiKey}: requires a key holding a scope on a route, e.g.
 * {@code filters: [ApiKey=events:read]} in the route's configuration. The scope is checked against the catalog as the
 * route is built, so a scope the catalog does not declare fails the route, not a request.
 *
 * <p>Runs at {@link ApiKeyGlobalFilter#ORDER}, before the route's other filters. Thread-safe.
 */
public final class ApiKeyGatewayFilterFactory extends AbstractGatewayFilterFactory<ApiKeyGatewayFilterFactory.Config> {

    private final GatewayKeyCheck check;

    /**
     * A factory over the key check.
     *
     * @param check the key check
     */
    public ApiKeyGatewayFilterFactory(GatewayKeyCheck check) {
        super(Config.class);
        this.check = Objects.requireNonNull(check, "check");
    }

    /** The route's argument: {@code ApiKey=<scope>}. */
    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("scope");
    }

    /**
     * The route's filter.
     *
     * @throws IllegalArgumentException if the scope is missing or blank, or not declared in the catalog
     */
    @Override
    public GatewayFilter apply(Config config) {
        String scope = config.getScope();
        if (scope == null || scope.isBlank()) {
            throw new IllegalArgumentException("the ApiKey route filter needs a scope, e.g. ApiKey=events:read");
        }
        check.apiKeys().scopes().requireDeclared(List.of(scope));
        return new RouteFilter(check, scope);
    }

    /** The {@code ApiKey} filter's configuration. */
    public static final class Config {
        private String scope;

        /** {@return the scope the route needs} */
        public String getScope() {
            return scope;
        }

        /**
         * Sets the scope the route needs.
         *
         * @param scope a scope of the catalog
         */
        public void setScope(String scope) {
            this.scope = scope;
        }
    }

    /** A route's filter: strips, then verifies for the route's scope. */
    static final class RouteFilter implements GatewayFilter, Ordered {
        private final GatewayKeyCheck check;
        private final String scope;

        RouteFilter(GatewayKeyCheck check, String scope) {
            this.check = check;
            this.scope = scope;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
            return check.check(check.strip(exchange), chain, scope);
        }

        @Override
        public int getOrder() {
            return ApiKeyGlobalFilter.ORDER;
        }

        @Override
        public String toString() {
            return "ApiKey[" + scope + "]";
        }
    }
}
