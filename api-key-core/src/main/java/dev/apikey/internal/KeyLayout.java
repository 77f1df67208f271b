package dev.apikey.internal;

/**
 * The fixed shape of a key: {@code <prefix>_[<tenant>_]<token>}, where the token is a base62 lookup id,
 * secret and checksum, and the rules for prefixes and tenant ids.
 *
 * <p>Not API. Thread-safe: constants and pure functions.
 */
public final class KeyLayout {

    /** Base62 characters of the public lookup id (the key id). */
    public static final int LOOKUP_ID_LENGTH = 8;
    /** Base62 characters of the secret: 32 * log2(62) = ~190 bits. */
    public static final int SECRET_LENGTH = 32;
    /** Base62 characters of the CRC32 checksum (62^6 > 2^32). */
    public static final int CHECKSUM_LENGTH = 6;
    /** Characters of the whole token. */
    public static final int TOKEN_LENGTH = LOOKUP_ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;
    /** Longest prefix accepted. */
    public static final int MAX_PREFIX_LENGTH = 20;
    /** Longest tenant id accepted (a UUID fits). */
    public static final int MAX_TENANT_LENGTH = 36;
    /** Longest authentication header value looked at; anything longer is refused unread. */
    public static final int MAX_HEADER_LENGTH = 256;
    /** Longest key any configuration can produce. */
    public static final int MAX_KEY_LENGTH = MAX_PREFIX_LENGTH + 1 + MAX_TENANT_LENGTH + 1 + TOKEN_LENGTH;

    private KeyLayout() {
    }

    /**
     * Checks a prefix: 1 to 20 characters of {@code [A-Za-z0-9_]}, starting with a letter, not ending with
     * {@code _} and without {@code __}.
     *
     * @return the reason it is refused, or {@code null} if it is valid
     */
    public static String prefixProblem(String prefix) {
        if (prefix == null) {
            return "must not be null";
        }
        if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH) {
            return "must be 1 to " + MAX_PREFIX_LENGTH + " characters, was " + prefix.length();
        }
        if (!isAsciiLetter(prefix.charAt(0))) {
            return "must start with a letter";
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '_') {
                if (i == prefix.length() - 1 || prefix.charAt(i + 1) == '_') {
                    return "must not end with '_' or contain '__'";
                }
            } else if (Base62.digit(c) < 0) {
                return "may contain only letters, digits and '_'";
            }
        }
        return null;
    }

    /**
     * Checks a tenant id: 1 to 36 characters of {@code [A-Za-z0-9-]}.
     *
     * @return the reason it is refused, or {@code null} if it is valid
     */
    public static String tenantProblem(CharSequence tenant) {
        if (tenant == null) {
            return "must not be null";
        }
        if (tenant.length() == 0 || tenant.length() > MAX_TENANT_LENGTH) {
            return "must be 1 to " + MAX_TENANT_LENGTH + " characters, was " + tenant.length();
        }
        for (int i = 0; i < tenant.length(); i++) {
            if (!isTenantChar(tenant.charAt(i))) {
                return "may contain only letters, digits and '-'";
            }
        }
        return null;
    }

    /**
     * Checks a key id (lookup id): exactly 8 base62 characters.
     *
     * @return the reason it is refused, or {@code null} if it is valid
     */
    public static String keyIdProblem(String keyId) {
        if (keyId == null) {
            return "must not be null";
        }
        if (keyId.length() != LOOKUP_ID_LENGTH || Base62.decode(keyId, 0, LOOKUP_ID_LENGTH) < 0) {
            return "must be " + LOOKUP_ID_LENGTH + " base62 characters";
        }
        return null;
    }

    /** The public, loggable hint of a key: {@code <prefix>_[<tenant>_]<key id>}. */
    public static String hint(String prefix, String tenantId, String keyId) {
        return tenantId == null ? prefix + '_' + keyId : prefix + '_' + tenantId + '_' + keyId;
    }

    static boolean isTenantChar(int c) {
        return c == '-' || Base62.digit(c) >= 0;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
