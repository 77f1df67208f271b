package dev.apikey.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A key format a host handed out before it used this library, declared on the builder so that such keys keep
 * working: how to recognise one (a prefix, a length range and an alphabet, checked by one scan with the length capped
 * first, no regular expression) and how to find it in the store ({@link Lookup}). A presented key is tried against
 * the legacy formats only when this library's own parser refuses it as malformed, so the hit path of our own keys is
 * unchanged.
 *
 * <p>Immutable and thread-safe. Build one with {@link #digest(String)} or {@link #idPart(String, int, int)}.
 */
public final class LegacyFormat {

    /** The longest legacy key recognised: longer text is refused before it is scanned. */
    public static final int MAX_LENGTH = 512;

    /** How a key of this format is found in the store. */
    public enum Lookup {
        /**
         * By the SHA-256 digest of the whole key: the store holds that digest (as an unsalted hash of a random key
         * would be held by a hand-written filter), found with one digest and one indexed look-up.
         */
        DIGEST,
        /**
         * By an id part of the key at a declared position; the store holds a salted hash of the whole key (bcrypt,
         * Argon2id, PBKDF2), checked after the look-up.
         */
        ID_PART
    }

    private final String name;
    private final byte[] prefix;
    private final int minLength;
    private final int maxLength;
    private final boolean[] alphabet;
    private final String alphabetText;
    private final Lookup lookup;
    private final int idStart;
    private final int idLength;

    private LegacyFormat(Builder b) {
        this.name = b.name;
        this.prefix = b.prefix.getBytes(StandardCharsets.US_ASCII);
        this.minLength = b.minLength;
        this.maxLength = b.maxLength;
        this.alphabetText = b.alphabet;
        this.alphabet = new boolean[128];
        for (int i = 0; i < b.alphabet.length(); i++) {
            alphabet[b.alphabet.charAt(i)] = true;
        }
        this.lookup = b.lookup;
        this.idStart = b.idStart;
        this.idLength = b.idLength;
    }

    /**
     * Starts a format whose keys are found by the SHA-256 digest of the whole key.
     *
     * @param name what logs and the grant notice call the format, 1 to 40 characters {@code [A-Za-z0-9._-]}
     * @return a builder
     */
    public static Builder digest(String name) {
        return new Builder(name, Lookup.DIGEST, 0, 0);
    }

    /**
     * Starts a format whose keys carry an id part at a declared position and are held as a salted hash.
     *
     * @param name     what logs and the grant notice call the format, 1 to 40 characters {@code [A-Za-z0-9._-]}
     * @param idStart  where the id part starts in the key, counted from the key's first character (its prefix's)
     * @param idLength how many characters the id part has, 1 to 64
     * @return a builder
     */
    public static Builder idPart(String name, int idStart, int idLength) {
        return new Builder(name, Lookup.ID_PART, idStart, idLength);
    }

    /** {@return the format's name} */
    public String name() {
        return name;
    }

    /** {@return the prefix every key of the format starts with, possibly empty} */
    public String prefix() {
        return new String(prefix, StandardCharsets.US_ASCII);
    }

    /** {@return the shortest key length, prefix included} */
    public int minLength() {
        return minLength;
    }

    /** {@return the longest key length, prefix included} */
    public int maxLength() {
        return maxLength;
    }

    /** {@return the characters allowed after the prefix} */
    public String alphabet() {
        return alphabetText;
    }

    /** {@return how a key of the format is found} */
    public Lookup lookup() {
        return lookup;
    }

    /** {@return where the id part starts, for {@link Lookup#ID_PART}; 0 otherwise} */
    public int idStart() {
        return idStart;
    }

    /** {@return the id part's length, for {@link Lookup#ID_PART}; 0 otherwise} */
    public int idLength() {
        return idLength;
    }

    /**
     * Whether {@code b[from, to)} is a key of this format: the length is checked first, then the prefix, then each
     * character once against the alphabet. Allocates nothing; never throws for bytes from a header scan (non-ASCII
     * arrives as {@code 0x80}, which no alphabet holds).
     *
     * @param b    the bytes
     * @param from the key's first byte
     * @param to   one past its last
     * @return whether it matches
     */
    public boolean matches(byte[] b, int from, int to) {
        int n = to - from;
        if (n < minLength || n > maxLength) {
            return false;
        }
        int p = prefix.length;
        for (int i = 0; i < p; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        for (int i = from + p; i < to; i++) {
            int c = b[i] & 0xff;
            if (c >= 128 || !alphabet[c]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "LegacyFormat[" + name + ", prefix=" + prefix() + ", length=" + minLength + ".." + maxLength
                + ", lookup=" + lookup + (lookup == Lookup.ID_PART ? ", id=" + idStart + "+" + idLength : "") + "]";
    }

    /** Collects a format's rules; {@link #build()} checks them together. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Lookup lookup;
        private final int idStart;
        private final int idLength;
        private String prefix = "";
        private int minLength = -1;
        private int maxLength = -1;
        private String alphabet;

        private Builder(String name, Lookup lookup, int idStart, int idLength) {
            this.name = Objects.requireNonNull(name, "name");
            this.lookup = lookup;
            this.idStart = idStart;
            this.idLength = idLength;
        }

        /**
         * @param v what every key of the format starts with: printable ASCII, no blank, no comma, at most 64
         *          characters; empty for none (the default)
         * @return this builder
         */
        public Builder prefix(String v) {
            prefix = Objects.requireNonNull(v, "prefix");
            return this;
        }

        /**
         * @param min the shortest key, prefix included
         * @param max the longest key, prefix included, at most {@link LegacyFormat#MAX_LENGTH}
         * @return this builder
         */
        public Builder length(int min, int max) {
            minLength = min;
            maxLength = max;
            return this;
        }

        /**
         * @param v every character allowed after the prefix: printable ASCII, no blank, no comma
         * @return this builder
         */
        public Builder alphabet(String v) {
            alphabet = Objects.requireNonNull(v, "alphabet");
            return this;
        }

        /**
         * @return the format
         * @throws IllegalArgumentException naming the field and the rule it breaks
         */
        public LegacyFormat build() {
            if (name.isEmpty() || name.length() > 40 || !name.chars().allMatch(Builder::isNameChar)) {
                throw new IllegalArgumentException("name must be 1 to 40 characters of [A-Za-z0-9._-]");
            }
            if (prefix.length() > 64 || !prefix.chars().allMatch(Builder::isKeyChar)) {
                throw new IllegalArgumentException("prefix must be at most 64 printable ASCII characters, "
                        + "without blank or comma");
            }
            if (alphabet == null || alphabet.isEmpty() || !alphabet.chars().allMatch(Builder::isKeyChar)) {
                throw new IllegalArgumentException("alphabet must be set: printable ASCII characters, "
                        + "without blank or comma");
            }
            if (minLength < prefix.length() + 1 || maxLength < minLength || maxLength > MAX_LENGTH) {
                throw new IllegalArgumentException("length must satisfy prefix length < min <= max <= "
                        + MAX_LENGTH + ", was " + minLength + ".." + maxLength);
            }
            if (lookup == Lookup.ID_PART && (idLength < 1 || idLength > 64 || idStart < prefix.length()
                    || idStart + idLength > minLength)) {
                throw new IllegalArgumentException("id part must lie after the prefix and within the shortest key "
                        + "(prefix length <= idStart, idStart + idLength <= min length, 1 <= idLength <= 64), was "
                        + idStart + "+" + idLength);
            }
            return new LegacyFormat(this);
        }

        private static boolean isNameChar(int c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
        }

        private static boolean isKeyChar(int c) {
            return c > 0x20 && c < 0x7f && c != ',';
        }
    }
}
