package dev.apikey.internal;

/**
 * The rule for human-entered text (key names, owners, metadata values): printable characters only, so that a
 * value cannot forge log lines or hide in a terminal, and no key's plaintext (see {@link KeyShapes}), so that a
 * key pasted into the wrong field is not stored, echoed and logged.
 *
 * <p>Not API. Thread-safe: stateless.
 */
public final class Printable {

    /** Why text holding a key is refused. */
    public static final String KEY_INSIDE = "must not hold an API key (found text shaped like a key whose checksum"
            + " holds): a key is a secret, so it is never stored, shown or logged as a label; name it by its hint or"
            + " key id instead";

    private Printable() {
    }

    /**
     * Checks {@code text}: 1 to {@code max} code points, none of them control, format, separator other than a
     * plain space, unassigned or a lone surrogate, no whitespace at either end, and nothing shaped like a key.
     *
     * @return the reason it is refused, or {@code null}
     */
    public static String problem(String text, int max) {
        if (text == null) {
            return "must not be null";
        }
        int count = text.codePointCount(0, text.length());
        if (count < 1 || count > max) {
            return "must be 1 to " + max + " characters, was " + count;
        }
        if (Character.isWhitespace(text.codePointAt(0)) || Character.isWhitespace(text.codePointBefore(text.length()))) {
            return "must not start or end with whitespace";
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (!isPrintable(cp)) {
                return "must contain only printable characters (found U+" + String.format(java.util.Locale.ROOT, "%04X", cp) + ")";
            }
            i += Character.charCount(cp);
        }
        if (KeyShapes.containsKey(text)) {
            return KEY_INSIDE;
        }
        return null;
    }

    private static boolean isPrintable(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
            case Character.PRIVATE_USE:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return false;
            case Character.SPACE_SEPARATOR:
                return cp == ' ';
            default:
                return true;
        }
    }
}
