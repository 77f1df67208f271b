package dev.apikey.parity;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The Spring Boot starter on Spring WebFlux (Netty) with reactive Spring Security: the chain the starter builds from
 * {@code apikey.routes}, over the suite's keys and scope catalog given to the context as beans.
 */
final class WebFluxAdapter extends HttpAdapter {

    private ConfigurableApplicationContext context;
    private int port;

    @Override
    public String name() {
        return "spring-webflux";
    }

    @Override
    public void start(Fixture fixture) {
        List<String> properties = new ArrayList<>(List.of("server.address=127.0.0.1", "server.port=0",
                "spring.main.banner-mode=off",
                "logging.config=classpath:logback-parity.xml", "apikey.prefix=" + Fixture.PREFIX,
                // The gateway's modules are on this suite's class path for the gateway adapter, not for this one.
                "apikey.gateway.enabled=false", "spring.cloud.gateway.server.webflux.enabled=false"));
        for (int i = 0; i < Fixture.ROUTES.size(); i++) {
            properties.add("apikey.routes[" + i + "]=" + Fixture.ROUTES.get(i));
        }
        context = new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
                .properties(properties.toArray(String[]::new))
                .initializers(c -> {
                    c.getBeanFactory().registerSingleton("apiKeys", fixture.apiKeys);
                    c.getBeanFactory().registerSingleton("apiKeyScopeCatalog", Fixture.SCOPES);
                })
                .run();
        // The adapter under test is the starter's reactive chain.
        if (context.getBeanNamesForType(SecurityWebFilterChain.class).length != 1) {
            throw new IllegalStateException("expected the starter's one reactive Spring Security chain");
        }
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    int port() {
        return port;
    }

    @Override
    public void stop() {
        if (context != null) {
            context.close();
        }
    }

    /** The application: auto-configuration (the starter's included) and the routes' controller. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Events.class)
    static class App {
    }

    /** {@link Fixture#ROUTES}, each answering {@code ok <key id>}. */
    @RestController
    static class Events {

        @GetMapping("/api/v1/events")
        Mono<String> list() {
            return caller();
        }

        @PostMapping("/api/v1/events/test")
        Mono<String> test() {
            return caller();
        }

        @GetMapping("/api/v1/tenants/{tenantId}/events")
        Mono<String> tenant(@PathVariable("tenantId") String tenantId) {
            return caller();
        }

        private static Mono<String> caller() {
            return ReactiveSecurityContextHolder.getContext().map(c -> granted(c.getAuthentication().getPrincipal()))
                    .defaultIfEmpty(granted(null));
        }
    }
}
