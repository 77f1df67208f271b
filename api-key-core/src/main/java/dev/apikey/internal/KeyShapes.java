package dev.apikey.internal;

import java.util.zip.CRC32;

/**
 * Finds text shaped like a key of any prefix ({@code <head>_<46 base62>} whose last 6 characters are the checksum of
 * the rest) inside free text, so that a key's plaintext pasted into a name, an owner or metadata is refused instead
 * of stored, echoed and logged. A scan, no regular expression: each {@code _} followed by 46 base62 characters ends a
 * candidate token, and each letter before it within {@link KeyLayout#MAX_KEY_LENGTH} is tried as the key's start,
 * so a key glued to the text before it ({@code x<key>}, {@code token<key>}) is found too, and so is one whose prefix
 * and tenant were retyped in the other case ({@code WLCRO_92_<token>}: the secret is intact). At most about three
 * hundred checksums per candidate, and a candidate needs 47 characters of its own. A random text passes a checksum
 * test with odds of about 1 in 57 billion.
 *
 * <p>Not API. Thread-safe: stateless.
 */
public final class KeyShapes {

    /** The head (prefix and tenant) as written. */
    private static final int AS_IS = 0;
    /** The head lower-cased: a key whose lower-case prefix was typed in capitals still holds its secret. */
    private static final int LOWER = 1;
    /** The head upper-cased: the same for an upper-case prefix typed in small letters. */
    private static final int UPPER = 2;

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
                if (isLetter(c) && (checksumHolds(text, s, u, end, AS_IS) || checksumHolds(text, s, u, end, LOWER)
                        || checksumHolds(text, s, u, end, UPPER))) {
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

    private static boolean changes(CharSequence text, int from, int to, int casing) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (cased(c, casing) != c) {
                return true;
            }
        }
        return false;
    }

    /** ASCII letters only: the head is {@code [A-Za-z0-9_-]}. */
    private static char cased(char c, int casing) {
        if (casing == LOWER && c >= 'A' && c <= 'Z') {
            return (char) (c + ('a' - 'A'));
        }
        if (casing == UPPER && c >= 'a' && c <= 'z') {
            return (char) (c - ('a' - 'A'));
        }
        return c;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * Whether the checksum of {@code [from, end)} holds with the head ({@code [from, underscore)}, the prefix and
     * tenant before the token) in {@code casing}; the token itself is base62, whose case is never changed. A casing
     * that changes nothing is not tried again.
     */
    private static boolean checksumHolds(CharSequence text, int from, int underscore, int end, int casing) {
        if (casing != AS_IS && !changes(text, from, underscore, casing)) {
            return false;
        }
        int sumAt = end - KeyLayout.CHECKSUM_LENGTH;
        CRC32 crc = new CRC32();
        for (int i = from; i < sumAt; i++) {
            char c = text.charAt(i);
            crc.update(i < underscore ? cased(c, casing) : c);
        }
        long actual = 0;
        for (int i = sumAt; i < end; i++) {
            actual = actual * 62 + Base62.digit(text.charAt(i));
        }
        return actual == crc.getValue();
    }
}
