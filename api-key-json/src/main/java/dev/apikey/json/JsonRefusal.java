package dev.apikey.json;

/**
 * A JSON body refused by {@link KeyJson}: either it is not JSON within the limits ({@link #malformed()}: the
 * admin API answers 400 {@code malformed_request}), or a member breaks its rule (422 {@code invalid_field}, with
 * {@link #field()}). The message names the rule, the field as the JSON names it, and for malformed bodies the line
 * and column; it never quotes the body.
 */
public final class JsonRefusal extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @serial the member at fault, as the JSON names it, or {@code null} */
    private final String field;
    /** @serial whether the body is not JSON within the limits */
    private final boolean malformed;

    JsonRefusal(String field, String message, boolean malformed) {
        super(message);
        this.field = field;
        this.malformed = malformed;
    }

    static JsonRefusal malformed(String message) {
        return new JsonRefusal(null, message, true);
    }

    static JsonRefusal invalid(String field, String message) {
        return new JsonRefusal(field, message, false);
    }

    /** {@return the member at fault as the JSON names it (e.g. {@code expires_at}), or {@code null} for the body} */
    public String field() {
        return field;
    }

    /** {@return whether the body is not JSON within the limits, rather than JSON with a wrong member} */
    public boolean malformed() {
        return malformed;
    }
}
