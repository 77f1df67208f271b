package dev.apikey.spring;

import dev.apikey.servlet.ClientAddress;
import dev.apikey.servlet.CountryResolver;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The client's address and country for the servlet filter and the Spring Security chain alike, from
 * {@code apikey.client.*}: a {@link ClientAddress} bean always, a {@link CountryResolver} bean when a country source
 * is set. A host's own bean of either type replaces the starter's. Only where the servlet API is: a reactive
 * application's chain makes its own from the same properties ({@link ApiKeyClients}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"dev.apikey.servlet.ClientAddress", "jakarta.servlet.http.HttpServletRequest"})
public class ApiKeyClientConfiguration {

    /** Creates the configuration; Spring calls it. */
    public ApiKeyClientConfiguration() {
    }

    /**
     * How the client's address is found: the connection's, or behind {@code apikey.client.trusted-proxies}.
     *
     * @param properties the properties
     * @return the definition
     */
    @Bean
    @ConditionalOnMissingBean
    public ClientAddress apiKeyClientAddress(ApiKeyProperties properties) {
        return ApiKeyClients.clientAddress(properties);
    }

    /**
     * Where a request's country comes from: a trusted proxy's header or a country database; a context without
     * either has no resolver (every country unknown).
     *
     * @param properties    the properties
     * @param clientAddress the trusted proxies
     * @return the resolver
     */
    @Bean
    @ConditionalOnMissingBean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
            "'${apikey.client.country.header:}' != '' or '${apikey.client.country.database:}' != ''")
    public CountryResolver apiKeyCountryResolver(ApiKeyProperties properties, ClientAddress clientAddress) {
        return ApiKeyClients.countryResolver(properties, clientAddress);
    }
}
