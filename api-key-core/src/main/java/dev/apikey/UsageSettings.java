package dev.apikey;

import dev.apikey.model.UsageGrain;
import dev.apikey.spi.UsageStore;
import java.time.Duration;

/**
 * How verify counts are kept: where, how often they are written, and how long each grain is kept.
 *
 * @param store          the usage store, or {@code null}: then nothing is counted
 * @param flushInterval  the time between writes
 * @param minutes        how long minute buckets are kept
 * @param hours          how long hour buckets are kept
 * @param days           how long day buckets are kept
 * @param anomalies      how anomalies are detected, or {@code null}: not at all
 */
record UsageSettings(UsageStore store, Duration flushInterval, Duration minutes, Duration hours, Duration days,
        AnomalyPolicy anomalies) {

    UsageSettings(UsageStore store, Duration flushInterval, Duration minutes, Duration hours, Duration days) {
        this(store, flushInterval, minutes, hours, days, null);
    }

    Duration retention(UsageGrain grain) {
        return switch (grain) {
            case MINUTE -> minutes;
            case HOUR -> hours;
            case DAY -> days;
        };
    }
}
