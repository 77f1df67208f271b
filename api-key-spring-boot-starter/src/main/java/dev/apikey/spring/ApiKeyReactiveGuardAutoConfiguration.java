package dev.apikey.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;

/**
 * In a reactive (WebFlux) application without reactive Spring Security on the class path: fails the start. The
 * starter protects a reactive application through Spring Security's {@code ServerHttpSecurity} (see
 * {@code ApiKeyReactiveSecurityAutoConfiguration}); without it no API-key check would run, and every route would
 * answer without a key.
 */
@AutoConfiguration(before = ApiKeyAutoConfiguration.class)
@AutoConfigureOrder(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@Conditional(ApiKeyReactiveGuardAutoConfiguration.ReactiveSecurityMissing.class)
public class ApiKeyReactiveGuardAutoConfiguration {

    /**
     * Matches unless both halves of reactive Spring Security are on the class path (the reactive configuration needs
     * both): with one of them alone, no chain would be made either.
     */
    static final class ReactiveSecurityMissing extends NoneNestedConditions {
        ReactiveSecurityMissing() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnClass(name = {"org.springframework.security.config.web.server.ServerHttpSecurity",
            "org.springframework.security.web.server.SecurityWebFilterChain"})
        static final class BothPresent {
        }
    }

    /** What the failed start says. */
    static final String MESSAGE = "api-key-spring-boot-starter protects a reactive (WebFlux) application through "
            + "Spring Security, which is not on the class path: no API-key check would run, and every route would "
            + "answer without a key, so it does not start. Add spring-boot-starter-security (the starter then "
            + "configures a stateless chain from apikey.routes), or run the application on Spring MVC.";

    /**
     * Refuses to create the configuration, which fails the context's start.
     *
     * @throws IllegalStateException always, saying why
     */
    public ApiKeyReactiveGuardAutoConfiguration() {
        throw new IllegalStateException(MESSAGE);
    }
}
