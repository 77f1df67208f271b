package dev.apikey.servlet;

import jakarta.servlet.http.HttpServletRequest;

/** {@link CountryResolver#header}'s resolver: the header, from a trusted proxy only. Immutable. */
record HeaderCountryResolver(String headerName, ClientAddress trust) implements CountryResolver {

    @Override
    public String country(HttpServletRequest request, String clientAddress) {
        return trust.fromTrustedProxy(request) ? request.getHeader(headerName) : null;
    }

    @Override
    public String toString() {
        return "CountryResolver[header " + headerName + " from " + trust.trustedProxies().ranges() + "]";
    }
}
