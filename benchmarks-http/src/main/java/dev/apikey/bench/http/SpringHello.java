package dev.apikey.bench.http;

import dev.apikey.ApiKeys;
import dev.apikey.bench.http.Bench.Variant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * {@code GET /hello} as a Spring controller, on Spring MVC (Tomcat, Boot's default) or WebFlux (Netty), 127.0.0.1:
 * without authentication, with a hand-written filter (a {@code OncePerRequestFilter} or a {@code WebFilter}, no
 * Spring Security), with Spring Security permitting all ({@code open}, {@link SecuredOpen}; {@code hand-open}: the
 * hand-written check inside that chain), or through the starter ({@code ours}: with Spring Security;
 * {@code ours-filter}, MVC only: without it, the starter's {@code ApiKeyFilter}); WebFlux also {@code open-rules}
 * ({@link RulesOpen}: the starter's chain and rules with an authentication that verifies nothing).
 *
 * <pre>SpringHello mvc|webflux none|hand|open|hand-open|open-rules|ours|ours-filter [port]</pre>
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({SpringHello.Hello.class, SpringHello.HandFilters.class, SecuredOpen.class, RulesOpen.class})
public class SpringHello {

    /** Boot's security auto-configurations: left out where the variant runs without Spring Security. */
    static final List<String> BOOT_SECURITY = List.of(
            "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration");
    /** Boot's user stores (an in-memory user with a generated password where no other authentication is set). */
    static final List<String> BOOT_USERS = List.of(
            "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration");
    /** The starter's security auto-configurations. */
    static final List<String> STARTER_SECURITY = List.of(
            "dev.apikey.spring.security.ApiKeySecurityAutoConfiguration",
            "dev.apikey.spring.security.ApiKeyReactiveSecurityAutoConfiguration");
    /** The rest of the starter's auto-configurations. */
    static final List<String> STARTER_REST = List.of(
            "dev.apikey.spring.ApiKeyReactiveGuardAutoConfiguration",
            "dev.apikey.spring.ApiKeyAutoConfiguration",
            "dev.apikey.spring.ApiKeyFilterAutoConfiguration",
            "dev.apikey.spring.metrics.ApiKeyMetricsAutoConfiguration",
            "dev.apikey.spring.health.ApiKeyHealthAutoConfiguration",
            "dev.apikey.spring.ApiKeyAdminAutoConfiguration",
            "dev.apikey.spring.openapi.ApiKeyOpenApiAutoConfiguration");

    /** Creates the configuration; Spring calls it. */
    public SpringHello() {
    }

    /** The endpoint, the same controller on both stacks. */
    @RestController
    static class Hello {
        @GetMapping(path = Bench.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
        String hello() {
            return Bench.BODY;
        }
    }

    /** The hand-written check, as each stack's plain filter. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "bench.variant", havingValue = "hand")
    static class HandFilters {

        @Bean
        @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
        OncePerRequestFilter handFilter(org.springframework.core.env.Environment env) {
            return SecuredOpen.handFilter(new HandCheck(env.getRequiredProperty("bench.key")));
        }

        @Bean
        @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
        WebFilter handWebFilter(org.springframework.core.env.Environment env) {
            HandCheck check = new HandCheck(env.getRequiredProperty("bench.key"));
            return (exchange, chain) -> check.allows(exchange.getRequest().getHeaders().getFirst(HandCheck.HEADER))
                    ? chain.filter(exchange) : refuse(exchange.getResponse());
        }
    }

    /** The hand-written refusal on a reactive response. */
    static Mono<Void> refuse(ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        DataBuffer body = response.bufferFactory().wrap(HandCheck.REFUSAL.getBytes(StandardCharsets.US_ASCII));
        return response.writeWith(Mono.just(body));
    }

    /** What every benchmark application runs with: loopback, the port, quiet, the variant and its key. */
    static Map<String, Object> common(Variant variant, int port, String key) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.main.banner-mode", "off");
        p.put("server.address", "127.0.0.1");
        p.put("server.port", port);
        p.put("logging.level.root", "WARN");
        p.put("bench.variant", variant.name().toLowerCase(java.util.Locale.ROOT));
        if (key != null) {
            p.put("bench.key", key);
        }
        return p;
    }

    /** Starts the application and prints the key and the port. */
    static void run(Class<?> app, WebApplicationType type, Map<String, Object> properties, boolean mintInContext) {
        SpringApplication application = new SpringApplication(app);
        application.setWebApplicationType(type);
        application.setDefaultProperties(properties);
        ConfigurableApplicationContext context = application.run();
        String key = mintInContext ? Bench.mint(context.getBean(ApiKeys.class))
                : context.getEnvironment().getRequiredProperty("bench.key");
        Bench.announce(key, Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
    }

    /**
     * Starts the application.
     *
     * @param args {@code mvc} or {@code webflux}, the variant, then the port (0 for any)
     */
    public static void main(String[] args) {
        boolean mvc = Bench.arg(args, 0, "mvc").equals("mvc");
        Variant variant = Variant.of(Bench.arg(args, 1, "none"));
        int port = Integer.parseInt(Bench.arg(args, 2, "0"));
        if (mvc && variant == Variant.OPEN_RULES) {
            throw new IllegalArgumentException("variant open-rules is WebFlux's only");
        }
        boolean ours = variant == Variant.OURS || variant == Variant.OURS_FILTER || variant == Variant.OPEN_RULES;
        Map<String, Object> p = common(variant, port, ours ? null : Bench.throwawayKey());
        p.put("apikey.gateway.enabled", "false");
        p.put("spring.cloud.gateway.server.webflux.enabled", "false");
        List<String> excluded = new ArrayList<>();
        if (ours) {
            p.put("apikey.prefix", Bench.PREFIX);
            p.put("apikey.scopes[" + Bench.SCOPE + "]", "Say hello");
            p.put("apikey.routes[0]", "GET " + Bench.PATH + " -> " + Bench.SCOPE);
            if (variant == Variant.OURS_FILTER) {
                excluded.addAll(BOOT_SECURITY);
                excluded.addAll(STARTER_SECURITY);
            }
        } else {
            // open and hand-open keep Boot's web security (their own chain); no user store, no generated password.
            excluded.addAll(variant == Variant.OPEN || variant == Variant.HAND_OPEN ? BOOT_USERS : BOOT_SECURITY);
            excluded.addAll(STARTER_SECURITY);
            excluded.addAll(STARTER_REST);
        }
        p.put("spring.autoconfigure.exclude", String.join(",", excluded));
        run(SpringHello.class, mvc ? WebApplicationType.SERVLET : WebApplicationType.REACTIVE, p, ours);
    }
}
