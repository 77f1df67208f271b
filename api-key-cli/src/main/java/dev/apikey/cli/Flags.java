package dev.apikey.cli;

import dev.apikey.model.RateLimit;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The library's refusals in the words of the command line: a message that names a Java field ({@code expiresAt
 * must be in the future}) names the flag the user typed instead ({@code --expires must be in the future}), and a
 * duration it quotes ({@code was PT9600H}) is written as people write it ({@code was 400d}). The rule the
 * message states is kept word for word. Which flag stands for which field is {@link AttributeOptions#FIELDS}, beside
 * the options themselves.
 */
final class Flags {

    /** A duration a message quotes as Java writes it, after {@code was}: {@code was PT9600H}. */
    private static final Pattern QUOTED_DURATION = Pattern.compile("\\bwas (-?P[0-9DTHMS.\\-]+)(?=$|[\\s,;)])");

    private Flags() {
    }

    /** {@return the message with its leading field named by its flag and its durations written as 400d} */
    static String translate(String message) {
        if (message == null) {
            return null;
        }
        String text = message;
        for (AttributeOptions.Field f : AttributeOptions.FIELDS) {
            Matcher m = f.head().matcher(text);
            if (m.find()) {
                text = m.replaceFirst(f.replacement());
                break;
            }
        }
        Matcher d = QUOTED_DURATION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (d.find()) {
            d.appendReplacement(out, Matcher.quoteReplacement("was " + humanOrAsIs(d.group(1))));
        }
        d.appendTail(out);
        return out.toString();
    }

    private static String humanOrAsIs(String iso) {
        try {
            return human(Duration.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** {@return a rate limit as {@code --rate-limit} takes it: {@code 600/min}, {@code 10/s}; else {@code 5/90m}} */
    static String rateLimit(RateLimit limit) {
        long s = limit.period().getSeconds();
        String unit = limit.period().getNano() != 0 ? null
                : s == 1 ? "s" : s == 60 ? "min" : s == 3_600 ? "h" : s == 86_400 ? "d" : null;
        return limit.requests() + "/" + (unit != null ? unit : human(limit.period()));
    }

    /**
     * A duration as the CLI's options take it: in the largest of days, hours, minutes and seconds that divides it
     * ({@code 400d}, {@code 36h}, {@code 90m}, {@code 0s}); a fraction of a second as Java writes it.
     */
    static String human(Duration d) {
        if (d.getNano() != 0) {
            return d.toString();
        }
        long s = d.getSeconds();
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
