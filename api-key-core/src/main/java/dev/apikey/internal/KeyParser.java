package dev.apikey.internal;

/**
 * Reads an authentication header value ({@code <key>} or {@code Bearer <key>}) into a {@link ParsedKey}
 * with one hand-written scan: no regex, no split, no allocation, and a length cap before anything else.
 *
 * <p>Not API. Thread-safe: immutable; the {@link ParsedKey} passed in must be confined to the caller.
 */
public final class KeyParser {

    /** What a parse found. */
    public enum Outcome {
        /** A well-formed key of this environment; the {@link ParsedKey} is filled. */
        OK,
        /** No header, or only whitespace. */
        MISSING,
        /** The header cannot be used: control characters, several values, unknown scheme, too long. */
        MALFORMED_REQUEST,
        /** The value is not a well-formed key: shape, alphabet or checksum. */
        MALFORMED_KEY,
        /** A well-formed key (valid checksum) whose prefix belongs to another environment. */
        WRONG_ENVIRONMENT
    }

    private static final String BEARER = "Bearer";

    private final byte[] prefix;

    /**
     * @param prefix the key prefix of this environment, already validated by {@link KeyLayout#prefixProblem}
     */
    public KeyParser(String prefix) {
        this.prefix = prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Parses a header value.
     *
     * @param header the raw header value, may be {@code null}
     * @param into   the buffer to fill; its content is meaningful only when the outcome is {@link Outcome#OK}
     * @return the outcome, never {@code null}; never throws for any input
     */
    public Outcome parse(String header, ParsedKey into) {
        if (header == null) {
            return Outcome.MISSING;
        }
        int start = 0;
        int end = header.length();
        while (start < end && isBlank(header.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(header.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return Outcome.MISSING;
        }
        if (end - start > KeyLayout.MAX_HEADER_LENGTH) {
            return Outcome.MALFORMED_REQUEST;
        }
        int firstBlank = -1;
        for (int i = start; i < end; i++) {
            char c = header.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c == ',') {
                return Outcome.MALFORMED_REQUEST;
            }
            if (firstBlank < 0 && isBlank(c)) {
                firstBlank = i;
            }
        }
        int keyStart = start;
        if (firstBlank >= 0) {
            if (!isBearer(header, start, firstBlank)) {
                return Outcome.MALFORMED_REQUEST;
            }
            keyStart = firstBlank;
            while (isBlank(header.charAt(keyStart))) {
                keyStart++;
            }
            for (int i = keyStart; i < end; i++) {
                if (isBlank(header.charAt(i))) {
                    return Outcome.MALFORMED_REQUEST;
                }
            }
        } else if (isBearer(header, start, end)) {
            return Outcome.MISSING;
        }
        return parseKey(header, keyStart, end, into);
    }

    private Outcome parseKey(String s, int from, int to, ParsedKey into) {
        int n = to - from;
        if (n < KeyLayout.TOKEN_LENGTH + 2 || n > KeyLayout.MAX_KEY_LENGTH) {
            return Outcome.MALFORMED_KEY;
        }
        byte[] b = into.chars;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(from + i);
            if (c > 0x7e) {
                return Outcome.MALFORMED_KEY;
            }
            b[i] = (byte) c;
        }
        into.length = n;
        int token = n - KeyLayout.TOKEN_LENGTH;
        if (b[token - 1] != '_') {
            return Outcome.MALFORMED_KEY;
        }
        long lookupId = 0;
        for (int i = token; i < token + KeyLayout.LOOKUP_ID_LENGTH; i++) {
            int d = Base62.digit(b[i]);
            if (d < 0) {
                return Outcome.MALFORMED_KEY;
            }
            lookupId = lookupId * 62 + d;
        }
        int secretStart = token + KeyLayout.LOOKUP_ID_LENGTH;
        int checksumStart = secretStart + KeyLayout.SECRET_LENGTH;
        for (int i = secretStart; i < checksumStart; i++) {
            if (Base62.digit(b[i]) < 0) {
                return Outcome.MALFORMED_KEY;
            }
        }
        long checksum = 0;
        for (int i = checksumStart; i < n; i++) {
            int d = Base62.digit(b[i]);
            if (d < 0) {
                return Outcome.MALFORMED_KEY;
            }
            checksum = checksum * 62 + d;
        }
        into.crc.reset();
        into.crc.update(b, 0, checksumStart);
        if (into.crc.getValue() != checksum) {
            return Outcome.MALFORMED_KEY;
        }
        into.lookupId = lookupId;
        into.secretStart = secretStart;
        return matchHead(b, token - 1, into);
    }

    /** Matches {@code head} (everything before the token's '_') against {@code prefix[_tenant]}. */
    private Outcome matchHead(byte[] b, int headLength, ParsedKey into) {
        int p = prefix.length;
        if (headLength < p) {
            return Outcome.WRONG_ENVIRONMENT;
        }
        for (int i = 0; i < p; i++) {
            if (b[i] != prefix[i]) {
                return Outcome.WRONG_ENVIRONMENT;
            }
        }
        if (headLength == p) {
            into.tenantStart = -1;
            into.tenantEnd = -1;
            return Outcome.OK;
        }
        int tenantLength = headLength - p - 1;
        if (b[p] != '_' || tenantLength < 1 || tenantLength > KeyLayout.MAX_TENANT_LENGTH) {
            return Outcome.WRONG_ENVIRONMENT;
        }
        for (int i = p + 1; i < headLength; i++) {
            if (!KeyLayout.isTenantChar(b[i])) {
                return Outcome.WRONG_ENVIRONMENT;
            }
        }
        into.tenantStart = p + 1;
        into.tenantEnd = headLength;
        return Outcome.OK;
    }

    private static boolean isBearer(String s, int from, int to) {
        return to - from == BEARER.length() && s.regionMatches(true, from, BEARER, 0, BEARER.length());
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
