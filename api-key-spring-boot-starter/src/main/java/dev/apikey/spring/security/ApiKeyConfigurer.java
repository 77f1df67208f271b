package dev.apikey.spring.security;

import dev.apikey.ApiKeys;
import dev.apikey.spring.ApiKeyProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.session.NullAuthenticatedSessionStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.session.SessionManagementFilter;
import org.springframework.security.web.savedrequest.NullRequestCache;

/**
 * Adds API-key authentication to a {@code SecurityFilterChain}: the {@link ApiKeyAuthenticationFilter}, no session
 * (a granted key's authentication lives in a request attribute, never in a session, whatever the chain's session
 * settings: no {@code JSESSIONID} is made, and no cookie opens anything), no CSRF token (a key in a header is not
 * sent by browsers on their own), and the {@link ApiKeyProblemHandler} as entry point and access-denied handler.
 * Use it on the chain of the API's paths, beside other chains (form login on the others), with the routes declared
 * once by {@link ApiKeyRouteRules} (a {@code GET} rule covers {@code HEAD}; what no rule names is 404 or 405):
 *
 * <pre>{@code
 * http.securityMatcher("/api/**")
 *     .authorizeHttpRequests(ApiKeyRouteRules.of(
 *             "GET /api/v1/events -> events:read",
 *             "GET /api/v1/tenants/{tenantId}/events -> events:read",
 *             "GET /api/v1/whoami -> authenticated"))
 *     .with(ApiKeyConfigurer.apiKeys(), Customizer.withDefaults());
 * }</pre>
 *
 * <p>Rules written by hand instead must do the same: Spring's {@code requestMatchers(HttpMethod.GET, ...)} does not
 * match {@code HEAD}, and a chain ending in {@code anyRequest().authenticated()} lets any key reach a handler by
 * {@code HEAD} or {@code OPTIONS} whatever its scopes.
 *
 * <p>The {@link ApiKeys} and the {@link ApiKeyProblemHandler} (its realm and problem type base) come from the
 * application context (the starter's beans, or the host's). The cost of each call ({@code cost=N} at the end of a
 * rule) comes from the {@link ApiKeyRouteRules} given to the same chain's {@code authorizeHttpRequests}: 1 without
 * them.
 */
public final class ApiKeyConfigurer extends AbstractHttpConfigurer<ApiKeyConfigurer, HttpSecurity> {

    private ApiKeys apiKeys;
    private ApiKeyProblemHandler problems;

    private ApiKeyConfigurer() {
    }

    /** {@return a configurer taking the context's {@link ApiKeys}} */
    public static ApiKeyConfigurer apiKeys() {
        return new ApiKeyConfigurer();
    }

    /**
     * Uses this verifier instead of the context's.
     *
     * @param apiKeys the verifier
     * @return this configurer
     */
    public ApiKeyConfigurer verifier(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
        return this;
    }

    @Override
    public void init(HttpSecurity http) {
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        if (apiKeys == null) {
            apiKeys = context.getBean(ApiKeys.class);
        }
        // The context's handler (the starter's, from apikey.realm and apikey.problem-type-base, or the host's).
        problems = context.getBeanProvider(ApiKeyProblemHandler.class).getIfAvailable(() -> {
            ApiKeyProperties p = context.getBeanProvider(ApiKeyProperties.class).getIfAvailable(ApiKeyProperties::new);
            return new ApiKeyProblemHandler(p.validRealm(), p.validProblemTypeBase());
        });
        // This configurer comes last, after session management's init chose the repository its filter saves into (a
        // session's, unless the host's chain was stateless from the start); setting a policy now enables that
        // SessionManagementFilter, which would save the granted key's context in a new session (JSESSIONID).
        // Whatever the host's session settings, the filter is replaced by one that looks only at the request.
        http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS)
                .withObjectPostProcessor(new ObjectPostProcessor<SessionManagementFilter>() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <O extends SessionManagementFilter> O postProcess(O filter) {
                        return (O) new SessionManagementFilter(new RequestAttributeSecurityContextRepository(),
                                new NullAuthenticatedSessionStrategy());
                    }
                }));
        // The context is kept in a request attribute (as BearerTokenAuthenticationFilter keeps it), never read from
        // or written to a session: a browser's session does not open API routes. No request is saved either.
        RequestAttributeSecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
        http.setSharedObject(SecurityContextRepository.class, contexts);
        http.securityContext(c -> c.securityContextRepository(contexts));
        http.requestCache(c -> c.requestCache(new NullRequestCache()));
        http.csrf(c -> c.disable());
        http.exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void configure(HttpSecurity http) {
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        // The costs of this chain's routes, if its authorization is ApiKeyRouteRules' (applied before build).
        AuthorizeHttpRequestsConfigurer<HttpSecurity> authorize = http.getConfigurer(AuthorizeHttpRequestsConfigurer.class);
        ApiKeyRouteRules rules = authorize == null ? null : ApiKeyRouteRules.appliedTo(authorize.getRegistry());
        // The starter's (from apikey.client.*) or the host's; none: the connection's address, no country.
        dev.apikey.servlet.ClientAddress client = context.getBeanProvider(dev.apikey.servlet.ClientAddress.class)
                .getIfAvailable(dev.apikey.servlet.ClientAddress::direct);
        dev.apikey.servlet.CountryResolver countries = context.getBeanProvider(dev.apikey.servlet.CountryResolver.class)
                .getIfUnique();
        // With Micrometer and an ObservationRegistry: each authentication an observation (a timer, a span).
        http.addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys, problems.realm(), problems.problemTypeBase(),
                client, countries, MicrometerObservations.of(context), rules == null ? null : rules.costs()),
                AnonymousAuthenticationFilter.class);
    }
}
