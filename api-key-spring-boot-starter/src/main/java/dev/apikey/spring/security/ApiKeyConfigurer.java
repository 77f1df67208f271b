package dev.apikey.spring.security;

import dev.apikey.ApiKeys;
import dev.apikey.spring.ApiKeyProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.NullSecurityContextRepository;
import org.springframework.security.web.savedrequest.NullRequestCache;

/**
 * Adds API-key authentication to a {@code SecurityFilterChain}: the {@link ApiKeyAuthenticationFilter}, a stateless
 * session, no CSRF token (a key in a header is not sent by browsers on their own), and the
 * {@link ApiKeyProblemHandler} as entry point and access-denied handler. Use it on the chain of the API's paths,
 * beside other chains (form login on the others):
 *
 * <pre>{@code
 * http.securityMatcher("/api/**")
 *     .authorizeHttpRequests(a -> a.requestMatchers(HttpMethod.GET, "/api/v1/events").hasAuthority("SCOPE_events:read")
 *                                  .anyRequest().authenticated())
 *     .with(ApiKeyConfigurer.apiKeys(), Customizer.withDefaults());
 * }</pre>
 *
 * <p>The {@link ApiKeys} and the realm come from the application context (the starter's beans).
 */
public final class ApiKeyConfigurer extends AbstractHttpConfigurer<ApiKeyConfigurer, HttpSecurity> {

    private ApiKeys apiKeys;
    private String realm;

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
        if (realm == null) {
            realm = context.getBeanProvider(ApiKeyProperties.class).getIfAvailable(ApiKeyProperties::new).getRealm();
        }
        ApiKeyProblemHandler problems = new ApiKeyProblemHandler(realm);
        http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        // Set here too: this configurer comes last, after session management read its policy. No session is read
        // (a browser's session does not open API routes) and no request is saved (a refusal opens no session).
        http.securityContext(c -> c.securityContextRepository(new NullSecurityContextRepository()));
        http.requestCache(c -> c.requestCache(new NullRequestCache()));
        http.csrf(c -> c.disable());
        http.exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    }

    @Override
    public void configure(HttpSecurity http) {
        http.addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys, realm), AnonymousAuthenticationFilter.class);
    }
}
