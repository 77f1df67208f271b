package dev.apikey.internal;

import java.util.zip.CRC32;

/**
 * Finds text shaped like a key of any prefix ({@code <head>_<46 base62>} whose last 6 characters are the checksum of
 * the rest) inside free text, so that a key's plaintext pasted into a name, an owner or metadata is refused instead
 * of stored, echoed and logged. A scan, no regular expression: each {@code _} followed by 46 base62 characters ends a
 * candidate token, and each letter before it within {@link KeyLayout#MAX_KEY_LENGTH} is tried as the key's start,
 * so a key glued to the text before it ({@code x<key>}, {@code token<key>}) is found too. At most about a hundred
 * checksums per candidate, and a candidate needs 47 characters of its own. A random text passes a checksum test
 * with odds of about 1 in 57 billion.
 *
 * <p>Not API. Thread-safe: stateless.
 */
public final class KeyShapes {

    private KeyShapes() {
    }

    /** {@return whether the text holds a key of any prefix whose checksum holds}; false for {@code null} */
    public static boolean containsKey(CharSequence text) {
        if (text == null || text.length() < KeyLayout.TOKEN_LENGTH + 2) {
            return false;
        }
        for (int u = 1; u + KeyLayout.TOKEN_LENGTH < text.length(); u++) {
            if (text.charAt(u) != '_' || !tokenFollows(text, u + 1)) {
                continue;
            }
            int end = u + 1 + KeyLayout.TOKEN_LENGTH;
            // Walk back over the prefix and tenant characters; each letter may be where the key starts.
            for (int s = u - 1; s >= Math.max(0, end - KeyLayout.MAX_KEY_LENGTH); s--) {
                char c = text.charAt(s);
                if (c != '_' && c != '-' && Base62.digit(c) < 0) {
                    break;
                }
                if (isLetter(c) && checksumHolds(text, s, end)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean tokenFollows(CharSequence text, int from) {
        if (from + KeyLayout.TOKEN_LENGTH > text.length()) {
            return false;
        }
        for (int i = from; i < from + KeyLayout.TOKEN_LENGTH; i++) {
            if (Base62.digit(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean checksumHolds(CharSequence text, int from, int end) {
        int sumAt = end - KeyLayout.CHECKSUM_LENGTH;
        CRC32 crc = new CRC32();
        for (int i = from; i < sumAt; i++) {
            crc.update(text.charAt(i));
        }
        long actual = 0;
        for (int i = sumAt; i < end; i++) {
            actual = actual * 62 + Base62.digit(text.charAt(i));
        }
        return actual == crc.getValue();
    }
}
