package dev.apikey.spring.security;

import dev.apikey.ApiKeys;
import dev.apikey.servlet.ClientAddress;
import dev.apikey.servlet.CountryResolver;
import dev.apikey.spring.ApiKeyAutoConfiguration;
import dev.apikey.spring.ApiKeyClients;
import dev.apikey.spring.ApiKeyProperties;
import dev.apikey.spring.ApiKeyPropertyException;
import java.util.function.BiFunction;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import reactor.core.publisher.Mono;

/**
 * In a reactive (WebFlux) application with Spring Security: the same {@code apikey.*} properties, routes and
 * answers as the servlet path. Beans: the {@link ApiKeyReactiveVerifier} (a cache hit verifies on the event loop;
 * anything that may block runs on a bounded scheduler, {@code apikey.webflux.verify-threads} and
 * {@code apikey.webflux.verify-queue}, stopped with the context), the {@link ApiKeyServerProblemHandler} (also the
 * firewall's rejected-exchange handler, so a rejected path is {@code non_canonical_path}), the
 * {@link ApiKeyServerSecurity} a host's own chain applies, and, unless the host declares a
 * {@link SecurityWebFilterChain} of its own, a stateless chain enforcing {@code apikey.routes}
 * ({@link ApiKeyExchangeRules}). The client's address comes from {@code apikey.client.*}; the country from the
 * trusted proxies' {@code apikey.client.country.header}, else from a {@link CountryResolver} (the database reader of
 * {@code api-key-geoip}, or a bean of yours), asked with a {@code null} servlet request and the client's address.
 * Nothing here needs the servlet API, which a WebFlux application does not have.
 */
@AutoConfiguration(after = ApiKeyAutoConfiguration.class, beforeName = {
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.reactive."
                + "ReactiveManagementWebSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ServerHttpSecurity.class, SecurityWebFilterChain.class})
public class ApiKeyReactiveSecurityAutoConfiguration {

    /** Creates the configuration; Spring calls it. */
    public ApiKeyReactiveSecurityAutoConfiguration() {
    }

    /**
     * The verifier that keeps blocking work off the event loop.
     *
     * @param apiKeys    the verifier
     * @param properties the properties ({@code apikey.webflux.*})
     * @return the reactive verifier, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ApiKeyReactiveVerifier apiKeyReactiveVerifier(ApiKeys apiKeys, ApiKeyProperties properties) {
        return ApiKeyReactiveVerifier.bounded(apiKeys, properties.getWebflux().validVerifyThreads(),
                properties.getWebflux().validVerifyQueue());
    }

    /**
     * The problem answers for reactive Spring Security's refusals and the firewall's.
     *
     * @param properties the properties (for the realm and the problem type base)
     * @return the handler
     */
    @Bean
    @ConditionalOnMissingBean
    public ApiKeyServerProblemHandler apiKeyServerProblemHandler(ApiKeyProperties properties) {
        return new ApiKeyServerProblemHandler(properties.validRealm(), properties.validProblemTypeBase());
    }

    /**
     * API-key authentication for a reactive chain: the starter's or the host's. The client's address and country
     * come from the context's {@link ClientAddress} and {@link CountryResolver} beans where the servlet API is on the
     * class path (the starter's, or the host's), else from {@code apikey.client.*} directly.
     *
     * @param verifier   the reactive verifier
     * @param problems   the writer of refusals
     * @param clients    the context's client address definition, if any
     * @param resolvers  the context's country resolver, if any
     * @param properties the properties
     * @param context    the context, for its {@code ObservationRegistry} if any
     * @return the configurer, closed with the context (a country database it opened is closed)
     * @throws ApiKeyPropertyException if {@code apikey.admin.enabled}: the console runs on servlet applications only
     */
    @Bean
    @ConditionalOnMissingBean
    public ApiKeyServerSecurity apiKeyServerSecurity(ApiKeyReactiveVerifier verifier,
            ApiKeyServerProblemHandler problems, ObjectProvider<ClientAddress> clients,
            ObjectProvider<CountryResolver> resolvers, ApiKeyProperties properties, ApplicationContext context) {
        if (properties.getAdmin().isEnabled()) {
            throw new ApiKeyPropertyException("apikey.admin.enabled", "true", "must be false in a reactive (WebFlux) "
                    + "application: the console and its API (api-key-admin) run on a servlet application only; "
                    + "serve them from a Spring MVC application of their own", null);
        }
        ClientAddress client = clients.getIfAvailable(() -> ApiKeyClients.clientAddress(properties));
        // With Micrometer and an ObservationRegistry: each authentication an observation (a timer, a span).
        return new ApiKeyServerSecurity(verifier, problems, client, countries(properties, client, resolvers),
                MicrometerObservations.of(context));
    }

    /**
     * No password login, when the host has no user store and sets no {@code spring.security.user.*}: keys are
     * authenticated by the {@link ApiKeyWebFilter}, and this manager only passes on what that filter made. Without
     * it Spring Boot would make an in-memory user with a generated password, and log the password.
     *
     * @return the manager
     */
    @Bean
    @ConditionalOnMissingBean({ReactiveAuthenticationManager.class, ReactiveUserDetailsService.class,
            ReactiveAuthenticationManagerResolver.class})
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
            "'${spring.security.user.name:}' == '' and '${spring.security.user.password:}' == ''")
    public ReactiveAuthenticationManager apiKeyReactiveAuthenticationManager() {
        return new KeysOnly();
    }

    /** Passes on an API key's authentication, and authenticates nothing else. */
    private static final class KeysOnly implements ReactiveAuthenticationManager {
        @Override
        public Mono<Authentication> authenticate(Authentication authentication) {
            return authentication instanceof ApiKeyAuthentication ? Mono.just(authentication) : Mono.empty();
        }

        @Override
        public String toString() {
            return "ApiKeyReactiveAuthenticationManager[keys only]";
        }
    }

    /**
     * The chain for {@code apikey.routes}, when the host has none.
     *
     * @param http     Spring Security's builder
     * @param routes   the route rules
     * @param security API-key authentication
     * @return the chain
     */
    @Bean
    @ConditionalOnMissingBean(SecurityWebFilterChain.class)
    public SecurityWebFilterChain apiKeySecurityWebFilterChain(ServerHttpSecurity http,
            ApiKeyAutoConfiguration.ApiKeyRoutes routes, ApiKeyServerSecurity security) {
        return security.apply(http, ApiKeyExchangeRules.of(routes.routes())).build();
    }

    /**
     * The country source of {@code apikey.client.country.*}: the trusted proxies' header, read here; else the
     * context's resolver or the database the properties name, asked with a {@code null} servlet request and the
     * client's address; {@code null}: none.
     */
    private static BiFunction<ServerHttpRequest, String, String> countries(ApiKeyProperties properties,
            ClientAddress client, ObjectProvider<CountryResolver> resolvers) {
        String header = properties.getClient().getCountry().getHeader();
        if (header != null && !header.isBlank()) {
            // Checked as the servlet path checks it: a header token, and trusted proxies to believe it from.
            CountryResolver.header(header.strip(), client);
            String name = header.strip();
            return (request, address) -> client.fromTrustedProxy(ApiKeyWebFilter.peerOf(request))
                    ? first(ApiKeyWebFilter.ConnectionPeer.header(request, name)) : null;
        }
        CountryResolver context = resolvers.getIfUnique();
        if (context != null) {
            return new ResolverCountries(context, false);
        }
        CountryResolver opened = ApiKeyClients.countryResolver(properties, client);
        return opened == null ? null : new ResolverCountries(opened, true);
    }

    /** A servlet-side resolver asked without a servlet request; closed with the chain if it was opened here. */
    private record ResolverCountries(CountryResolver resolver, boolean owned)
            implements BiFunction<ServerHttpRequest, String, String>, AutoCloseable {
        @Override
        public String apply(ServerHttpRequest request, String address) {
            return resolver.country(null, address);
        }

        @Override
        public void close() throws Exception {
            if (owned && resolver instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    /** {@return the first value, or {@code null} for none} */
    private static String first(java.util.List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
