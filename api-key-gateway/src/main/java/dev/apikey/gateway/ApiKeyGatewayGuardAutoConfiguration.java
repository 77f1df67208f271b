package dev.apikey.gateway;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Without Spring Cloud Gateway's WebFlux server on the class path (no gateway, or Gateway Server MVC): fails the start,
 * unless {@code apikey.gateway.enabled=false}. Without it the gateway's filters would silently not be configured, and
 * an application that added this module to be protected would answer every route without a key.
 */
@AutoConfiguration
@ConditionalOnMissingClass("org.springframework.cloud.gateway.filter.GlobalFilter")
@ConditionalOnProperty(prefix = "apikey.gateway", name = "enabled", matchIfMissing = true)
public class ApiKeyGatewayGuardAutoConfiguration {

    /** What the failed start says. */
    static final String MESSAGE = "api-key-gateway protects Spring Cloud Gateway server WebFlux applications "
            + "(spring-cloud-starter-gateway-server-webflux), which is not on the class path: no API-key check would "
            + "run, so the application does not start. Add the WebFlux gateway, or set apikey.gateway.enabled=false.";

    /**
     * Refuses to create the configuration, which fails the context's start.
     *
     * @throws IllegalStateException always, saying why
     */
    public ApiKeyGatewayGuardAutoConfiguration() {
        throw new IllegalStateException(MESSAGE);
    }
}
