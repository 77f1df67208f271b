package dev.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.apikey.model.Allowance;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.Meter;
import dev.apikey.spi.MeterMath;
import dev.apikey.spi.Metered;
import dev.apikey.spi.Spend;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process {@link Meter}: counts in this process, so each instance of a host counts on its own (N instances
 * allow up to N times each allowance); plug in {@code JdbcMeter} or {@code RedisMeter} where that matters.
 *
 * <ul>
 *   <li>All or none, exactly: the counts of a batch are locked (in one global order, so two batches never wait on
 *       each other in a circle) while every allowance is checked, and taken only if all have room.</li>
 *   <li>Time is the {@code nowMillis} passed in: the verifier's clock.</li>
 *   <li>A grant allocates nothing once the subject's counts exist.</li>
 *   <li>Bounded memory: at most {@code maxSubjects} subjects (default 1,000,000; beyond it the least used are
 *       dropped, and their counts start again), and a subject idle for longer than its longest window (a rate limit's
 *       period, at least 10 minutes; a day or 32 days for a quota) is dropped.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class LocalMeter implements Meter {

    private static final long MIN_IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final AtomicLong ORDER = new AtomicLong();

    private final Cache<String, Subject> subjects;
    /**
     * The count of each allowance already resolved, so that a spend finds it without a look-up in {@code subjects}
     * (whose expiry bookkeeping costs more than the spend): entries leave with their subject, whose counts are then
     * marked dead under their locks. A resolved count tells {@code subjects} of its use at most once a second.
     */
    private final ConcurrentHashMap<Metered, Count> resolved = new ConcurrentHashMap<>();
    private final ThreadLocal<Count[]> scratch = ThreadLocal.withInitial(() -> new Count[MeterMath.MAX_BATCH]);

    /** A meter of at most 1,000,000 subjects. */
    public LocalMeter() {
        this(1_000_000);
    }

    /**
     * A meter of at most this many subjects.
     *
     * @param maxSubjects 1 to 100,000,000
     * @throws IllegalArgumentException if out of range, naming it
     */
    public LocalMeter(long maxSubjects) {
        if (maxSubjects < 1 || maxSubjects > 100_000_000) {
            throw new IllegalArgumentException("maxSubjects must be 1 to 100000000, was " + maxSubjects);
        }
        this.subjects = Caffeine.newBuilder().maximumSize(maxSubjects).expireAfter(new Idle())
                .executor(Runnable::run).<String, Subject>removalListener((key, subject, cause) -> {
                    if (subject != null) {
                        subject.retire(resolved);
                    }
                }).build();
    }

    @Override
    public Spend spend(List<Metered> batch, long cost, long nowMillis) {
        Spend early = MeterMath.precheck(batch, cost, nowMillis);
        if (early != null) {
            return early;
        }
        int n = batch.size();
        Count[] counts = scratch.get();
        while (true) {
            for (int i = 0; i < n; i++) {
                counts[i] = count(batch.get(i), nowMillis);
            }
            lockInOrder(counts, n);
            if (!anyDead(counts, n)) {
                break;
            }
            // A subject left meanwhile: its counts are dead, and the next resolution makes new ones.
            for (int i = 0; i < n; i++) {
                counts[i].lock.unlock();
            }
        }
        try {
            int worst = -1;
            long worstWait = 0;
            for (int i = 0; i < n; i++) {
                long wait = counts[i].check(batch.get(i).allowance(), cost, nowMillis);
                if (wait > worstWait) {
                    worst = i;
                    worstWait = wait;
                }
            }
            if (worst >= 0) {
                return Spend.refused(worst, worstWait);
            }
            for (int i = 0; i < n; i++) {
                counts[i].take();
            }
            return Spend.GRANTED;
        } finally {
            for (int i = 0; i < n; i++) {
                counts[i].lock.unlock();
                counts[i] = null;
            }
        }
    }

    @Override
    public long used(Metered metered, long nowMillis) {
        MeterMath.checkTime(nowMillis);
        Subject subject = subjects.getIfPresent(metered.subject());
        Count count = subject == null ? null : subject.find(metered);
        if (count == null) {
            return 0;
        }
        count.lock.lock();
        try {
            return count.used(metered.allowance(), nowMillis);
        } finally {
            count.lock.unlock();
        }
    }

    private static boolean anyDead(Count[] counts, int n) {
        for (int i = 0; i < n; i++) {
            if (counts[i].dead) {
                return true;
            }
        }
        return false;
    }

    /** Locks the counts in their global order: a batch never holds one while waiting for a lower one. */
    private static void lockInOrder(Count[] counts, int n) {
        long last = -1;
        for (int k = 0; k < n; k++) {
            Count next = null;
            for (int i = 0; i < n; i++) {
                if (counts[i].order > last && (next == null || counts[i].order < next.order)) {
                    next = counts[i];
                }
            }
            next.lock.lock();
            last = next.order;
        }
    }

    private Count count(Metered m, long nowMillis) {
        Count known = resolved.get(m);
        if (known != null && !known.dead) {
            if (nowMillis - known.touchedMillis >= 1_000 || nowMillis < known.touchedMillis) {
                // The subject's expiry counts from its last read: tell it of the use, at most once a second.
                known.touchedMillis = nowMillis;
                subjects.getIfPresent(m.subject());
            }
            return known;
        }
        Count count = resolve(m);
        count.keys.add(m);
        resolved.put(m, count);
        count.touchedMillis = nowMillis;
        if (count.dead) {
            // Retired between the resolution and the put: the next spend resolves it afresh.
            resolved.remove(m, count);
        }
        return count;
    }

    private Count resolve(Metered m) {
        Subject subject = subjects.getIfPresent(m.subject());
        if (subject == null) {
            subject = subjects.get(m.subject(), s -> new Subject());
        }
        Count count = subject.find(m);
        if (count == null) {
            count = subject.add(m);
            // The subject's idle time may have grown: read it again so that the cache sees the new expiry.
            subjects.asMap().computeIfPresent(m.subject(), (s, v) -> v);
        }
        return count;
    }

    /** One subject's counts, looked up by a scan: a subject has a few. */
    private static final class Subject {
        private volatile Count[] counts = new Count[0];
        private volatile long idleNanos = MIN_IDLE_NANOS;

        Count find(Metered m) {
            Count[] all = counts;
            String kind = m.kind();
            for (Count c : all) {
                if (c.kind.equals(kind) && c.name.equals(m.allowance().name())) {
                    return c;
                }
            }
            return null;
        }

        synchronized Count add(Metered m) {
            Count found = find(m);
            if (found != null) {
                return found;
            }
            Count[] all = counts;
            Count[] more = Arrays.copyOf(all, all.length + 1);
            more[all.length] = new Count(m.kind(), m.allowance().name(), ORDER.incrementAndGet());
            counts = more;
            idleNanos = Math.max(idleNanos, TimeUnit.MILLISECONDS.toNanos(MeterMath.idleMillis(m.allowance())));
            return more[all.length];
        }

        /** The subject left the meter: its counts are dead (under their locks) and no longer resolved. */
        void retire(ConcurrentHashMap<Metered, Count> resolved) {
            for (Count c : counts) {
                c.lock.lock();
                try {
                    c.dead = true;
                } finally {
                    c.lock.unlock();
                }
                for (Metered key : c.keys) {
                    resolved.remove(key, c);
                }
            }
        }
    }

    /**
     * One count: a rate limit's debt ({@code level} in {@code units} token units, refilled from {@code at}) or a
     * quota's cost counted in window {@code window}, which ends at {@code windowEnd}. Guarded by its lock;
     * {@code check} changes nothing and leaves the values that {@code take} stores.
     */
    private static final class Count {
        final String kind;
        final String name;
        final long order;
        final ReentrantLock lock = new ReentrantLock();
        /** The allowances resolved to this count (a changed limit is another key of the same count). */
        final java.util.Set<Metered> keys = ConcurrentHashMap.newKeySet();
        /** Set, under the lock, when the subject left the meter: a spend that finds it dead resolves again. */
        volatile boolean dead;
        /** When the subject was last told of a use of this count (the verifier's clock). */
        volatile long touchedMillis;
        private long level;
        private long units;
        private long at;
        private long window = Long.MIN_VALUE;
        private long windowEnd = Long.MIN_VALUE;
        private long nextLevel;
        private long nextUnits;
        private long nextAt;
        private long nextWindow;
        private long nextWindowEnd;

        Count(String kind, String name, long order) {
            this.kind = kind;
            this.name = name;
            this.order = order;
        }

        long check(Allowance a, long cost, long now) {
            if (a instanceof RateLimit r) {
                long debt = MeterMath.debtAt(level, units, at, now, r);
                nextUnits = MeterMath.tokenUnits(r);
                nextLevel = debt + cost * nextUnits;
                nextAt = Math.max(at, now);
                return MeterMath.rateWait(debt, cost, r);
            }
            Quota q = (Quota) a;
            long used = usedIn(q, now);
            nextUnits = units;
            nextAt = Math.max(at, now);
            nextLevel = used + cost;
            return MeterMath.quotaWait(used, cost, q, now);
        }

        void take() {
            level = nextLevel;
            units = nextUnits;
            at = nextAt;
            window = nextWindow;
            windowEnd = nextWindowEnd;
        }

        long used(Allowance a, long now) {
            if (a instanceof RateLimit r) {
                return MeterMath.rateUsed(MeterMath.debtAt(level, units, at, now, r), r);
            }
            return Math.min(a.limit(), usedIn((Quota) a, now));
        }

        /**
         * The cost counted in the window of {@code now}, leaving that window in {@code nextWindow}: a later window
         * starts at 0; an earlier one (another instance's clock a little behind) counts on in the stored one.
         */
        private long usedIn(Quota q, long now) {
            nextWindow = window;
            nextWindowEnd = windowEnd;
            if (now >= windowEnd) {
                long w = MeterMath.window(q, now);
                if (w > window) {
                    nextWindow = w;
                    nextWindowEnd = q.resetAt(Instant.ofEpochMilli(now)).toEpochMilli();
                    return 0;
                }
            }
            return level;
        }
    }

    /** A subject expires after its longest window of idleness, in this process's time. */
    private static final class Idle implements Expiry<String, Subject> {
        @Override
        public long expireAfterCreate(String key, Subject value, long currentTime) {
            return value.idleNanos;
        }

        @Override
        public long expireAfterUpdate(String key, Subject value, long currentTime, long currentDuration) {
            return value.idleNanos;
        }

        @Override
        public long expireAfterRead(String key, Subject value, long currentTime, long currentDuration) {
            return value.idleNanos;
        }
    }

    @Override
    public String toString() {
        return "LocalMeter";
    }
}
