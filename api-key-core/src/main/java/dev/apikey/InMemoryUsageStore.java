package dev.apikey;

import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageCountry;
import dev.apikey.spi.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A {@link UsageStore} in memory, for tests, demos and single-process tools (the usage of an
 * {@link InMemoryKeyStore}): each minute count is added to its minute, hour and day buckets at once; it keeps the
 * countries keys were seen from by hour, purged with the hour buckets. Counts are lost when the process ends.
 *
 * <p>Thread-safe: every method holds this object's lock.
 */
public final class InMemoryUsageStore implements UsageStore {

    /** Per grain: bucket start (epoch seconds) to rows by key id and outcome. */
    private final Map<UsageGrain, TreeMap<Long, Map<List<String>, UsageCount>>> grains = new HashMap<>();
    /** Hour start (epoch seconds) to the countries seen in it, by key id and country. */
    private final TreeMap<Long, Map<List<String>, UsageCountry>> countries = new TreeMap<>();

    /** An empty store. */
    public InMemoryUsageStore() {
        for (UsageGrain g : UsageGrain.values()) {
            grains.put(g, new TreeMap<>());
        }
    }

    @Override
    public synchronized void addUsage(List<UsageCount> counts) {
        for (UsageCount c : List.copyOf(counts)) {
            Objects.requireNonNull(c.keyId(), "keyId");
            for (UsageGrain g : UsageGrain.values()) {
                Instant bucket = g.floor(c.bucket());
                grains.get(g).computeIfAbsent(bucket.getEpochSecond(), b -> new HashMap<>())
                        .merge(List.of(c.keyId(), c.outcome()), new UsageCount(bucket, c.keyId(), c.tenantId(),
                                c.outcome(), c.count(), c.networks()), (a, b) -> new UsageCount(bucket, a.keyId(),
                                a.tenantId(), a.outcome(), a.count() + b.count(), a.networks() | b.networks()));
            }
        }
    }

    @Override
    public synchronized List<UsageCount> readUsage(UsageSubject subject, UsageGrain grain, Instant from, Instant to) {
        List<UsageCount> out = new ArrayList<>();
        grains.get(grain).subMap(from.getEpochSecond(), true, to.getEpochSecond(), false).forEach((start, rows) -> {
            Map<String, UsageCount> byOutcome = new TreeMap<>();
            for (UsageCount c : rows.values()) {
                if (matches(subject, c)) {
                    String keyId = subject.kind() == UsageSubject.Kind.TENANT ? null : c.keyId();
                    byOutcome.merge(c.outcome(), new UsageCount(c.bucket(), keyId, c.tenantId(), c.outcome(),
                            c.count(), c.networks()), (a, b) -> new UsageCount(a.bucket(), keyId, a.tenantId(),
                            a.outcome(), a.count() + b.count(), a.networks() | b.networks()));
                }
            }
            out.addAll(byOutcome.values());
        });
        return out;
    }

    private static boolean matches(UsageSubject subject, UsageCount c) {
        return switch (subject.kind()) {
            case KEY -> subject.id().equals(c.keyId());
            case TENANT -> subject.id().equals(c.tenantId()) && !UsageCount.UNKNOWN_KEY.equals(c.keyId());
            case UNKNOWN -> UsageCount.UNKNOWN_KEY.equals(c.keyId());
        };
    }

    @Override
    public synchronized List<UsageTotal> topUsage(String tenantId, UsageGrain grain, Instant from, Instant to,
            UsageTotal.Rank rank, int limit) {
        Map<String, long[]> totals = new HashMap<>();
        Map<String, String> tenants = new HashMap<>();
        grains.get(grain).subMap(from.getEpochSecond(), true, to.getEpochSecond(), false).values()
                .forEach(rows -> rows.values().forEach(c -> {
                    if (!UsageCount.UNKNOWN_KEY.equals(c.keyId())
                            && (tenantId == null || tenantId.equals(c.tenantId()))) {
                        long[] t = totals.computeIfAbsent(c.keyId(), k -> new long[3]);
                        t["granted".equals(c.outcome()) ? 0 : 1] += c.count();
                        if (!UsageTotal.UNPROVEN_OUTCOMES.contains(c.outcome())) {
                            t[2] += c.count();
                        }
                        if (c.tenantId() != null) {
                            tenants.put(c.keyId(), c.tenantId());
                        }
                    }
                }));
        java.util.function.ToLongFunction<long[]> by = switch (rank) {
            case CALLS -> t -> t[0] + t[1];
            case REFUSALS -> t -> t[1];
            case PROVEN -> t -> t[2];
        };
        return totals.entrySet().stream()
                .filter(e -> by.applyAsLong(e.getValue()) > 0)
                .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> by.applyAsLong(e.getValue()))
                        .reversed().thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(e -> new UsageTotal(e.getKey(), tenants.get(e.getKey()), e.getValue()[0], e.getValue()[1]))
                .toList();
    }

    @Override
    public synchronized long purgeUsage(UsageGrain grain, Instant before) {
        Map<Long, Map<List<String>, UsageCount>> old = grains.get(grain).headMap(before.getEpochSecond(), false);
        long rows = old.values().stream().mapToLong(Map::size).sum();
        old.clear();
        if (grain == UsageGrain.HOUR) {
            Map<Long, Map<List<String>, UsageCountry>> oldCountries = countries.headMap(before.getEpochSecond(), false);
            rows += oldCountries.values().stream().mapToLong(Map::size).sum();
            oldCountries.clear();
        }
        return rows;
    }

    /** {@return {@code true}: this store keeps countries} */
    @Override
    public boolean keepsCountries() {
        return true;
    }

    @Override
    public synchronized void addCountries(List<UsageCountry> seen) {
        for (UsageCountry c : List.copyOf(seen)) {
            countries.computeIfAbsent(c.hour().getEpochSecond(), h -> new HashMap<>())
                    .putIfAbsent(List.of(c.keyId(), c.country()), c);
        }
    }

    @Override
    public synchronized List<UsageCountry> readCountries(String keyId, Instant from, Instant to) {
        Objects.requireNonNull(keyId, "keyId");
        List<UsageCountry> out = new ArrayList<>();
        countries.subMap(from.getEpochSecond(), true, to.getEpochSecond(), false).values().forEach(hour -> hour
                .values().stream().filter(c -> c.keyId().equals(keyId))
                .sorted(Comparator.comparing(UsageCountry::country)).forEach(out::add));
        return out;
    }

    @Override
    public String toString() {
        return "InMemoryUsageStore";
    }
}
