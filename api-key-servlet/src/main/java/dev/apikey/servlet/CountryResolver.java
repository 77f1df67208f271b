package dev.apikey.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/**
 * Where a request's country comes from, for keys and tenants restricted to countries ({@code country_not_allowed}):
 * asked while such a key is verified. The host chooses one: a header its CDN or proxy sets ({@link #header}, believed
 * only from trusted proxies), or a MaxMind-format database it supplies (module {@code api-key-geoip}).
 *
 * <p>When the host also runs anomaly detection ({@code ApiKeysBuilder.anomalyDetection}, with a usage store that keeps
 * countries: the built-in ones do), it is asked for the new-country anomaly too, and only then: once when an outcome
 * earned with a key's secret comes from a source network new to that key within the usage flush interval (at most 64
 * times per key and interval, never for a wrong secret), and the country is kept by the hour with the key's usage
 * counts. Without anomaly detection, keys without a country list never ask it.
 *
 * <p>Implementations are thread-safe and fast (no network): they run on the request's thread inside the verify.
 */
@FunctionalInterface
public interface CountryResolver {

    /**
     * {@return the request's country as an ISO 3166-1 alpha-2 code (any case), or {@code null} if unknown}
     * Anything else (a CDN's {@code XX} or {@code T1}) is read as unknown too.
     *
     * @param request       the request
     * @param clientAddress its client's address as {@link ClientAddress} defines it, or {@code null} if unknown
     */
    String country(HttpServletRequest request, String clientAddress);

    /**
     * {@return a resolver that reads the country a CDN or proxy writes in a header, e.g. {@code CF-IPCountry}
     * (Cloudflare) or {@code CloudFront-Viewer-Country} (CloudFront), only when the request's connection comes from
     * one of {@code trust}'s proxies; from any other peer the header is ignored (a client could forge it) and the
     * country is unknown}
     *
     * @param headerName the header, e.g. {@code CF-IPCountry}
     * @param trust      the trusted proxies; must not be {@link ClientAddress#direct()}
     * @throws IllegalArgumentException if no proxy is trusted (the header could never be believed), or the name is
     *                                  not a header token
     */
    static CountryResolver header(String headerName, ClientAddress trust) {
        Objects.requireNonNull(headerName, "countryHeader");
        Objects.requireNonNull(trust, "trust");
        if (!headerName.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("countryHeader must be 1 to 64 of [A-Za-z0-9-], was '"
                    + (headerName.length() > 64 ? headerName.substring(0, 64) + "..." : headerName) + "'");
        }
        if (trust.trustedProxies().isEmpty()) {
            throw new IllegalArgumentException("countryHeader " + headerName + " needs trustedProxies: a header is "
                    + "believed only from the proxies that set it");
        }
        return new HeaderCountryResolver(headerName, trust);
    }
}
