package dev.apikey.jaxrs;

import java.util.Locale;

/**
 * The little JSON this module writes: quoted, escaped strings, escaped exactly as api-key-servlet's problems are
 * (that module's class is package-private and lives beside the Servlet API, which this module must not need).
 */
final class Json {

    private Json() {
    }

    /** A JSON string literal; {@code null} becomes {@code null}. Escapes quotes, backslashes, controls and {@code <>&}. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                out.append("\\\"");
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029 || c == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
