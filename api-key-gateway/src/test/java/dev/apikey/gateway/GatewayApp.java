package dev.apikey.gateway;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.KeyEventListener;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A small gateway application: Spring Cloud Gateway, this module's auto-configuration, and an ApiKeys bean. */
@SpringBootConfiguration
@EnableAutoConfiguration
class GatewayApp {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder()
            .scope("events:read", "Read events")
            .wildcard("reports:*", "Every report scope")
            .scope("reports:read", "Read reports")
            .superScope("admin", "Everything")
            .build();

    /** Each grant: the key id, the caller's address as the verify was given it, and the thread it ran on. */
    static final List<String> GRANTS = new CopyOnWriteArrayList<>();

    /**
     * What every request goes on with past the key check (a filter right after it): its request's class, then its
     * header names in lower case, sorted.
     */
    static final List<String> PASSED_ON = new CopyOnWriteArrayList<>();

    /**
     * Registers route {@code index}: its id, the upstream as its URI, one predicate and its filters, in order.
     *
     * @param predicate e.g. {@code Path=/events/**}
     * @param filters   e.g. {@code ApiKey=events:read}, none for a route without filters
     */
    static void route(DynamicPropertyRegistry registry, int index, String id, Upstream upstream, String predicate,
            String... filters) {
        String route = "spring.cloud.gateway.server.webflux.routes[" + index + "].";
        registry.add(route + "id", () -> id);
        registry.add(route + "uri", upstream::uri);
        registry.add(route + "predicates[0]", () -> predicate);
        for (int f = 0; f < filters.length; f++) {
            String filter = filters[f];
            registry.add(route + "filters[" + f + "]", () -> filter);
        }
    }

    /** What every test gateway runs with: loopback only, no banner, the shared secret. */
    static void common(DynamicPropertyRegistry registry) {
        registry.add("spring.main.banner-mode", () -> "off");
        registry.add("spring.main.web-application-type", () -> "reactive");
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("apikey.gateway.secret", () -> ApiKeyGatewayTest.SECRET);
    }

    @Bean(destroyMethod = "close")
    ApiKeys apiKeys() {
        return ApiKeys.builder().prefix("gwtst").store(new InMemoryKeyStore()).scopes(SCOPES)
                .listener(new KeyEventListener() {
                    @Override
                    public boolean wantsGrants() {
                        return true;
                    }

                    @Override
                    public void verified(ApiKeyPrincipal principal, String remoteAddress, long atEpochMillis) {
                        GRANTS.add(principal.keyId() + " " + remoteAddress + " " + Thread.currentThread().getName());
                    }
                }).build();
    }

    @Bean
    GlobalFilter passedOn() {
        class PassedOn implements GlobalFilter, Ordered {
            @Override
            public reactor.core.publisher.Mono<Void> filter(org.springframework.web.server.ServerWebExchange exchange,
                    org.springframework.cloud.gateway.filter.GatewayFilterChain chain) {
                PASSED_ON.add(exchange.getRequest().getClass().getSimpleName() + " " + exchange.getRequest()
                        .getHeaders().headerNames().stream().map(n -> n.toLowerCase(Locale.ROOT)).sorted().toList());
                return chain.filter(exchange);
            }

            @Override
            public int getOrder() {
                return ApiKeyGlobalFilter.ORDER + 1;
            }
        }
        return new PassedOn();
    }
}
