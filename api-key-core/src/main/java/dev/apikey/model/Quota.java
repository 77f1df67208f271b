package dev.apikey.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;

/**
 * A key's allowance of calls per calendar day or month (UTC), what Unkey calls credits and AWS usage plans call
 * quotas. Unlike a {@link RateLimit}, which smooths bursts, a quota counts every granted call of the period and
 * refuses the rest with {@code quota_exceeded} until the period ends. Unnamed, it is named {@code daily} or
 * {@code monthly}.
 *
 * @param name   the allowance's name (see {@link Allowance#name()})
 * @param calls  calls allowed per period, 1 to 1,000,000,000,000
 * @param period the calendar period, in UTC
 */
public record Quota(String name, long calls, Period period) implements Allowance {

    /** The calendar periods a quota counts over, in UTC. */
    public enum Period {
        /** From midnight to midnight, UTC. */
        DAY,
        /** From the first of the month to the first of the next, UTC. */
        MONTH
    }

    /**
     * Checks the arguments.
     *
     * @param name   the allowance's name, 1 to 32 of {@code [a-z0-9-]} starting with a letter
     * @param calls  calls allowed per period
     * @param period the calendar period
     * @throws IllegalArgumentException if calls is out of range or the name breaks its rule
     * @throws NullPointerException     if name or period is null
     */
    public Quota {
        Allowance.requireName(name);
        Objects.requireNonNull(period, "period");
        if (calls < 1 || calls > 1_000_000_000_000L) {
            throw new IllegalArgumentException("quota calls must be 1 to 1000000000000, was " + calls);
        }
    }

    /**
     * A quota named {@code daily} or {@code monthly}.
     *
     * @param calls  calls allowed per period
     * @param period the calendar period
     * @throws IllegalArgumentException if calls is out of range
     * @throws NullPointerException     if period is null
     */
    public Quota(long calls, Period period) {
        this(Objects.requireNonNull(period, "period") == Period.DAY ? "daily" : "monthly", calls, period);
    }

    /** {@return the calls allowed per period} */
    @Override
    public long limit() {
        return calls;
    }

    @Override
    public Quota named(String name) {
        return new Quota(name, calls, period);
    }

    /**
     * {@return a quota of this many calls a day}
     *
     * @param calls calls allowed per UTC day
     */
    public static Quota perDay(long calls) {
        return new Quota(calls, Period.DAY);
    }

    /**
     * {@return a quota of this many calls a month}
     *
     * @param calls calls allowed per UTC calendar month
     */
    public static Quota perMonth(long calls) {
        return new Quota(calls, Period.MONTH);
    }

    /**
     * {@return the number of the period holding this instant: days or months since 1970, UTC}; a counter's key
     *
     * @param at the instant
     */
    public long periodIndex(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return period == Period.DAY ? day.toEpochDay() : (day.getYear() - 1970L) * 12 + day.getMonthValue() - 1;
    }

    /**
     * {@return when the period holding this instant ends and the count starts again}
     *
     * @param at the instant
     */
    public Instant resetAt(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        LocalDate next = period == Period.DAY ? day.plusDays(1) : day.withDayOfMonth(1).plusMonths(1);
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** {@return the quota as written in settings and the CLI, e.g. {@code 10000/day}, or {@code plan=10000/month} when its name is not the default} */
    @Override
    public String toString() {
        String text = calls + "/" + period.name().toLowerCase(Locale.ROOT);
        return name.equals(new Quota(calls, period).name) ? text : name + "=" + text;
    }

    /**
     * Reads {@code <calls>/day} or {@code <calls>/month}.
     *
     * @param text e.g. {@code 10000/day}
     * @return the quota
     * @throws IllegalArgumentException if the text is not of that form, naming it
     */
    public static Quota parse(String text) {
        Objects.requireNonNull(text, "quota");
        int slash = text.indexOf('/');
        String unit = slash < 0 ? "" : text.substring(slash + 1).strip();
        if (slash < 1 || !text.substring(0, slash).strip().matches("[1-9][0-9]{0,12}")
                || !(unit.equals("day") || unit.equals("month"))) {
            throw new IllegalArgumentException("quota must be calls per day or month, like 10000/day, was '" + text + "'");
        }
        long calls = Long.parseLong(text.substring(0, slash).strip());
        return unit.equals("day") ? perDay(calls) : perMonth(calls);
    }
}
