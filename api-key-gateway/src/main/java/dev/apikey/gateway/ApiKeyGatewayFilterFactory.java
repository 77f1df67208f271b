package dev.apikey.gateway;

import dev.apikey.model.VerifyRequest;
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
 * {@code filters: [ApiKey=events:read]} in the route's configuration, and optionally what a call of the route costs in
 * units of every allowance of the key and its tenant, 1 by default: {@code ApiKey=events:read,10} (the shortcut's
 * second field; {@code args: {scope: events:read, cost: 10}} in the long form). The scope is checked against the
 * catalog, and the cost against its range (1 to {@value VerifyRequest#MAX_COST}), as the route is built, so a scope
 * the catalog does not declare or a cost out of range fails the route, not a request.
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

    /** The route's arguments: {@code ApiKey=<scope>} or {@code ApiKey=<scope>,<cost>}. */
    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("scope", "cost");
    }

    /**
     * The route's filter.
     *
     * @throws IllegalArgumentException if the scope is missing or blank, or not declared in the catalog, or the cost
     *                                  is not 1 to {@value VerifyRequest#MAX_COST}
     */
    @Override
    public GatewayFilter apply(Config config) {
        String scope = config.getScope();
        if (scope == null || scope.isBlank()) {
            throw new IllegalArgumentException("the ApiKey route filter needs a scope, e.g. ApiKey=events:read");
        }
        check.apiKeys().scopes().requireDeclared(List.of(scope));
        String text = config.getCost();
        long cost = 1;
        if (text != null) {
            // ASCII digits only, as the servlet rules read a cost: no sign, no hex, no other script's digits.
            if (!text.matches("[0-9]{1,7}")) {
                throw new IllegalArgumentException("cost must be a whole number 1 to " + VerifyRequest.MAX_COST
                        + ", was '" + text + "' in the ApiKey route filter ApiKey=" + scope + "," + text);
            }
            cost = VerifyRequest.requireCost(Long.parseLong(text), " in the ApiKey route filter ApiKey=" + scope
                    + "," + text);
        }
        return new RouteFilter(check, scope, cost);
    }

    /** The {@code ApiKey} filter's configuration. */
    public static final class Config {
        private String scope;
        private String cost;

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

        /** {@return what a call of the route costs, as configured; {@code null} (1) unless set} */
        public String getCost() {
            return cost;
        }

        /**
         * Sets what a call of the route costs, in units of every allowance of the key and its tenant.
         *
         * @param cost 1 to {@value VerifyRequest#MAX_COST} in ASCII digits, checked when the route is built
         */
        public void setCost(String cost) {
            this.cost = cost;
        }
    }

    /** A route's filter: strips, then verifies for the route's scope, at its cost. */
    static final class RouteFilter implements GatewayFilter, Ordered {
        private final GatewayKeyCheck check;
        private final String scope;
        private final long cost;

        RouteFilter(GatewayKeyCheck check, String scope, long cost) {
            this.check = check;
            this.scope = scope;
            this.cost = cost;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
            return check.check(check.strip(exchange), chain, scope, cost);
        }

        @Override
        public int getOrder() {
            return ApiKeyGlobalFilter.ORDER;
        }

        @Override
        public String toString() {
            return "ApiKey[" + scope + (cost == 1 ? "" : ", cost " + cost) + "]";
        }
    }
}
