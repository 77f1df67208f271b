package dev.apikey.spring.metrics;

import dev.apikey.ApiKeys;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** With Micrometer and a {@link MeterRegistry}: {@link ApiKeyMetrics} and {@link ApiKeyVerifyTimers}. */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"},
        beforeName = "dev.apikey.spring.ApiKeyAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class ApiKeyMetricsAutoConfiguration {

    /** Creates the configuration; Spring calls it. */
    public ApiKeyMetricsAutoConfiguration() {
    }

    /**
     * The verify timers, which the {@link ApiKeys} bean takes as its observer.
     *
     * @param registry the registry
     * @return the timers
     */
    @Bean
    @ConditionalOnMissingBean
    public ApiKeyVerifyTimers apiKeyVerifyTimers(MeterRegistry registry) {
        return new ApiKeyVerifyTimers(registry);
    }

    /**
     * The meters from {@code stats()}.
     *
     * @param apiKeys the verifier
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean
    public ApiKeyMetrics apiKeyMetrics(ApiKeys apiKeys) {
        return new ApiKeyMetrics(apiKeys);
    }
}
