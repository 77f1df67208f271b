package dev.apikey.servlet;

import dev.apikey.model.Problem;
import java.util.Collection;

/** The little JSON this module writes: quoted, escaped strings and string arrays. */
final class Json {

    private Json() {
    }

    /** A JSON string literal, escaped as the problem bodies are ({@link Problem#json}). */
    static String quote(String s) {
        return Problem.json(s);
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
