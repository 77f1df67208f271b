package dev.apikey.spring.security;

import dev.apikey.spring.ApiKeyAutoConfiguration;
import dev.apikey.spring.ApiKeyProperties;
import dev.apikey.spring.ApiKeyPropertyException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * With Spring Security: the {@link ApiKeyProblemHandler} (also the firewall's {@code RequestRejectedHandler}, so a
 * rejected path is {@code non_canonical_path}), and, unless the host declares a {@link SecurityFilterChain} of its
 * own, a stateless chain enforcing {@code apikey.routes}: a public route passes, a scope becomes
 * {@code SCOPE_<scope>} (with the tenant check where the path has {@code {tenantId}}), an {@code authenticated}
 * route needs any key, {@code /error} (Spring Boot's error page) and CORS preflights pass, and every other request
 * is answered as the filter answers it: {@code 405 method_not_allowed} with {@code Allow}, or {@code 404 not_found}
 * ({@link ApiKeyRouteRules}). A GET rule covers HEAD too, as in the filter.
 */
@AutoConfiguration(after = ApiKeyAutoConfiguration.class, beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SecurityFilterChain.class)
public class ApiKeySecurityAutoConfiguration {

    /** Creates the configuration; Spring calls it. */
    public ApiKeySecurityAutoConfiguration() {
    }

    /**
     * The problem answers for Spring Security's refusals.
     *
     * @param properties the properties (for the realm and the problem type base)
     * @return the handler
     */
    @Bean
    @ConditionalOnMissingBean
    public ApiKeyProblemHandler apiKeyProblemHandler(ApiKeyProperties properties) {
        return new ApiKeyProblemHandler(properties.validRealm(), properties.validProblemTypeBase());
    }

    /**
     * The chain for {@code apikey.routes}, when the host has none.
     *
     * @param http       Spring Security's builder
     * @param routes     the route rules
     * @param properties the properties
     * @return the chain
     * @throws Exception               if Spring Security refuses the configuration
     * @throws ApiKeyPropertyException if {@code apikey.admin.enabled}: this chain cannot sign admins in
     */
    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    public SecurityFilterChain apiKeySecurityFilterChain(HttpSecurity http, ApiKeyAutoConfiguration.ApiKeyRoutes routes,
            ApiKeyProperties properties) throws Exception {
        if (properties.getAdmin().isEnabled()) {
            String path = properties.getAdmin().getPath();
            throw new ApiKeyPropertyException("apikey.admin.enabled", "true", "must be false while the security chain is the "
                    + "one the starter builds from apikey.routes: that chain answers API keys only, and the console at "
                    + path + "/ needs signed-in users in role " + properties.getAdmin().getRole() + ". Declare two "
                    + "SecurityFilterChain beans instead: @Order(1) http.securityMatcher(\"/api/**\")"
                    + ".authorizeHttpRequests(ApiKeyRouteRules.of(...)).with(ApiKeyConfigurer.apiKeys(), "
                    + "Customizer.withDefaults()); @Order(2) form login, " + path + "/** with hasRole(\""
                    + properties.getAdmin().getRole() + "\") and csrf(c -> c.spa()); and a UserDetailsService with "
                    + "that role (examples/spring-boot-seed-api does all three)", null);
        }
        http.authorizeHttpRequests(ApiKeyRouteRules.of(routes.routes()));
        http.with(ApiKeyConfigurer.apiKeys(), Customizer.withDefaults());
        return http.build();
    }

    /**
     * No password login, when the host has no user store and sets no {@code spring.security.user.*}: keys are
     * authenticated by the starter's filter, and this provider only passes on what that filter made. Without it Spring
     * Boot would make an in-memory user with a generated password, and log the password (as on the reactive side).
     *
     * @return the provider
     */
    @Bean
    @ConditionalOnMissingBean({AuthenticationManager.class, AuthenticationProvider.class, UserDetailsService.class,
            AuthenticationManagerResolver.class})
    @ConditionalOnExpression("'${spring.security.user.name:}' == '' and '${spring.security.user.password:}' == ''")
    public AuthenticationProvider apiKeyAuthenticationProvider() {
        return new KeysOnly();
    }

    /** Passes on an API key's authentication, and authenticates nothing else. */
    private static final class KeysOnly implements AuthenticationProvider {
        @Override
        public Authentication authenticate(Authentication authentication) {
            return authentication instanceof ApiKeyAuthentication ? authentication : null;
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return ApiKeyAuthentication.class.isAssignableFrom(authentication);
        }

        @Override
        public String toString() {
            return "ApiKeyAuthenticationProvider[keys only]";
        }
    }
}
