package dev.apikey.internal;

/**
 * The base62 alphabet ({@code 0-9A-Za-z}) used by every part of a key's token, and fixed-width
 * number encodings over it.
 *
 * <p>Not API. Thread-safe: stateless.
 */
public final class Base62 {

    /** The alphabet in digit order. */
    public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static final byte[] DIGITS = new byte[128];

    static {
        java.util.Arrays.fill(DIGITS, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DIGITS[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private Base62() {
    }

    /**
     * The digit value of a character.
     *
     * @param c any char
     * @return 0..61, or -1 if {@code c} is not in the alphabet
     */
    public static int digit(byte c) {
        return BYTE_DIGITS[c & 0xff];
    }

    /** Digit values of all 256 byte values, -1 (all bits set) for bytes outside the alphabet. */
    private static final int[] BYTE_DIGITS = new int[256];

    static {
        java.util.Arrays.fill(BYTE_DIGITS, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            BYTE_DIGITS[ALPHABET.charAt(i)] = i;
        }
    }

    /**
     * The digit value of a character.
     *
     * @param c any char
     * @return 0..61, or -1 if {@code c} is not in the alphabet
     */
    public static int digit(int c) {
        return c >= 0 && c < 128 ? DIGITS[c] : -1;
    }

    /**
     * Encodes a non-negative number as exactly {@code width} digits, most significant first.
     *
     * @throws IllegalArgumentException if the number is negative or does not fit the width
     */
    public static String encode(long value, int width) {
        char[] out = new char[width];
        encode(value, out, 0, width);
        return new String(out);
    }

    /**
     * Writes {@code value} as exactly {@code width} digits into {@code out} at {@code offset}.
     *
     * @throws IllegalArgumentException if the number is negative or does not fit the width
     */
    public static void encode(long value, char[] out, int offset, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("value must be non-negative, was " + value);
        }
        long rest = value;
        for (int i = offset + width - 1; i >= offset; i--) {
            out[i] = ALPHABET.charAt((int) (rest % 62));
            rest /= 62;
        }
        if (rest != 0) {
            throw new IllegalArgumentException("value " + value + " does not fit in " + width + " base62 digits");
        }
    }

    /**
     * Decodes {@code length} digits of {@code s} starting at {@code offset}.
     *
     * @return the value, or -1 if a character is outside the alphabet (length must be at most 10)
     */
    public static long decode(CharSequence s, int offset, int length) {
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            int d = digit(s.charAt(i));
            if (d < 0) {
                return -1;
            }
            value = value * 62 + d;
        }
        return value;
    }
}
