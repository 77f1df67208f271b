package dev.apikey;

import dev.apikey.internal.NetworkBits;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsagePoint;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads verify counts: a series of one key, one tenant or the unknown series by outcome in buckets of a minute, an
 * hour or a day, and top lists (a tenant's busiest keys, the keys with the most refusals). Counts reach the store
 * at each instance's next flush ({@link ApiKeysBuilder#usageFlushInterval}); {@link #flush} writes this instance's
 * now. Got from {@link ApiKeys#usage()}.
 *
 * <p>Thread-safe.
 */
public final class Usage {

    /** The most buckets one series may hold: a week of minutes. */
    public static final int MAX_BUCKETS = 10_080;
    /** The most keys a top list may hold. */
    public static final int MAX_TOP = 100;
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private final UsageCounter counter;
    private final KeyCache cache;
    private final Clock clock;

    Usage(UsageCounter counter, KeyCache cache, Clock clock) {
        this.counter = counter;
        this.cache = cache;
        this.clock = clock;
    }

    /**
     * A series with every bucket of the range, empty ones included, oldest first.
     *
     * @param subject a key, a tenant, or the unknown series
     * @param from    the start; rounded down to its bucket
     * @param to      the end, exclusive; after {@code from}
     * @param grain   the bucket size
     * @return one point per bucket
     * @throws IllegalArgumentException naming the rule if the range is empty, before 1970, after 9999, or holds more
     *                                  than {@link #MAX_BUCKETS} buckets
     * @throws dev.apikey.spi.KeyStoreException if the usage store fails
     */
    public List<UsagePoint> series(UsageSubject subject, Instant from, Instant to, UsageGrain grain) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(grain, "bucket");
        Instant start = grain.floor(checkRange(from, to));
        Instant end = wholeSecondFrom(to);
        long buckets = (end.getEpochSecond() - start.getEpochSecond() + grain.seconds() - 1) / grain.seconds();
        if (buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("from and to span " + buckets + " buckets of a " + grain.label()
                    + "; at most " + MAX_BUCKETS + ": use a larger bucket or a shorter range");
        }
        Map<Instant, Map<String, Long>> outcomes = new HashMap<>();
        Map<Instant, Long> networks = new HashMap<>();
        for (UsageCount c : store().readUsage(subject, grain, start, end)) {
            Instant bucket = grain.floor(c.bucket());
            outcomes.computeIfAbsent(bucket, b -> new HashMap<>()).merge(c.outcome(), c.count(), Long::sum);
            networks.merge(bucket, c.networks(), (a, b) -> a | b);
        }
        List<UsagePoint> points = new ArrayList<>((int) buckets);
        for (long i = 0; i < buckets; i++) {
            Instant bucket = start.plusSeconds(i * grain.seconds());
            points.add(new UsagePoint(bucket, outcomes.getOrDefault(bucket, Map.of()),
                    NetworkBits.estimate(networks.getOrDefault(bucket, 0L))));
        }
        return points;
    }

    /**
     * The keys with the most verifies, or refusals, in a range, read from hour buckets while the range is within
     * their retention, else from day buckets.
     *
     * @param tenantId only this tenant's keys, or {@code null} for every key
     * @param from     the start
     * @param to       the end, exclusive; after {@code from}
     * @param rank     calls or refusals
     * @param limit    1 to {@link #MAX_TOP}
     * @return the keys, the highest first; none with nothing counted
     * @throws IllegalArgumentException naming the rule if the range or limit is out of range
     */
    public List<UsageTotal> top(String tenantId, Instant from, Instant to, UsageTotal.Rank rank, int limit) {
        Objects.requireNonNull(rank, "rank");
        if (tenantId != null) {
            UsageSubject.tenant(tenantId);
        }
        if (limit < 1 || limit > MAX_TOP) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_TOP + ", was " + limit);
        }
        checkRange(from, to);
        UsageGrain grain = from.isBefore(clock.instant().minus(retention(UsageGrain.HOUR)))
                ? UsageGrain.DAY : UsageGrain.HOUR;
        return store().topUsage(tenantId, grain, grain.floor(from), wholeSecondFrom(to), rank, limit);
    }

    /**
     * The bucket a chart of a range reads best in: minutes up to 3 hours, hours up to 14 days, else days.
     *
     * @param from the start
     * @param to   the end
     * @return the grain
     */
    public static UsageGrain grainFor(Instant from, Instant to) {
        Duration range = Duration.between(from, to);
        return range.compareTo(Duration.ofHours(3)) <= 0 ? UsageGrain.MINUTE
                : range.compareTo(Duration.ofDays(14)) <= 0 ? UsageGrain.HOUR : UsageGrain.DAY;
    }

    /** {@return now, by the clock this instance counts with: where a range that ends "now" ends} */
    public Instant now() {
        return clock.instant();
    }

    /** Writes this instance's counts to the store now, as the next scheduled flush would. Never throws. */
    public void flush() {
        cache.flushUsage();
    }

    /**
     * How long buckets of a grain are kept.
     *
     * @param grain the grain
     * @return its retention
     */
    public Duration retention(UsageGrain grain) {
        return counter.settings().retention(grain);
    }

    /** {@return how often each instance writes its counts} */
    public Duration flushInterval() {
        return counter.settings().flushInterval();
    }

    private UsageStore store() {
        return counter.store();
    }

    /**
     * {@return the first whole second at or after {@code to}}: buckets start on whole seconds, so every bucket that
     * starts before {@code to} starts before this, and the stores, which compare whole seconds, then keep the bucket a
     * {@code to} in its first second falls in (they dropped it, and with it what the last moments counted).
     */
    private static Instant wholeSecondFrom(Instant to) {
        return to.getNano() == 0 ? to : Instant.ofEpochSecond(to.getEpochSecond() + 1);
    }

    private static Instant checkRange(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isBefore(Instant.EPOCH) || to.isAfter(LATEST)) {
            throw new IllegalArgumentException("from and to must lie between 1970 and 9999");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        return from;
    }
}
