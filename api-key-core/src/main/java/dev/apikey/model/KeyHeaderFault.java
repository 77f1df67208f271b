package dev.apikey.model;

/**
 * Why a request's key headers cannot be used, decided once for every adapter (the servlet filter, Jakarta REST,
 * gRPC's metadata): the key goes in {@code X-Api-Key} alone, or in {@code Authorization} as {@code Bearer <key>}, each
 * at most once, and the same key if both are sent. Each fault is a {@code malformed_request}; {@link #detail()} says
 * it in the words of HTTP headers.
 */
public enum KeyHeaderFault {

    /** {@code X-Api-Key} more than once. */
    X_API_KEY_TWICE("The X-Api-Key header appears more than once; send it once."),
    /** {@code Authorization} more than once. */
    AUTHORIZATION_TWICE("The Authorization header appears more than once; send it once."),
    /** {@code X-Api-Key: Bearer ...}. */
    X_API_KEY_WITH_BEARER("X-Api-Key takes the key alone, without 'Bearer'."),
    /** An {@code Authorization} of another scheme. */
    AUTHORIZATION_NOT_BEARER("The Authorization header must be 'Bearer <key>'."),
    /** Both headers, with different keys. */
    TWO_KEYS("The request carries both X-Api-Key and Authorization with different values; send the key in one of "
            + "them.");

    private static final String BEARER = "Bearer ";

    private final String detail;

    KeyHeaderFault(String detail) {
        this.detail = detail;
    }

    /** {@return the detail of the {@code malformed_request} refusal, naming the headers} */
    public String detail() {
        return detail;
    }

    /**
     * Checks the two headers, in this order: a repeated {@code X-Api-Key}, a repeated {@code Authorization},
     * {@code Bearer} in {@code X-Api-Key}, another scheme in {@code Authorization}, two different keys. Allocates
     * nothing.
     *
     * @param apiKey                the first {@code X-Api-Key} value, or {@code null}
     * @param apiKeyRepeated        whether there is another
     * @param authorization         the first {@code Authorization} value, or {@code null}
     * @param authorizationRepeated whether there is another
     * @return the fault, or {@code null} when the headers may be used: verify {@code apiKey} if present, else
     *         {@code authorization} (either may be {@code null}: no key)
     */
    public static KeyHeaderFault of(String apiKey, boolean apiKeyRepeated, String authorization,
            boolean authorizationRepeated) {
        if (apiKey != null && apiKeyRepeated) {
            return X_API_KEY_TWICE;
        }
        if (authorization != null && authorizationRepeated) {
            return AUTHORIZATION_TWICE;
        }
        if (apiKey != null && isBearer(apiKey.strip())) {
            return X_API_KEY_WITH_BEARER;
        }
        if (authorization != null && !isBearer(authorization.strip())) {
            return AUTHORIZATION_NOT_BEARER;
        }
        if (apiKey != null && authorization != null
                && !authorization.strip().substring(BEARER.length()).strip().equals(apiKey.strip())) {
            return TWO_KEYS;
        }
        return null;
    }

    private static boolean isBearer(String value) {
        return value.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }
}
