package dev.apikey.spring;

import java.util.Objects;
import java.util.Optional;

/**
 * A start refused for an {@code apikey.*} setting the starter cannot use: the property's name, the value as set
 * (never for a secret such as the pepper) and the rule it breaks. The message reads
 * {@code <property>: <rule>, was '<value>'}. The starter's failure analyzer turns it into a
 * few lines naming all three, instead of a stack trace.
 */
public final class ApiKeyPropertyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_SHOWN = 120;

    /** The property, e.g. {@code apikey.routes[2]}. */
    private final String property;
    /** The value as set, shortened; {@code null} for a secret or an unset one. */
    private final String value;
    /** The rule the value breaks. */
    private final String rule;

    /**
     * A refusal of a property's value.
     *
     * @param property the property, e.g. {@code apikey.rate-limit.default-limit}
     * @param value    the value as set, or {@code null} if it is secret or not set
     * @param rule     the rule it breaks, e.g. {@code must be requests per s, min, h or d, like 600/min}
     * @param cause    the refusal behind it, or {@code null}
     */
    public ApiKeyPropertyException(String property, String value, String rule, Throwable cause) {
        super(property + ": " + rule + (value == null ? "" : ", was '" + shown(value) + "'"), cause);
        this.property = Objects.requireNonNull(property, "property");
        this.value = value == null ? null : shown(value);
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** {@return the property, e.g. {@code apikey.routes[2]}} */
    public String property() {
        return property;
    }

    /** {@return the value as set, shortened and without control characters; empty for a secret or an unset one} */
    public Optional<String> value() {
        return Optional.ofNullable(value);
    }

    /** {@return the rule the value breaks, e.g. {@code must be requests per s, min, h or d, like 600/min}} */
    public String rule() {
        return rule;
    }

    /** A value fit for one line of a report: control characters replaced, at most 120 characters. */
    private static String shown(String value) {
        String oneLine = value.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= MAX_SHOWN ? oneLine : oneLine.substring(0, MAX_SHOWN) + "...";
    }
}
