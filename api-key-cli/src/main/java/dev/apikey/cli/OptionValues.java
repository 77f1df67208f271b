package dev.apikey.cli;

import dev.apikey.model.Allowance;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** How option values are read (allowances, rate limits, quotas, dates), a refusal naming the option. */
final class OptionValues {

    private OptionValues() {
    }

    /** {@return each {@code [name=]<n>/<unit>} read, a refusal naming {@code --allowance}} */
    static List<Allowance> parseAllowances(List<String> texts) {
        List<Allowance> out = new ArrayList<>();
        for (String text : texts) {
            try {
                out.add(Allowance.parse(text));
            } catch (IllegalArgumentException e) {
                // Allowance.parse says "allowance ..."; RateLimit and Quota name their own fields ("requests").
                String m = e.getMessage();
                throw new IllegalArgumentException(m.startsWith("allowance ") ? "--" + m : "--allowance " + m);
            }
        }
        return out;
    }

    /** {@code <requests>/<s|min|h|d>}, e.g. {@code 600/min}. */
    static RateLimit parseRateLimit(String text) {
        int slash = text.indexOf('/');
        Duration period = slash < 0 ? null : switch (text.substring(slash + 1)) {
            case "s" -> Duration.ofSeconds(1);
            case "min" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            default -> null;
        };
        if (period == null || !text.substring(0, slash).matches("[1-9][0-9]{0,9}")) {
            throw new IllegalArgumentException("--rate-limit must be requests per s, min, h or d, like 600/min, was '"
                    + text + "'");
        }
        return new RateLimit(Long.parseLong(text.substring(0, slash)), period);
    }

    /** {@code <calls>/<day|month>}, e.g. {@code 10000/day}. */
    static Quota parseQuota(String text) {
        try {
            return Quota.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
    }

    /** A date (midnight UTC) or an instant, a refusal naming the option. */
    static Instant parseExpiry(String option, String text) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be a date like 2027-01-01 or an instant like "
                    + "2027-01-01T00:00:00Z, was '" + text + "'");
        }
    }
}
