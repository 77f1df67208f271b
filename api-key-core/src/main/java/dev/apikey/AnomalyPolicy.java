package dev.apikey;

import java.time.Duration;
import java.util.Objects;

/**
 * How the scheduled anomaly detection runs ({@link ApiKeysBuilder#anomalyDetection}): how often, over which window
 * and baseline, and the thresholds of each detector. A count is "well over usual" when it reaches the detector's
 * minimum and is more than its factor times the usual count of a window of the same length, the usual count being
 * the average over the baseline (hour buckets before the window, from the key's first whole hour on).
 *
 * <p>A new country (a country in the window that the key's baseline never saw) is judged when the usage store keeps
 * countries (the built-in ones do) and the host passes a country source with its requests
 * ({@code VerifyRequest.country}, the servlet filter's {@code CountryResolver}): with detection on, that source is
 * asked when a proven outcome comes from a network new to the key within a flush interval, and its answer is kept by
 * the hour with the usage counts. A host that passes no source learns no country, and nothing fires.
 *
 * <p>Immutable: each {@code with...} method returns a copy. {@link #defaults()}: a 1-hour window, a 7-day baseline,
 * a run every 5 minutes, refusal bursts at 20 refusals and 5 times the usual, volume at 100 calls and 5 times the
 * usual, a day of history before volume, networks and countries are judged, quota warnings at 80 %, the 1,000
 * busiest keys (and the 1,000 most refused) per run.
 *
 * @param window           the window each anomaly is counted in and opened once per, aligned to the epoch (UTC): 1
 *                         minute to 1 day, a whole number of minutes that divides a day
 * @param baseline         how far back the usual is read: 1 hour to 90 days, whole hours
 * @param interval         how often the detection runs: 10 seconds to 1 hour
 * @param refusalFactor    a refusal burst is more than this many times the usual 401/403 refusals, 1 to 1,000
 * @param refusalMinimum   and at least this many refusals, 1 or more
 * @param volumeFactor     a volume spike is more than this many times the usual calls, 1 to 1,000
 * @param volumeMinimum    and at least this many calls, 1 or more
 * @param minimumHistory   how much of a baseline a key or tenant needs before volume, new networks and new countries
 *                         are judged, 0 to the baseline
 * @param quotaWarning     the share of a quota, in percent, that opens a quota warning: 1 to 99
 * @param maxKeysPerRun    the most keys each run looks at, those with the most verifies earned with their secret
 *                         (grants, and refusals other than a wrong secret's kind: {@code UsageTotal.Rank.PROVEN}),
 *                         1 to 100,000
 */
public record AnomalyPolicy(Duration window, Duration baseline, Duration interval, double refusalFactor,
        long refusalMinimum, double volumeFactor, long volumeMinimum, Duration minimumHistory, int quotaWarning,
        int maxKeysPerRun) {

    /**
     * Checks every field.
     *
     * @throws IllegalArgumentException naming the field and its rule
     *
     * @param window see the record
     * @param baseline see the record
     * @param interval see the record
     * @param refusalFactor see the record
     * @param refusalMinimum see the record
     * @param volumeFactor see the record
     * @param volumeMinimum see the record
     * @param minimumHistory see the record
     * @param quotaWarning see the record
     * @param maxKeysPerRun see the record
     */
    public AnomalyPolicy {
        between("window", window, Duration.ofMinutes(1), Duration.ofDays(1));
        if (window.toSeconds() % 60 != 0 || window.getNano() != 0 || 86_400 % window.toSeconds() != 0) {
            throw new IllegalArgumentException("window must be a whole number of minutes that divides a day, was "
                    + window);
        }
        between("baseline", baseline, Duration.ofHours(1), Duration.ofDays(90));
        if (baseline.toSeconds() % 3_600 != 0 || baseline.getNano() != 0) {
            throw new IllegalArgumentException("baseline must be whole hours, was " + baseline);
        }
        between("interval", interval, Duration.ofSeconds(10), Duration.ofHours(1));
        between("minimumHistory", minimumHistory, Duration.ZERO, baseline);
        factor("refusalFactor", refusalFactor);
        factor("volumeFactor", volumeFactor);
        if (refusalMinimum < 1 || volumeMinimum < 1) {
            throw new IllegalArgumentException("refusalMinimum and volumeMinimum must be 1 or more");
        }
        if (quotaWarning < 1 || quotaWarning > 99) {
            throw new IllegalArgumentException("quotaWarning must be 1 to 99 (percent), was " + quotaWarning);
        }
        if (maxKeysPerRun < 1 || maxKeysPerRun > 100_000) {
            throw new IllegalArgumentException("maxKeysPerRun must be 1 to 100000, was " + maxKeysPerRun);
        }
    }

    /** {@return the defaults: see the type's description} */
    public static AnomalyPolicy defaults() {
        return new AnomalyPolicy(Duration.ofHours(1), Duration.ofDays(7), Duration.ofMinutes(5), 5, 20, 5, 100,
                Duration.ofDays(1), 80, 1_000);
    }

    /**
     * @param newWindow the window, see the record
     * @return a copy with it
     */
    public AnomalyPolicy withWindow(Duration newWindow) {
        return new AnomalyPolicy(newWindow, baseline, interval, refusalFactor, refusalMinimum, volumeFactor,
                volumeMinimum, minimumHistory, quotaWarning, maxKeysPerRun);
    }

    /**
     * @param newBaseline how far back the usual is read
     * @param newMinimumHistory how much of it is needed before volume and networks are judged
     * @return a copy with them
     */
    public AnomalyPolicy withBaseline(Duration newBaseline, Duration newMinimumHistory) {
        return new AnomalyPolicy(window, newBaseline, interval, refusalFactor, refusalMinimum, volumeFactor,
                volumeMinimum, newMinimumHistory, quotaWarning, maxKeysPerRun);
    }

    /**
     * @param newInterval how often the detection runs
     * @return a copy with it
     */
    public AnomalyPolicy withInterval(Duration newInterval) {
        return new AnomalyPolicy(window, baseline, newInterval, refusalFactor, refusalMinimum, volumeFactor,
                volumeMinimum, minimumHistory, quotaWarning, maxKeysPerRun);
    }

    /**
     * @param factor  times the usual
     * @param minimum at least this many refusals
     * @return a copy with the refusal-burst thresholds
     */
    public AnomalyPolicy withRefusals(double factor, long minimum) {
        return new AnomalyPolicy(window, baseline, interval, factor, minimum, volumeFactor, volumeMinimum,
                minimumHistory, quotaWarning, maxKeysPerRun);
    }

    /**
     * @param factor  times the usual
     * @param minimum at least this many calls
     * @return a copy with the volume-spike thresholds
     */
    public AnomalyPolicy withVolume(double factor, long minimum) {
        return new AnomalyPolicy(window, baseline, interval, refusalFactor, refusalMinimum, factor, minimum,
                minimumHistory, quotaWarning, maxKeysPerRun);
    }

    /**
     * @param percent the share of a quota that opens a warning
     * @return a copy with it
     */
    public AnomalyPolicy withQuotaWarning(int percent) {
        return new AnomalyPolicy(window, baseline, interval, refusalFactor, refusalMinimum, volumeFactor,
                volumeMinimum, minimumHistory, percent, maxKeysPerRun);
    }

    /**
     * @param keys the most keys each run looks at
     * @return a copy with it
     */
    public AnomalyPolicy withMaxKeysPerRun(int keys) {
        return new AnomalyPolicy(window, baseline, interval, refusalFactor, refusalMinimum, volumeFactor,
                volumeMinimum, minimumHistory, quotaWarning, keys);
    }

    private static void between(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void factor(String name, double value) {
        if (!(value >= 1 && value <= 1_000)) {
            throw new IllegalArgumentException(name + " must be 1 to 1000, was " + value);
        }
    }
}
