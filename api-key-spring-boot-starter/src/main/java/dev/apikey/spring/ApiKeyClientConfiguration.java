package dev.apikey.spring;

import dev.apikey.servlet.ClientAddress;
import dev.apikey.servlet.CountryResolver;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The client's address and country for the servlet filter and the Spring Security chain alike, from
 * {@code apikey.client.*}: a {@link ClientAddress} bean always, a {@link CountryResolver} bean when a country source
 * is set. A host's own bean of either type replaces the starter's.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ClientAddress.class)
public class ApiKeyClientConfiguration {

    private static final String GEOIP_RESOLVER = "dev.apikey.geoip.MaxMindCountryResolver";

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
        ApiKeyClientProperties client = properties.getClient();
        List<String> proxies = client.getTrustedProxies();
        ClientAddress.Header header;
        try {
            header = ClientAddress.Header.named(client.getForwardedHeader());
        } catch (RuntimeException e) {
            throw new ApiKeyPropertyException("apikey.client.forwarded-header", client.getForwardedHeader(),
                    e.getMessage(), e);
        }
        try {
            return proxies.isEmpty() ? ClientAddress.direct() : ClientAddress.behindProxies(proxies, header);
        } catch (RuntimeException e) {
            throw new ApiKeyPropertyException("apikey.client.trusted-proxies", String.join(",", proxies),
                    e.getMessage(), e);
        }
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
        ApiKeyClientProperties.Country country = properties.getClient().getCountry();
        boolean header = country.getHeader() != null && !country.getHeader().isBlank();
        boolean database = country.getDatabase() != null && !country.getDatabase().isBlank();
        if (header && database) {
            throw new ApiKeyPropertyException("apikey.client.country.database", country.getDatabase(),
                    "set one country source: apikey.client.country.header or apikey.client.country.database, not "
                            + "both", null);
        }
        if (header) {
            try {
                return CountryResolver.header(country.getHeader().strip(), clientAddress);
            } catch (RuntimeException e) {
                throw new ApiKeyPropertyException("apikey.client.country.header", country.getHeader(),
                        e.getMessage(), e);
            }
        }
        if (!ClassUtils.isPresent(GEOIP_RESOLVER, getClass().getClassLoader())) {
            throw new ApiKeyPropertyException("apikey.client.country.database", country.getDatabase(),
                    "needs dev.apikey:api-key-geoip on the class path (the MaxMind database reader): add it beside "
                            + "the starter", null);
        }
        try {
            return GeoIp.open(Path.of(country.getDatabase().strip()));
        } catch (RuntimeException e) {
            throw new ApiKeyPropertyException("apikey.client.country.database", country.getDatabase(),
                    e.getMessage(), e);
        }
    }

    /** Loaded only once api-key-geoip is known to be on the class path. */
    private static final class GeoIp {
        static CountryResolver open(Path database) {
            return dev.apikey.geoip.MaxMindCountryResolver.open(database);
        }
    }
}
