package dev.apikey.bench.http;

import dev.apikey.ApiKeys;
import dev.apikey.bench.http.Bench.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Spring Cloud Gateway (server, WebFlux, Netty) on 127.0.0.1 in front of an upstream ({@code JettyHello none}),
 * one route {@code Path=/hello}: without authentication, with a hand-written {@code GlobalFilter}, or with
 * api-key-gateway (its global filter, and {@code ApiKey=hello:read} on the route; the caller forwarded as signed
 * headers).
 *
 * <pre>GatewayHello none|hand|ours port upstreamPort</pre>
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class GatewayHello {

    /** The shared secret the forwarded caller is signed with (the benchmark's upstream does not check it). */
    static final String SECRET = "benchmark-gateway-and-upstream-share-this-secret-0123";

    /** Creates the configuration; Spring calls it. */
    public GatewayHello() {
    }

    /** {@return the verifier api-key-gateway uses, with one key made by {@link #main}} */
    @Bean(destroyMethod = "close")
    ApiKeys apiKeys() {
        return Bench.apiKeys();
    }

    /** {@return the hand-written check as a global filter, first in the chain} */
    @Bean
    @ConditionalOnProperty(name = "bench.variant", havingValue = "hand")
    GlobalFilter handGlobalFilter(Environment env) {
        HandCheck check = new HandCheck(env.getRequiredProperty("bench.key"));
        return new Hand(check);
    }

    /** The hand-written global filter. */
    static final class Hand implements GlobalFilter, Ordered {
        private final HandCheck check;

        Hand(HandCheck check) {
            this.check = check;
        }

        @Override
        public reactor.core.publisher.Mono<Void> filter(org.springframework.web.server.ServerWebExchange exchange,
                org.springframework.cloud.gateway.filter.GatewayFilterChain chain) {
            return check.allows(exchange.getRequest().getHeaders().getFirst(HandCheck.HEADER))
                    ? chain.filter(exchange) : SpringHello.refuse(exchange.getResponse());
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    /**
     * Starts the gateway.
     *
     * @param args the variant, the port (0 for any), the upstream's port
     */
    public static void main(String[] args) {
        Variant variant = Variant.of(Bench.arg(args, 0, "none"));
        int port = Integer.parseInt(Bench.arg(args, 1, "0"));
        int upstream = Integer.parseInt(Bench.arg(args, 2, "18090"));
        boolean ours = variant == Variant.OURS;
        Map<String, Object> p = SpringHello.common(variant, port, ours ? null : Bench.throwawayKey());
        String route = "spring.cloud.gateway.server.webflux.routes[0].";
        p.put(route + "id", "hello");
        p.put(route + "uri", "http://127.0.0.1:" + upstream);
        p.put(route + "predicates[0]", "Path=" + Bench.PATH);
        // Spring Cloud Gateway sorts a route's filters with the global ones on every request unless told to keep the
        // sorted list (off by default): the cost of any route filter, ours or another; every variant keeps it.
        p.put("spring.cloud.gateway.server.webflux.route-filter-cache-enabled", "true");
        p.put("apikey.gateway.enabled", Boolean.toString(ours));
        if (ours) {
            p.put(route + "filters[0]", "ApiKey=" + Bench.SCOPE);
            p.put("apikey.gateway.secret", SECRET);
        }
        List<String> excluded = new ArrayList<>(SpringHello.BOOT_SECURITY);
        excluded.addAll(SpringHello.STARTER_SECURITY);
        excluded.addAll(SpringHello.STARTER_REST);
        p.put("spring.autoconfigure.exclude", String.join(",", excluded));
        SpringHello.run(GatewayHello.class, WebApplicationType.REACTIVE, p, ours);
    }
}
