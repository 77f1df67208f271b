package dev.apikey.spring.security;

import dev.apikey.servlet.ClientAddress;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.server.ServerWebExchange;

/**
 * Adds API-key authentication to a reactive {@code SecurityWebFilterChain}, as {@link ApiKeyConfigurer} does to a
 * servlet one: the {@link ApiKeyWebFilter} at the authentication position, no session (the security context is never
 * saved or loaded: {@link NoOpServerSecurityContextRepository}, so no {@code SESSION} cookie is made and none opens
 * anything), no saved request, no CSRF token (a key in a header is not sent by browsers on their own), no logout
 * endpoint, and the {@link ApiKeyServerProblemHandler} as entry point and access-denied handler. The starter makes
 * one as a bean, from its {@code apikey.*} properties; a host's own chain for the API's paths uses it so:
 *
 * <pre>{@code
 * @Bean
 * SecurityWebFilterChain api(ServerHttpSecurity http, ApiKeyServerSecurity apiKeys) {
 *     http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**"))
 *         .authorizeExchange(ApiKeyExchangeRules.of("GET /api/v1/events -> events:read"));
 *     return apiKeys.apply(http).build();
 * }
 * }</pre>
 *
 * <p>Rules written by hand instead must do what {@link ApiKeyExchangeRules} does: {@code pathMatchers(HttpMethod.GET,
 * ...)} does not match {@code HEAD}, and a chain ending in {@code anyExchange().authenticated()} lets any key reach a
 * handler by {@code HEAD} or {@code OPTIONS} whatever its scopes.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiKeyServerSecurity implements AutoCloseable {

    private final ApiKeyReactiveVerifier verifier;
    private final ApiKeyServerProblemHandler problems;
    private final ClientAddress client;
    private final BiFunction<ServerHttpRequest, String, String> countries;
    private final ApiKeyObservations observations;

    /**
     * API-key authentication with these parts.
     *
     * @param verifier  the verifier
     * @param problems  the writer of refusals
     * @param client    how the client's address is found
     * @param countries the request's country from the request and its client's address, or {@code null} for
     *                  every country unknown
     */
    public ApiKeyServerSecurity(ApiKeyReactiveVerifier verifier, ApiKeyServerProblemHandler problems,
            ClientAddress client, BiFunction<ServerHttpRequest, String, String> countries) {
        this(verifier, problems, client, countries, ApiKeyObservations.NONE);
    }

    /** As above, reporting each authentication to {@code observations}. */
    ApiKeyServerSecurity(ApiKeyReactiveVerifier verifier, ApiKeyServerProblemHandler problems,
            ClientAddress client, BiFunction<ServerHttpRequest, String, String> countries,
            ApiKeyObservations observations) {
        this.observations = Objects.requireNonNull(observations, "observations");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.problems = Objects.requireNonNull(problems, "problems");
        this.client = Objects.requireNonNull(client, "client");
        this.countries = countries;
    }

    /**
     * Adds API-key authentication to a chain; its authorization ({@link ApiKeyExchangeRules}) is the caller's. Every
     * key is verified at cost 1: for routes with a cost, use {@link #apply(ServerHttpSecurity, ApiKeyExchangeRules)}.
     *
     * @param http the chain's builder
     * @return the same builder
     */
    public ServerHttpSecurity apply(ServerHttpSecurity http) {
        return withFilter(http, null);
    }

    /**
     * Adds API-key authentication to a chain and these rules as its authorization ({@code authorizeExchange(rules)}),
     * each key verified at the cost of the rule matching the request ({@code cost=N}, 1 where none is set):
     *
     * <pre>{@code
     * return apiKeys.apply(http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**")),
     *         ApiKeyExchangeRules.of("GET /api/v1/search -> events:read cost=10")).build();
     * }</pre>
     *
     * @param http  the chain's builder
     * @param rules the chain's routes
     * @return the same builder
     */
    public ServerHttpSecurity apply(ServerHttpSecurity http, ApiKeyExchangeRules rules) {
        Objects.requireNonNull(rules, "rules");
        http.authorizeExchange(rules);
        if (!rules.metered()) {
            return withFilter(http, null);
        }
        rules.charged();
        return withFilter(http, rules::costOf);
    }

    private ServerHttpSecurity withFilter(ServerHttpSecurity http, ToLongFunction<ServerWebExchange> costs) {
        return http.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(c -> c.requestCache(NoOpServerRequestCache.getInstance()))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterAt(new ApiKeyWebFilter(verifier, problems, client, countries, observations, costs),
                        SecurityWebFiltersOrder.AUTHENTICATION);
    }

    /** {@return the writer of refusals} */
    public ApiKeyServerProblemHandler problems() {
        return problems;
    }

    /**
     * Closes the country source if it holds something to close (a country database the starter opened).
     *
     * @throws Exception if closing it fails
     */
    @Override
    public void close() throws Exception {
        if (countries instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        return "ApiKeyServerSecurity[" + verifier + ", " + problems + ", " + client + "]";
    }
}
