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

    /** "bearer" in lower case; OR-ing 0x20 lowers an ASCII letter and leaves no other byte equal to one. */
    private static final byte[] BEARER = {'b', 'e', 'a', 'r', 'e', 'r'};

    private static final byte BLANK = 1;
    private static final byte REFUSED = 2;
    /** Set in {@link #TOKEN_KIND} for every character outside the base62 alphabet. */
    private static final byte NOT_BASE62 = 4;
    /** Every char from here up is copied as this one byte, which no rule accepts. */
    private static final int NON_ASCII = 0x80;
    /** What each ASCII character (and {@link #NON_ASCII}) is to the header scan: ORed over the header. */
    private static final byte[] KIND = new byte[NON_ASCII + 1];
    /** The same, plus {@link #NOT_BASE62}: ORed over the last {@link KeyLayout#TOKEN_LENGTH} characters. */
    private static final byte[] TOKEN_KIND = new byte[NON_ASCII + 1];

    static {
        for (int c = 0; c < 0x20; c++) {
            KIND[c] = REFUSED;
        }
        KIND[0x7f] = REFUSED;
        KIND[','] = REFUSED;
        KIND[' '] = BLANK;
        KIND['\t'] = BLANK;
        for (int c = 0; c <= NON_ASCII; c++) {
            TOKEN_KIND[c] = (byte) (KIND[c] | (Base62.digit(c) < 0 ? NOT_BASE62 : 0));
        }
    }

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
        into.secretStart = -1;
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
        // One pass: refuse what makes the header unusable, and copy it as bytes for everything after.
        // Non-ASCII becomes 0x80, which no rule below accepts, so it cannot pose as an ASCII character.
        // The last TOKEN_LENGTH characters are also checked against the alphabet in the same pass: if the header
        // holds a key, they are its token.
        byte[] b = into.chars;
        int length = end - start;
        int tokenStart = Math.max(0, length - KeyLayout.TOKEN_LENGTH);
        int kinds = 0;
        for (int i = 0; i < tokenStart; i++) {
            int c = Math.min(header.charAt(start + i), NON_ASCII);
            kinds |= KIND[c];
            b[i] = (byte) c;
        }
        int tokenKinds = 0;
        for (int i = tokenStart; i < length; i++) {
            int c = Math.min(header.charAt(start + i), NON_ASCII);
            tokenKinds |= TOKEN_KIND[c];
            b[i] = (byte) c;
        }
        kinds |= tokenKinds & ~NOT_BASE62;
        into.length = length;
        if ((kinds & REFUSED) != 0) {
            return Outcome.MALFORMED_REQUEST;
        }
        int firstBlank = -1;
        if ((kinds & BLANK) != 0) {
            firstBlank = 0;
            while (!isBlank((char) b[firstBlank])) {
                firstBlank++;
            }
        }
        int keyStart = 0;
        if (firstBlank >= 0) {
            if (!isBearer(b, firstBlank)) {
                return Outcome.MALFORMED_REQUEST;
            }
            keyStart = firstBlank;
            while (isBlank((char) b[keyStart])) {
                keyStart++;
            }
            for (int i = keyStart; i < length; i++) {
                if (isBlank((char) b[i])) {
                    return Outcome.MALFORMED_REQUEST;
                }
            }
        } else if (isBearer(b, length)) {
            return Outcome.MISSING;
        }
        return parseKey(b, keyStart, length, (tokenKinds & NOT_BASE62) == 0, into);
    }

    /**
     * Reads the key {@code b[from, to)}, whose last {@link KeyLayout#TOKEN_LENGTH} bytes the header scan found
     * all in the alphabet, or not ({@code tokenInAlphabet}).
     */
    private Outcome parseKey(byte[] b, int from, int to, boolean tokenInAlphabet, ParsedKey into) {
        int n = to - from;
        if (n < KeyLayout.TOKEN_LENGTH + 2 || n > KeyLayout.MAX_KEY_LENGTH || !tokenInAlphabet) {
            return Outcome.MALFORMED_KEY;
        }
        int token = to - KeyLayout.TOKEN_LENGTH;
        if (b[token - 1] != '_') {
            return Outcome.MALFORMED_KEY;
        }
        long lookupId = 0;
        for (int i = token; i < token + KeyLayout.LOOKUP_ID_LENGTH; i++) {
            lookupId = lookupId * 62 + Base62.digit(b[i]);
        }
        int secretStart = token + KeyLayout.LOOKUP_ID_LENGTH;
        int checksumStart = secretStart + KeyLayout.SECRET_LENGTH;
        long checksum = 0;
        for (int i = checksumStart; i < to; i++) {
            checksum = checksum * 62 + Base62.digit(b[i]);
        }
        if (Crc32.of(b, from, checksumStart) != checksum) {
            return Outcome.MALFORMED_KEY;
        }
        into.lookupId = lookupId;
        into.secretStart = secretStart;
        return matchHead(b, from, token - 1, into);
    }

    /** Matches the head {@code b[from, headEnd)} (everything before the token's '_') against {@code prefix[_tenant]}. */
    private Outcome matchHead(byte[] b, int from, int headEnd, ParsedKey into) {
        int p = prefix.length;
        if (headEnd - from < p) {
            return Outcome.WRONG_ENVIRONMENT;
        }
        for (int i = 0; i < p; i++) {
            if (b[from + i] != prefix[i]) {
                return Outcome.WRONG_ENVIRONMENT;
            }
        }
        int afterPrefix = from + p;
        if (headEnd == afterPrefix) {
            into.tenantStart = -1;
            into.tenantEnd = -1;
            return Outcome.OK;
        }
        int tenantLength = headEnd - afterPrefix - 1;
        if (b[afterPrefix] != '_' || tenantLength < 1 || tenantLength > KeyLayout.MAX_TENANT_LENGTH) {
            return Outcome.WRONG_ENVIRONMENT;
        }
        for (int i = afterPrefix + 1; i < headEnd; i++) {
            if (!KeyLayout.isTenantChar(b[i])) {
                return Outcome.WRONG_ENVIRONMENT;
            }
        }
        into.tenantStart = afterPrefix + 1;
        into.tenantEnd = headEnd;
        return Outcome.OK;
    }

    /** ASCII case-insensitive match of {@code b[0, length)} with "Bearer". */
    private static boolean isBearer(byte[] b, int length) {
        if (length != BEARER.length) {
            return false;
        }
        for (int i = 0; i < BEARER.length; i++) {
            if ((b[i] | 0x20) != BEARER[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
