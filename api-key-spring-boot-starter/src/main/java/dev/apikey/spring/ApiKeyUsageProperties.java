package dev.apikey.spring;

import dev.apikey.ApiKeysBuilder;
import java.time.Duration;

/**
 * The verify counts ({@code apikey.usage.*}, {@code ApiKeys.usage()}): whether they are kept, how often each instance
 * writes them and how long each bucket size is kept. A property left unset leaves the core's default
 * ({@link ApiKeysBuilder#usageCounting}, {@link ApiKeysBuilder#usageFlushInterval},
 * {@link ApiKeysBuilder#usageRetention}) untouched; each value is checked by the builder, each refusal naming its
 * property.
 */
public class ApiKeyUsageProperties {

    /** The core's minute retention (48h), given to the builder with the other two when only they are set. */
    static final Duration DEFAULT_MINUTES = Duration.ofHours(48);
    /** The core's hour retention (90d). */
    static final Duration DEFAULT_HOURS = Duration.ofDays(90);
    /** The core's day retention (730d). */
    static final Duration DEFAULT_DAYS = Duration.ofDays(730);

    /** Whether verifies are counted per key and outcome (default true); off, ApiKeys.usage() is unsupported. */
    private Boolean counting;
    /** How often each instance writes its counts to the store, in one batch (default 10s): 1s to 1m. */
    private Duration flushInterval;
    /** How long minute, hour and day buckets are kept. */
    private final Retention retention = new Retention();

    /** Creates the properties, all unset; Spring binds them. */
    public ApiKeyUsageProperties() {
    }

    /**
     * Gives the builder each property that is set; one that is not keeps the core's default.
     *
     * @param b the builder
     * @throws ApiKeyPropertyException naming the property whose value the builder refuses, and the rule
     */
    void configure(ApiKeysBuilder b) {
        if (counting != null) {
            b.usageCounting(counting);
        }
        if (flushInterval != null) {
            set("apikey.usage.flush-interval", "usageFlushInterval", flushInterval,
                    () -> b.usageFlushInterval(flushInterval));
        }
        if (retention.minutes == null && retention.hours == null && retention.days == null) {
            return;
        }
        Duration minutes = retention.minutes != null ? retention.minutes : DEFAULT_MINUTES;
        Duration hours = retention.hours != null ? retention.hours : DEFAULT_HOURS;
        Duration days = retention.days != null ? retention.days : DEFAULT_DAYS;
        try {
            b.usageRetention(minutes, hours, days);
        } catch (IllegalArgumentException e) {
            throw retentionRefused(e, minutes, hours, days);
        }
    }

    /**
     * The builder's refusal of the retentions, naming the property: a range its message starts with the bucket of
     * ({@code usageRetention minutes must be ...}), else the order (hours at least the minutes', days the hours').
     */
    private ApiKeyPropertyException retentionRefused(IllegalArgumentException e, Duration minutes, Duration hours,
            Duration days) {
        String message = String.valueOf(e.getMessage());
        for (String name : new String[] {"minutes", "hours", "days"}) {
            String field = "usageRetention " + name + " ";
            if (message.startsWith(field)) {
                Duration value = name.equals("minutes") ? minutes : name.equals("hours") ? hours : days;
                return new ApiKeyPropertyException("apikey.usage.retention." + name, String.valueOf(value),
                        withoutWas(message.substring(field.length())), e);
            }
        }
        boolean hoursTooShort = hours.compareTo(minutes) < 0;
        String finer = hoursTooShort ? "minutes" : "hours";
        String coarser = hoursTooShort ? "hours" : "days";
        Duration finerValue = hoursTooShort ? minutes : hours;
        Duration coarserValue = hoursTooShort ? hours : days;
        if ((hoursTooShort ? retention.hours : retention.days) == null) {
            // The coarser one is the default: the finer one, set, is what to change.
            return new ApiKeyPropertyException("apikey.usage.retention." + finer, String.valueOf(finerValue),
                    "must be at most as long as apikey.usage.retention." + coarser + " (" + coarserValue
                            + ", its default)", e);
        }
        boolean finerUnset = (hoursTooShort ? retention.minutes : retention.hours) == null;
        return new ApiKeyPropertyException("apikey.usage.retention." + coarser, String.valueOf(coarserValue),
                "must be at least as long as apikey.usage.retention." + finer + " (" + finerValue
                        + (finerUnset ? ", its default" : "") + ")", e);
    }

    /** A builder's rule without its own ", was ..." (the exception adds the value). */
    private static String withoutWas(String rule) {
        return rule.replaceFirst(", was [^,]*$", "");
    }

    /** Runs a setter; its refusal names the property, the rule read without the builder's field name. */
    private static void set(String property, String field, Duration value, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            String rule = String.valueOf(e.getMessage());
            if (rule.startsWith(field + " ")) {
                rule = rule.substring(field.length() + 1);
            }
            throw new ApiKeyPropertyException(property, String.valueOf(value), withoutWas(rule), e);
        }
    }

    /** @return whether verifies are counted; {@code null} for the core's default (on) */
    public Boolean getCounting() {
        return counting;
    }

    /** @param counting whether verifies are counted */
    public void setCounting(Boolean counting) {
        this.counting = counting;
    }

    /** @return how often each instance writes its counts; {@code null} for the core's default (10s) */
    public Duration getFlushInterval() {
        return flushInterval;
    }

    /** @param flushInterval how often each instance writes its counts, 1s to 1m */
    public void setFlushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    /** @return how long each bucket size is kept ({@code apikey.usage.retention.*}) */
    public Retention getRetention() {
        return retention;
    }

    @Override
    public String toString() {
        return "ApiKeyUsageProperties[counting=" + counting + ", flushInterval=" + flushInterval + ", retention="
                + retention + "]";
    }

    /** How long verify counts are kept, per bucket size; older buckets are deleted about once an hour. */
    public static class Retention {
        /** How long minute buckets are kept (default 48h): 1h to 30d. */
        private Duration minutes;
        /** How long hour buckets are kept (default 90d): 1d to 731d, at least the minutes'. */
        private Duration hours;
        /** How long day buckets are kept (default 730d): 1d to 3653d, at least the hours'. */
        private Duration days;

        /** @return how long minute buckets are kept; {@code null} for the core's default (48h) */
        public Duration getMinutes() {
            return minutes;
        }

        /** @param minutes how long minute buckets are kept, 1h to 30d */
        public void setMinutes(Duration minutes) {
            this.minutes = minutes;
        }

        /** @return how long hour buckets are kept; {@code null} for the core's default (90d) */
        public Duration getHours() {
            return hours;
        }

        /** @param hours how long hour buckets are kept, 1d to 731d */
        public void setHours(Duration hours) {
            this.hours = hours;
        }

        /** @return how long day buckets are kept; {@code null} for the core's default (730d) */
        public Duration getDays() {
            return days;
        }

        /** @param days how long day buckets are kept, 1d to 3653d */
        public void setDays(Duration days) {
            this.days = days;
        }

        @Override
        public String toString() {
            return "Retention[minutes=" + minutes + ", hours=" + hours + ", days=" + days + "]";
        }
    }
}
