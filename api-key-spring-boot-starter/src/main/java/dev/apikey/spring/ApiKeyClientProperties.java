package dev.apikey.spring;

import java.util.ArrayList;
import java.util.List;

/**
 * Who is asking ({@code apikey.client.*}): the trusted proxies whose forwarded address is the client's, for the
 * address allow lists and the audit events, and where a request's country comes from, for keys and tenants
 * restricted to countries. Without any of it the client is the connection's address and every country unknown.
 */
public class ApiKeyClientProperties {

    /**
     * Addresses or CIDR ranges of the proxies in front of this application (load balancer, CDN edge), e.g.
     * 10.0.0.0/8. Only from these is the forwarded-header believed, and the country header read. Empty: the client
     * is the connection's address, and no forwarding header is read.
     */
    private List<String> trustedProxies = new ArrayList<>();

    /** The one header the trusted proxies write the client's address in: X-Forwarded-For or Forwarded. */
    private String forwardedHeader = "X-Forwarded-For";

    private final Country country = new Country();

    /** Creates the defaults; Spring binds the properties. */
    public ApiKeyClientProperties() {
    }

    /** @return the trusted proxies */
    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    /** @param trustedProxies the trusted proxies */
    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** @return the forwarded header's name */
    public String getForwardedHeader() {
        return forwardedHeader;
    }

    /** @param forwardedHeader the forwarded header's name */
    public void setForwardedHeader(String forwardedHeader) {
        this.forwardedHeader = forwardedHeader;
    }

    /** @return where the country comes from */
    public Country getCountry() {
        return country;
    }

    /** Where a request's country comes from: one of a trusted proxy's header or a country database. */
    public static class Country {
        /**
         * A header the trusted proxies or CDN set to the client's country, e.g. CF-IPCountry (Cloudflare) or
         * CloudFront-Viewer-Country; needs apikey.client.trusted-proxies.
         */
        private String header;

        /**
         * A MaxMind-format country database (GeoIP2 or GeoLite2 Country or City .mmdb) the host supplies, looked up
         * with the client's address; needs dev.apikey:api-key-geoip on the class path.
         */
        private String database;

        /** Whether a key restricted to countries is granted when the request's country is unknown. */
        private boolean allowUnknown;

        /** Creates the defaults; Spring binds the properties. */
        public Country() {
        }

        /** @return the country header */
        public String getHeader() {
            return header;
        }

        /** @param header the country header */
        public void setHeader(String header) {
            this.header = header;
        }

        /** @return the country database's path */
        public String getDatabase() {
            return database;
        }

        /** @param database the country database's path */
        public void setDatabase(String database) {
            this.database = database;
        }

        /** @return whether an unknown country passes */
        public boolean isAllowUnknown() {
            return allowUnknown;
        }

        /** @param allowUnknown whether an unknown country passes */
        public void setAllowUnknown(boolean allowUnknown) {
            this.allowUnknown = allowUnknown;
        }
    }
}
