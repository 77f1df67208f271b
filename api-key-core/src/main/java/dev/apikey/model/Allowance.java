package dev.apikey.model;

import java.util.Objects;

/**
 * What a key or a tenant may spend: a {@link RateLimit} (a token bucket that refills smoothly) or a {@link Quota} (a
 * count per calendar day or month, UTC). Each has a name, unique among the allowances of one key or one tenant, that
 * a refusal names in its problem detail and its {@code RateLimit-Policy} header; a key may carry several (for
 * example {@code RateLimit.perSecond(10).named("burst")} and {@code Quota.perDay(50_000)}), and the most constrained
 * one answers.
 *
 * <p>Immutable values; two allowances are equal when their name, limit and window are.
 */
public sealed interface Allowance permits RateLimit, Quota {

    /** Longest allowance name, in characters. */
    int MAX_NAME_LENGTH = 32;

    /** {@return the name, 1 to 32 of {@code [a-z0-9-]} starting with a letter, e.g. {@code burst} or {@code monthly}} */
    String name();

    /** {@return the units allowed per window: requests of a rate limit, calls of a quota} */
    long limit();

    /**
     * {@return a copy under another name}
     *
     * @param name 1 to 32 of {@code [a-z0-9-]} starting with a letter
     * @throws IllegalArgumentException if the name breaks that rule
     */
    Allowance named(String name);

    /**
     * Checks an allowance's name against the rule of {@link #name()}.
     *
     * @param name the name
     * @return the name
     * @throws NullPointerException     if name is null
     * @throws IllegalArgumentException if it breaks the rule, naming it
     */
    static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9-]{0,31}")) {
            throw new IllegalArgumentException("allowance name must be 1 to " + MAX_NAME_LENGTH
                    + " of [a-z0-9-] starting with a letter, was '" + printable(name) + "'");
        }
        return name;
    }

    /**
     * Reads an allowance as the CLI and settings write it: {@code [name=]<n>/<unit>}, where the unit is
     * {@code second}, {@code minute}, {@code hour} (a rate limit) or {@code day}, {@code month} (a quota), e.g.
     * {@code 100/minute}, {@code burst=10/second} or {@code 10000/month}.
     *
     * @param text the allowance as text
     * @return the allowance
     * @throws NullPointerException     if text is null
     * @throws IllegalArgumentException if the text is not of that form, naming the rule
     */
    static Allowance parse(String text) {
        Objects.requireNonNull(text, "allowance");
        String body = text.strip();
        String name = null;
        int eq = body.indexOf('=');
        if (eq >= 0) {
            name = requireName(body.substring(0, eq).strip());
            body = body.substring(eq + 1).strip();
        }
        int slash = body.indexOf('/');
        String unit = slash < 0 ? "" : body.substring(slash + 1).strip();
        String count = slash < 0 ? "" : body.substring(0, slash).strip();
        if (!count.matches("[1-9][0-9]{0,12}")) {
            throw new IllegalArgumentException("allowance must be [name=]<count>/<second|minute|hour|day|month>, "
                    + "like 100/minute or burst=10/second, was '" + printable(text) + "'");
        }
        long n = Long.parseLong(count);
        Allowance a = switch (unit) {
            case "second" -> RateLimit.perSecond(n);
            case "minute" -> RateLimit.perMinute(n);
            case "hour" -> RateLimit.perHour(n);
            case "day" -> Quota.perDay(n);
            case "month" -> Quota.perMonth(n);
            default -> throw new IllegalArgumentException("allowance unit must be second, minute, hour, day or month,"
                    + " like 100/minute, was '" + printable(text) + "'");
        };
        return name == null ? a : a.named(name);
    }

    private static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
