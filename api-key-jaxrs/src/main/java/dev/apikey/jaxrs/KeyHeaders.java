package dev.apikey.jaxrs;

import java.util.List;

/**
 * The key header and query-string rules of api-key-servlet's {@code Screening}, for a request as Jakarta REST
 * sees it: {@code X-Api-Key} with the bare key or {@code Authorization: Bearer <key>}, each at most once, the same
 * key if both are sent (the query-string rule is the core's {@code KeyFormat.inQuery}). Same checks, same order,
 * same details, so the two adapters refuse alike (that class reads an {@code HttpServletRequest}, which this module must not need).
 */
final class KeyHeaders {

    static final String X_API_KEY = "X-Api-Key";
    static final String AUTHORIZATION = "Authorization";
    static final String X_API_KEY_TWICE = "The X-Api-Key header appears more than once; send it once.";
    static final String AUTHORIZATION_TWICE = "The Authorization header appears more than once; send it once.";
    static final String X_API_KEY_WITH_BEARER = "X-Api-Key takes the key alone, without 'Bearer'.";
    static final String AUTHORIZATION_NOT_BEARER = "The Authorization header must be 'Bearer <key>'.";
    static final String TWO_KEYS = "The request carries both X-Api-Key and Authorization with different values; "
            + "send the key in one of them.";

    private static final String BEARER = "Bearer ";

    private KeyHeaders() {
    }

    /** What the headers hold: the header value to verify (null if none), or why they cannot be used. */
    record Found(String value, String malformed) {
        @Override
        public String toString() {
            return malformed == null ? "Found[" + (value == null ? "none" : "a key") + "]" : "Found[" + malformed + "]";
        }
    }

    /**
     * Reads the key header from the request's values of {@code X-Api-Key} and {@code Authorization}.
     *
     * @param apiKeys        the values of {@code X-Api-Key}, or {@code null}
     * @param authorizations the values of {@code Authorization}, or {@code null}
     */
    static Found find(List<String> apiKeys, List<String> authorizations) {
        String apiKey = first(apiKeys);
        if (apiKey != null && apiKeys.size() > 1) {
            return new Found(null, X_API_KEY_TWICE);
        }
        String authorization = first(authorizations);
        if (authorization != null && authorizations.size() > 1) {
            return new Found(null, AUTHORIZATION_TWICE);
        }
        if (apiKey != null && isBearer(apiKey.strip())) {
            return new Found(null, X_API_KEY_WITH_BEARER);
        }
        if (authorization != null && !isBearer(authorization.strip())) {
            return new Found(null, AUTHORIZATION_NOT_BEARER);
        }
        if (apiKey != null && authorization != null
                && !authorization.strip().substring(BEARER.length()).strip().equals(apiKey.strip())) {
            return new Found(null, TWO_KEYS);
        }
        return new Found(apiKey != null ? apiKey : authorization, null);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean isBearer(String value) {
        return value.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }
}
