package dev.apikey.spring.health;

import dev.apikey.ApiKeys;
import dev.apikey.spi.KeyStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** With Actuator's health: {@link ApiKeyHealthIndicator} as {@code apiKeys} ({@code management.health.apikeys.enabled}). */
@AutoConfiguration(afterName = "dev.apikey.spring.ApiKeyAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("apikeys")
public class ApiKeyHealthAutoConfiguration {

    /** Creates the configuration; Spring calls it. */
    public ApiKeyHealthAutoConfiguration() {
    }

    /**
     * The health indicator.
     *
     * @param store   the key store
     * @param apiKeys the verifier
     * @return the indicator, named {@code apiKeys}
     */
    @Bean(name = "apiKeysHealthIndicator")
    @ConditionalOnMissingBean(name = "apiKeysHealthIndicator")
    public ApiKeyHealthIndicator apiKeysHealthIndicator(KeyStore store, ApiKeys apiKeys) {
        return new ApiKeyHealthIndicator(store, apiKeys);
    }
}
