package dev.apikey;

import dev.apikey.model.Anomaly;
import dev.apikey.model.UsageSubject;
import dev.apikey.spi.UsageCountry;
import dev.apikey.spi.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The new-country detector of {@link AnomalyDetector}: a country a key was seen from in the window that its baseline
 * never saw. Countries are stored by the hour ({@link UsageStore#readCountries}), so the window is read, and each
 * anomaly opened, by whole hours: from the hour the detection window starts in to at least an hour later, so that a
 * window shorter than an hour names a new country once per hour, not once per window. A key whose baseline holds no
 * country (too young, no country source, or a store that keeps none) fires nothing: every country would look new.
 *
 * <p>Stateless. Package-private.
 */
final class NewCountries {

    private final UsageStore usage;

    NewCountries(UsageStore usage) {
        this.usage = usage;
    }

    /**
     * The new-country anomalies of one key, to open.
     *
     * @param keyId         the key
     * @param tenantId      its tenant, or {@code null}
     * @param baselineFrom  the baseline's first hour (the key's first whole hour at the earliest)
     * @param baselineEnd   the baseline's end: the hour the window starts in
     * @param windowEnd     the detection window's end
     * @param readTo        the end of what is read of the window (now's minute included)
     * @param now           now
     * @return one anomaly per new country, in country order; none if the store keeps no countries
     */
    List<Anomaly> judge(String keyId, String tenantId, Instant baselineFrom, Instant baselineEnd, Instant windowEnd,
            Instant readTo, Instant now) {
        if (!usage.keepsCountries() || !baselineFrom.isBefore(baselineEnd)) {
            return List.of();
        }
        // The window first: a key seen from no country in it costs one read, not two.
        List<UsageCountry> current = usage.readCountries(keyId, baselineEnd, readTo);
        if (current.isEmpty()) {
            return List.of();
        }
        Set<String> known = usage.readCountries(keyId, baselineFrom, baselineEnd).stream()
                .map(UsageCountry::country).collect(Collectors.toSet());
        if (known.isEmpty()) {
            return List.of();
        }
        // The hours the window read holds each new country in.
        TreeMap<String, Long> fresh = new TreeMap<>();
        for (UsageCountry c : current) {
            if (!known.contains(c.country())) {
                fresh.merge(c.country(), 1L, Long::sum);
            }
        }
        Instant end = windowEnd.isAfter(baselineEnd.plusSeconds(3_600)) ? windowEnd : baselineEnd.plusSeconds(3_600);
        UsageSubject subject = UsageSubject.key(keyId);
        List<Anomaly> out = new ArrayList<>(fresh.size());
        fresh.forEach((country, hours) -> out.add(Anomaly.open(Anomaly.Kind.NEW_COUNTRY, subject, tenantId,
                baselineEnd, end, hours, known.size(), country, now)));
        return out;
    }
}
