package dev.apikey.internal;

import java.util.Base64;

/**
 * Reads and writes the parts of PHC strings ({@code $id[$params]$salt$hash}) with unpadded standard base64.
 *
 * <p>Not API. Thread-safe: stateless.
 */
public final class Phc {

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private Phc() {
    }

    /** The algorithm identifier of a PHC string, or {@code null} if the value is not one. */
    public static String algorithm(String phc) {
        if (phc == null || phc.length() < 3 || phc.charAt(0) != '$') {
            return null;
        }
        int end = phc.indexOf('$', 1);
        return end > 1 ? phc.substring(1, end) : null;
    }

    /** Splits a PHC string into its fields after the leading {@code $}; never throws. */
    public static String[] fields(String phc) {
        if (phc == null || phc.isEmpty() || phc.charAt(0) != '$') {
            return new String[0];
        }
        return phc.substring(1).split("\\$", -1);
    }

    /** Unpadded base64. */
    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** Decodes unpadded base64, or returns {@code null} if it is not base64. */
    public static byte[] decode(String text) {
        try {
            return DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
