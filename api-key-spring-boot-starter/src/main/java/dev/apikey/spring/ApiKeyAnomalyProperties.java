package dev.apikey.spring;

import dev.apikey.AnomalyPolicy;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The anomaly detection ({@code apikey.anomalies.*}): off unless {@code enabled}; the window, baseline and
 * thresholds of {@link AnomalyPolicy}, with its defaults and its checks, each refusal naming its property. The
 * detection needs usage counting and a store that keeps anomalies: the starter's JDBC and in-memory stores do.
 */
public class ApiKeyAnomalyProperties {

    private static final AnomalyPolicy DEFAULTS = AnomalyPolicy.defaults();

    /** Whether the starter's ApiKeys runs the anomaly detection (once across instances, a lease in the store). */
    private boolean enabled;
    /** The window each anomaly is counted in and opened once per: whole minutes dividing a day, 1m to 1d. */
    private Duration window = DEFAULTS.window();
    /** How far back the usual is read: whole hours, 1h to 90d. */
    private Duration baseline = DEFAULTS.baseline();
    /** How often the detection runs: 10s to 1h. */
    private Duration interval = DEFAULTS.interval();
    /** A refusal burst is more than this many times the usual 401/403 refusals: 1 to 1000. */
    private double refusalFactor = DEFAULTS.refusalFactor();
    /** And at least this many refusals in the window: 1 or more. */
    private long refusalMinimum = DEFAULTS.refusalMinimum();
    /** A volume spike is more than this many times the usual calls: 1 to 1000. */
    private double volumeFactor = DEFAULTS.volumeFactor();
    /** And at least this many calls in the window: 1 or more. */
    private long volumeMinimum = DEFAULTS.volumeMinimum();
    /** How much baseline a key or tenant needs before volume and new networks are judged: 0 to the baseline. */
    private Duration minimumHistory = DEFAULTS.minimumHistory();
    /** The share of a quota, in percent, that opens a quota warning: 1 to 99. */
    private int quotaWarning = DEFAULTS.quotaWarning();
    /** The most keys each run looks at (the busiest, and as many of the most refused): 1 to 100000. */
    private int maxKeysPerRun = DEFAULTS.maxKeysPerRun();

    /** Creates the defaults; Spring binds the properties. */
    public ApiKeyAnomalyProperties() {
    }

    /**
     * The policy these properties describe, each value checked by {@link AnomalyPolicy} in turn.
     *
     * @return the policy
     * @throws ApiKeyPropertyException naming the first property whose value the policy refuses
     */
    AnomalyPolicy policy() {
        AnomalyPolicy p = DEFAULTS;
        // The window and the baseline first: the others are checked against them.
        p = with(p, "window", q -> q.withWindow(window));
        p = with(p, "interval", q -> q.withInterval(interval));
        p = with(p, "baseline", q -> q.withBaseline(baseline, minimumHistory));
        p = with(p, "refusal", q -> q.withRefusals(refusalFactor, refusalMinimum));
        p = with(p, "volume", q -> q.withVolume(volumeFactor, volumeMinimum));
        p = with(p, "quota-warning", q -> q.withQuotaWarning(quotaWarning));
        return with(p, "max-keys-per-run", q -> q.withMaxKeysPerRun(maxKeysPerRun));
    }

    private AnomalyPolicy with(AnomalyPolicy p, String name, UnaryOperator<AnomalyPolicy> change) {
        try {
            return change.apply(p);
        } catch (RuntimeException e) {
            String property = property(name, e.getMessage());
            throw new ApiKeyPropertyException("apikey.anomalies." + property, String.valueOf(value(property)),
                    e instanceof NullPointerException ? "must be set" : e.getMessage(), e);
        }
    }

    /** The property a refusal is about: the field its message starts with, in the properties' spelling. */
    private static String property(String name, String message) {
        String m = message == null ? "" : message;
        for (String field : new String[] {"window", "baseline", "interval", "refusalFactor", "refusalMinimum",
            "volumeFactor", "volumeMinimum", "minimumHistory", "quotaWarning", "maxKeysPerRun"}) {
            if (m.startsWith(field + " ") || m.equals(field)) {
                return field.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            }
        }
        // "refusalMinimum and volumeMinimum must be 1 or more": the pair set in this step.
        return name.equals("refusal") ? "refusal-minimum" : name.equals("volume") ? "volume-minimum" : name;
    }

    private Object value(String property) {
        return switch (property) {
            case "window" -> window;
            case "baseline" -> baseline;
            case "interval" -> interval;
            case "refusal-factor" -> refusalFactor;
            case "refusal-minimum" -> refusalMinimum;
            case "volume-factor" -> volumeFactor;
            case "volume-minimum" -> volumeMinimum;
            case "minimum-history" -> minimumHistory;
            case "quota-warning" -> quotaWarning;
            default -> maxKeysPerRun;
        };
    }

    /** @return whether the detection runs */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the detection runs */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the window */
    public Duration getWindow() {
        return window;
    }

    /** @param window the window */
    public void setWindow(Duration window) {
        this.window = window;
    }

    /** @return the baseline */
    public Duration getBaseline() {
        return baseline;
    }

    /** @param baseline the baseline */
    public void setBaseline(Duration baseline) {
        this.baseline = baseline;
    }

    /** @return how often the detection runs */
    public Duration getInterval() {
        return interval;
    }

    /** @param interval how often the detection runs */
    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    /** @return the refusal-burst factor */
    public double getRefusalFactor() {
        return refusalFactor;
    }

    /** @param refusalFactor the refusal-burst factor */
    public void setRefusalFactor(double refusalFactor) {
        this.refusalFactor = refusalFactor;
    }

    /** @return the refusal-burst minimum */
    public long getRefusalMinimum() {
        return refusalMinimum;
    }

    /** @param refusalMinimum the refusal-burst minimum */
    public void setRefusalMinimum(long refusalMinimum) {
        this.refusalMinimum = refusalMinimum;
    }

    /** @return the volume-spike factor */
    public double getVolumeFactor() {
        return volumeFactor;
    }

    /** @param volumeFactor the volume-spike factor */
    public void setVolumeFactor(double volumeFactor) {
        this.volumeFactor = volumeFactor;
    }

    /** @return the volume-spike minimum */
    public long getVolumeMinimum() {
        return volumeMinimum;
    }

    /** @param volumeMinimum the volume-spike minimum */
    public void setVolumeMinimum(long volumeMinimum) {
        this.volumeMinimum = volumeMinimum;
    }

    /** @return the history needed before volume and networks are judged */
    public Duration getMinimumHistory() {
        return minimumHistory;
    }

    /** @param minimumHistory the history needed before volume and networks are judged */
    public void setMinimumHistory(Duration minimumHistory) {
        this.minimumHistory = minimumHistory;
    }

    /** @return the quota warning, in percent */
    public int getQuotaWarning() {
        return quotaWarning;
    }

    /** @param quotaWarning the quota warning, in percent */
    public void setQuotaWarning(int quotaWarning) {
        this.quotaWarning = quotaWarning;
    }

    /** @return the most keys each run looks at */
    public int getMaxKeysPerRun() {
        return maxKeysPerRun;
    }

    /** @param maxKeysPerRun the most keys each run looks at */
    public void setMaxKeysPerRun(int maxKeysPerRun) {
        this.maxKeysPerRun = maxKeysPerRun;
    }
}
