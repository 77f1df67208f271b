package dev.apikey.spring;

import dev.apikey.ApiKeys;
import dev.apikey.servlet.ApiKeyFilter;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Without Spring Security (no {@code springSecurityFilterChain}): {@link ApiKeyFilter} for {@code apikey.routes}, on every path and
 * dispatcher type, first in the chain ({@code * /error -> public} is added, for Spring Boot's error page). With no
 * routes configured the filter is registered disabled, with a WARN.
 */
@AutoConfiguration(after = ApiKeyAutoConfiguration.class, afterName = {
        "dev.apikey.spring.security.ApiKeySecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnMissingBean(name = "springSecurityFilterChain")
public class ApiKeyFilterAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyFilterAutoConfiguration.class);

    /** Creates the configuration; Spring calls it. */
    public ApiKeyFilterAutoConfiguration() {
    }

    /**
     * The filter's registration.
     *
     * @param apiKeys    the verifier
     * @param routes     the route rules
     * @param properties the properties
     * @param clientAddress how the client's address is found
     * @param countries   where a request's country comes from, if anywhere
     * @return the registration, named {@code apiKeyFilter}
     */
    @Bean
    public FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeys apiKeys,
            ApiKeyAutoConfiguration.ApiKeyRoutes routes, ApiKeyProperties properties,
            dev.apikey.servlet.ClientAddress clientAddress,
            org.springframework.beans.factory.ObjectProvider<dev.apikey.servlet.CountryResolver> countries) {
        if (properties.getAdmin().isEnabled()) {
            // The filter answers API keys only: nothing here could sign an admin in to the console.
            throw new ApiKeyPropertyException("apikey.admin.enabled", "true", "must be false without Spring Security: the "
                    + "console at " + properties.getAdmin().getPath() + "/ needs signed-in users in role "
                    + properties.getAdmin().getRole() + ". Add spring-boot-starter-security and two "
                    + "SecurityFilterChain beans (API keys on the API's paths, form login on the console's), as "
                    + "examples/spring-boot-seed-api does", null);
        }
        ApiKeyFilter.Builder filter = ApiKeyFilter.builder(apiKeys);
        routes.routes().forEach(filter::route);
        // Spring Boot renders errors by forwarding to /error: let that dispatch through.
        if (routes.routes().stream().noneMatch(r -> r.path().equals("/error"))) {
            filter.route("* /error -> public");
        }
        filter.realm(ApiKeySettings.realm(properties)).problemTypeBase(ApiKeySettings.problemTypeBase(properties))
                .clientAddress(clientAddress);
        countries.ifUnique(filter::countryResolver);
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(filter.build());
        registration.setName("apiKeyFilter");
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE,
                DispatcherType.ERROR, DispatcherType.ASYNC);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        if (routes.routes().isEmpty()) {
            LOG.warn("apikey.routes is empty: the API-key filter is not registered, and nothing is protected");
            registration.setEnabled(false);
        }
        return registration;
    }
}
