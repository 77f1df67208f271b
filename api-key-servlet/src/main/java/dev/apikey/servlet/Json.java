package dev.apikey.servlet;

import java.util.Collection;
import java.util.Locale;

/** The little JSON this module writes: quoted, escaped strings and string arrays. */
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
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                default:
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029 || c == 0x7f) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    /** A JSON array of strings. */
    static String array(Collection<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (String v : values) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(v));
        }
        return out.append(']').toString();
    }
}
