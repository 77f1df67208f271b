package dev.apikey.model;

import dev.apikey.internal.Base62;
import dev.apikey.internal.KeyLayout;
import dev.apikey.internal.KeyParser;
import dev.apikey.internal.KeyShapes;
import dev.apikey.internal.ParsedKey;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The key format as public API: {@code <prefix>_[<tenant>_]<token>}, where the token is 46 base62 characters
 * ({@code 0-9A-Za-z}): an 8-character key id, a 32-character secret and a 6-character checksum.
 *
 * <p>The checksum rule, for secret scanners: the last 6 characters are the CRC-32 (IEEE 802.3, as
 * {@code java.util.zip.CRC32}, zlib and Go's {@code hash/crc32.ChecksumIEEE}) of every character before them
 * taken as ASCII bytes, written as a base62 number of exactly 6 digits, most significant first, in the
 * alphabet {@code 0-9A-Za-z}. {@link #regex()} finds candidates; the checksum tells real keys from look-alikes.
 *
 * <pre>{@code
 * KeyFormat format = KeyFormat.of("wlcro");
 * format.parse(header).map(KeyFormat.Parts::hint);        // "wlcro_92_3kTz9QbC", never the secret
 * format.regex();                                         // for gitleaks, trufflehog, GitHub custom patterns
 * }</pre>
 *
 * <p>Immutable and thread-safe. Nothing here returns or logs the secret.
 */
public final class KeyFormat {

    /** Base62 characters of the public key id. */
    public static final int KEY_ID_LENGTH = KeyLayout.LOOKUP_ID_LENGTH;
    /** Base62 characters of the secret: about 190 random bits. */
    public static final int SECRET_LENGTH = KeyLayout.SECRET_LENGTH;
    /** Base62 characters of the checksum. */
    public static final int CHECKSUM_LENGTH = KeyLayout.CHECKSUM_LENGTH;
    /** Base62 characters of the whole token: key id, secret and checksum. */
    public static final int TOKEN_LENGTH = KeyLayout.TOKEN_LENGTH;
    /** The base62 alphabet, digit values in order. */
    public static final String ALPHABET = Base62.ALPHABET;
    /** Longest key any prefix and tenant can produce. */
    public static final int MAX_KEY_LENGTH = KeyLayout.MAX_KEY_LENGTH;

    private static final String TOKEN_REGEX = "[0-9A-Za-z]{" + TOKEN_LENGTH + "}";
    private static final String TENANT_REGEX = "(?:[A-Za-z0-9-]{1," + KeyLayout.MAX_TENANT_LENGTH + "}_)?";

    private final String prefix;
    private final KeyParser parser;
    private final java.util.regex.Pattern pattern;

    private KeyFormat(String prefix) {
        this.prefix = prefix;
        this.parser = new KeyParser(prefix);
        this.pattern = java.util.regex.Pattern.compile(regex());
    }

    /**
     * {@return the format of one environment's keys}
     *
     * @param prefix 1 to 20 of {@code [A-Za-z0-9_]}, starting with a letter, without a trailing or doubled
     *               {@code _}
     * @throws IllegalArgumentException if the prefix breaks that rule
     */
    public static KeyFormat of(String prefix) {
        String problem = KeyLayout.prefixProblem(prefix);
        if (problem != null) {
            throw new IllegalArgumentException("prefix " + problem);
        }
        return new KeyFormat(prefix);
    }

    /** The public parts of a well-formed key: never the secret. */
    public record Parts(String prefix, Optional<String> tenantId, String keyId) {

        /**
         * Checks for nulls.
         *
         * @param keyId the key id, 8 base62 characters
         * @param prefix the prefix, e.g. {@code wlcro}
         * @param tenantId the tenant, or {@code null} for a tenant-less key
         */
        public Parts {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(keyId, "keyId");
        }

        /** {@return the loggable hint, {@code <prefix>_[<tenant>_]<key id>}} */
        public String hint() {
            return KeyFormat.hint(prefix, tenantId.orElse(null), keyId);
        }
    }

    /** {@return the prefix of this format} */
    public String prefix() {
        return prefix;
    }

    /**
     * Reads a key of this environment into its public parts, checking shape, alphabet and checksum. Accepts
     * the bare key only (no {@code Bearer}, no whitespace).
     *
     * @param key any text, may be {@code null}
     * @return the parts, or empty if {@code key} is not a well-formed key with this prefix
     */
    public Optional<Parts> parse(CharSequence key) {
        if (key == null || key.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return Optional.empty();
            }
        }
        ParsedKey parsed = new ParsedKey();
        try {
            if (parser.parse(key.toString(), parsed) != KeyParser.Outcome.OK) {
                return Optional.empty();
            }
            return Optional.of(new Parts(prefix, Optional.ofNullable(parsed.tenantId()), parsed.keyId()));
        } finally {
            parsed.clear();
        }
    }

    /**
     * {@return the hint of a key of this environment: {@code <prefix>_[<tenant>_]<key id>}}
     *
     * @param keyId the key id
     * @param tenantId the tenant, or {@code null}
     */
    public String hint(String tenantId, String keyId) {
        return hint(prefix, tenantId, keyId);
    }

    static String hint(String prefix, String tenantId, String keyId) {
        return KeyLayout.hint(prefix, tenantId, keyId);
    }

    /**
     * A regular expression (Java, RE2 and PCRE alike: no look-around) that matches this environment's keys in
     * text, with or without a tenant. Pair it with {@link #checksumValid} to drop look-alikes.
     *
     * @return the expression, for {@link java.util.regex.Pattern} or a scanner
     */
    public String regex() {
        return "\\b" + prefix + "_" + TENANT_REGEX + TOKEN_REGEX + "\\b";
    }

    /**
     * Whether the text holds a key of this environment whose checksum holds, anywhere in it: for refusing
     * keys where they do not belong (a URL, a log line) without a store lookup.
     *
     * @param text any text
     * @return whether a key of this prefix is in it
     */
    public boolean containsKey(CharSequence text) {
        if (text == null || text.length() < prefix.length() + 1 + TOKEN_LENGTH) {
            return false;
        }
        java.util.regex.Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (checksumValid(m.group())) {
                return true;
            }
        }
        return false;
    }

    /** Query parameter names that announce a key, whatever they hold (compared lower-cased). */
    private static final String[] QUERY_KEY_NAMES = {"api_key", "apikey", "api-key", "key", "access_token",
        "x-api-key"};

    /**
     * Whether a raw query string carries a key: a parameter named like one ({@code api_key}, ...), or any name or value
     * that holds a key, however percent-encoded (decoded up to three times): of this environment or any other prefix,
     * glued to other text or with its head's case changed. For adapters that refuse a
     * key in a URL ({@code api_key_in_url}); the match is only detected, never logged or answered.
     *
     * @param rawQuery the query string as it came, or {@code null}
     * @return whether it carries a key
     */
    public boolean inQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return false;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = percentDecoded(eq < 0 ? pair : pair.substring(0, eq));
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            for (String keyName : QUERY_KEY_NAMES) {
                if (lower.equals(keyName)) {
                    return true;
                }
            }
            // A key of any prefix, this environment's among them, glued to other text or its head retyped too.
            String value = eq < 0 ? "" : percentDecoded(pair.substring(eq + 1));
            if (KeyShapes.containsKey(name) || KeyShapes.containsKey(value)) {
                return true;
            }
        }
        return false;
    }

    /** Percent-decodes up to three times ('+' as a space), leniently: a broken escape stays as it is. */
    private static String percentDecoded(String raw) {
        String text = raw;
        for (int round = 0; round < 3 && (text.indexOf('%') >= 0 || text.indexOf('+') >= 0); round++) {
            String next;
            try {
                next = java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return text;
            }
            if (next.equals(text)) {
                break;
            }
            text = next;
        }
        return text;
    }

    /** {@return a regular expression that matches keys of any prefix, for scanners that watch several environments} */
    public static String anyPrefixRegex() {
        return "\\b[A-Za-z][A-Za-z0-9_]{0," + (KeyLayout.MAX_PREFIX_LENGTH - 1) + "}_" + TENANT_REGEX + TOKEN_REGEX
                + "\\b";
    }

    /**
     * Whether the text is shaped like a key of any prefix ({@code <head>_<46 base62>}, at most
     * {@link #MAX_KEY_LENGTH} characters) and its checksum holds. Cheap: no regex, no allocation.
     *
     * @param text any text
     * @return whether it looks like a key
     */
    public static boolean looksLikeKey(CharSequence text) {
        if (text == null || text.length() < TOKEN_LENGTH + 2 || text.length() > MAX_KEY_LENGTH) {
            return false;
        }
        int token = text.length() - TOKEN_LENGTH;
        if (text.charAt(token - 1) != '_' || !isLetter(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < token - 1; i++) {
            char c = text.charAt(i);
            if (c != '_' && c != '-' && Base62.digit(c) < 0) {
                return false;
            }
        }
        for (int i = token; i < text.length(); i++) {
            if (Base62.digit(text.charAt(i)) < 0) {
                return false;
            }
        }
        return checksumValid(text);
    }

    /**
     * Whether the last 6 characters are the checksum of everything before them (the rule in the class
     * description). Any text of at least 7 ASCII characters may be asked; false otherwise.
     *
     * @param key the text, a key or not
     * @return whether the checksum holds
     */
    public static boolean checksumValid(CharSequence key) {
        if (key == null || key.length() <= CHECKSUM_LENGTH) {
            return false;
        }
        int end = key.length() - CHECKSUM_LENGTH;
        long expected = crc32(key, end);
        if (expected < 0) {
            return false;
        }
        long actual = 0;
        for (int i = end; i < key.length(); i++) {
            int d = Base62.digit(key.charAt(i));
            if (d < 0) {
                return false;
            }
            actual = actual * 62 + d;
        }
        return actual == expected;
    }

    /** CRC-32 of the first {@code end} characters as ASCII bytes; -1 if one of them is not ASCII. */
    private static long crc32(CharSequence text, int end) {
        CRC32 crc = new CRC32();
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c > 0x7f) {
                return -1;
            }
            crc.update(c);
        }
        return crc.getValue();
    }

    /**
     * The 6 checksum characters for the text before them (the rule in the class description): appended to a
     * key's prefix, tenant, key id and secret, it completes the key.
     *
     * @param textBeforeChecksum the key without its last 6 characters
     * @return 6 base62 characters
     * @throws IllegalArgumentException if the text holds a character outside ASCII
     * @throws NullPointerException     if the text is null
     */
    public static String checksum(CharSequence textBeforeChecksum) {
        long crc = crc32(textBeforeChecksum, textBeforeChecksum.length());
        if (crc < 0) {
            throw new IllegalArgumentException("textBeforeChecksum must be ASCII");
        }
        return Base62.encode(crc, CHECKSUM_LENGTH);
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    @Override
    public String toString() {
        return "KeyFormat[" + prefix + "]";
    }
}
