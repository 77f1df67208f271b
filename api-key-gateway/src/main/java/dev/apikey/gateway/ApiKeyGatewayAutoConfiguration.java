package dev.apikey.gateway;

import dev.apikey.ApiKeys;
import dev.apikey.forwarded.SignedCaller;
import java.time.Clock;
import java.util.HashSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.context.annotation.Bean;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Spring Cloud Gateway with API keys, from {@code apikey.gateway.*}: {@link ApiKeyGlobalFilter}, the per-route
 * {@code ApiKey} filter ({@link ApiKeyGatewayFilterFactory}) and {@link SignedCallerHeaders}, over the application's
 * {@link ApiKeys} bean. The start fails, naming the property, without {@code apikey.gateway.secret} of at least 32
 * bytes, or without an {@link ApiKeys} bean.
 */
@AutoConfiguration
@ConditionalOnClass(GlobalFilter.class)
@ConditionalOnProperty(prefix = "apikey.gateway", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ApiKeyGatewayProperties.class)
public class ApiKeyGatewayAutoConfiguration {

    /** Created by Spring. */
    public ApiKeyGatewayAutoConfiguration() {
    }

    /**
     * The signer, over {@code apikey.gateway.secret} and the header names.
     *
     * @param properties the properties
     * @return the signer
     * @throws IllegalStateException naming the property and its rule (never its value)
     */
    @Bean
    public SignedCaller apiKeyGatewaySigner(ApiKeyGatewayProperties properties) {
        String secret = properties.getSecret();
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("apikey.gateway.secret is required: the secret the gateway signs the "
                    + "forwarded caller with, shared with the upstream (at least " + SignedCaller.MIN_SECRET_BYTES
                    + " bytes)");
        }
        try {
            return SignedCaller.withSecret(secret, properties.getHeaders().toNames());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("apikey.gateway: " + e.getMessage(), e);
        }
    }

    /**
     * The bounded scheduler of the verifies that may block; disposed with the context.
     *
     * @param properties the properties
     * @return the scheduler
     */
    @Bean(destroyMethod = "dispose")
    public Scheduler apiKeyGatewayVerifyScheduler(ApiKeyGatewayProperties properties) {
        if (properties.getVerifyThreads() < 1 || properties.getVerifyThreads() > 1024) {
            throw new IllegalStateException("apikey.gateway.verify-threads must be 1 to 1024");
        }
        if (properties.getVerifyQueue() < 1 || properties.getVerifyQueue() > 1_000_000) {
            throw new IllegalStateException("apikey.gateway.verify-queue must be 1 to 1000000");
        }
        return Schedulers.newBoundedElastic(properties.getVerifyThreads(), properties.getVerifyQueue(),
                "apikey-verify");
    }

    /**
     * The key check both filters share.
     *
     * @param apiKeys    the application's verifier
     * @param signer     the signer (for the header names)
     * @param apiKeyGatewayVerifyScheduler the verify scheduler
     * @param properties the properties
     * @return the check
     */
    @Bean
    public GatewayKeyCheck apiKeyGatewayKeyCheck(ObjectProvider<ApiKeys> apiKeys, SignedCaller signer,
            @Qualifier("apiKeyGatewayVerifyScheduler") Scheduler apiKeyGatewayVerifyScheduler,
            ApiKeyGatewayProperties properties) {
        ApiKeys keys = apiKeys.getIfAvailable();
        if (keys == null) {
            throw new IllegalStateException("api-key-gateway needs an ApiKeys bean (dev.apikey.ApiKeys): declare one "
                    + "over the application's key store, or set apikey.gateway.enabled=false");
        }
        try {
            return new GatewayKeyCheck(keys, signer.names(), properties.getRealm(), properties.getProblemTypeBase(),
                    apiKeyGatewayVerifyScheduler);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("apikey.gateway: " + e.getMessage(), e);
        }
    }

    /**
     * The global filter.
     *
     * @param check      the key check
     * @param properties the properties
     * @return the filter
     */
    @Bean
    public ApiKeyGlobalFilter apiKeyGlobalFilter(GatewayKeyCheck check, ApiKeyGatewayProperties properties) {
        return new ApiKeyGlobalFilter(check, properties.isRequireKey(), new HashSet<>(properties.getPublicRoutes()));
    }

    /**
     * The per-route {@code ApiKey} filter.
     *
     * @param check the key check
     * @return the factory
     */
    @Bean
    public ApiKeyGatewayFilterFactory apiKeyGatewayFilterFactory(GatewayKeyCheck check) {
        return new ApiKeyGatewayFilterFactory(check);
    }

    /**
     * The signed caller's headers on the way upstream.
     *
     * @param signer the signer
     * @return the headers filter
     */
    @Bean
    public SignedCallerHeaders apiKeySignedCallerHeaders(SignedCaller signer) {
        return new SignedCallerHeaders(signer, Clock.systemUTC());
    }
}
