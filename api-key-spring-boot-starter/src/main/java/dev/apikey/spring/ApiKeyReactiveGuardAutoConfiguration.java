package dev.apikey.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;

/**
 * In a reactive (WebFlux) application: fails the start. The starter protects servlet applications only (its
 * {@code ApiKeyFilter} and Spring Security chain are servlet filters); without this, a WebFlux application with the
 * starter would start with every route answering without a key. A reactive adapter does not exist yet.
 */
@AutoConfiguration(before = ApiKeyAutoConfiguration.class)
@AutoConfigureOrder(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class ApiKeyReactiveGuardAutoConfiguration {

    /** What the failed start says. */
    static final String MESSAGE = "api-key-spring-boot-starter protects servlet (Spring MVC) applications only, and "
            + "this is a reactive (WebFlux) application: no API-key check would run, and every route would answer "
            + "without a key, so it does not start. Run the application on Spring MVC (spring-boot-starter-webmvc, "
            + "or spring.main.web-application-type=servlet), or drop the starter and verify keys yourself with "
            + "ApiKeys from api-key-core.";

    /**
     * Refuses to create the configuration, which fails the context's start.
     *
     * @throws IllegalStateException always, saying why
     */
    public ApiKeyReactiveGuardAutoConfiguration() {
        throw new IllegalStateException(MESSAGE);
    }
}
