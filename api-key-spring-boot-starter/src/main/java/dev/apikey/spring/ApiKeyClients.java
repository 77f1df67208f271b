package dev.apikey.spring;

import dev.apikey.servlet.ClientAddress;
import dev.apikey.servlet.CountryResolver;
import java.nio.file.Path;
import java.util.List;
import org.springframework.util.ClassUtils;

/**
 * The client's address and country from {@code apikey.client.*}, made once for the servlet beans
 * ({@link ApiKeyClientConfiguration}) and the reactive chain, each wrong value refused naming its property. Not a
 * bean: a WebFlux application has no servlet API, and Spring's look at a bean of these types would need it.
 */
public final class ApiKeyClients {

    private static final String GEOIP_RESOLVER = "dev.apikey.geoip.MaxMindCountryResolver";

    private ApiKeyClients() {
    }

    /**
     * {@return how the client's address is found: the connection's, or behind {@code apikey.client.trusted-proxies}}
     *
     * @param properties the properties
     * @throws ApiKeyPropertyException naming {@code apikey.client.forwarded-header} or
     *                                 {@code apikey.client.trusted-proxies} if one is wrong
     */
    public static ClientAddress clientAddress(ApiKeyProperties properties) {
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
     * {@return where a request's country comes from: a trusted proxy's header or a country database; {@code null}
     * when neither is set (every country unknown)}
     *
     * @param properties    the properties
     * @param clientAddress the trusted proxies
     * @throws ApiKeyPropertyException naming the property, if both sources are set or one is wrong
     */
    public static CountryResolver countryResolver(ApiKeyProperties properties, ClientAddress clientAddress) {
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
        if (!database) {
            return null;
        }
        if (!ClassUtils.isPresent(GEOIP_RESOLVER, ApiKeyClients.class.getClassLoader())) {
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
