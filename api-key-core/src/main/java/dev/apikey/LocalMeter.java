package dev.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.apikey.model.Allowance;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.Meter;
import dev.apikey.spi.MeterMath;
import dev.apikey.spi.Metered;
import dev.apikey.spi.Spend;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process {@link Meter}: counts in this process, so each instance of a host counts on its own (N instances
 * allow up to N times each allowance); plug in {@code JdbcMeter} or {@code RedisMeter} where that matters.
 *
 * <ul>
 *   <li>All or none, exactly: the counts of a batch are locked (in one global order, so two batches never wait on
 *       each other in a circle) while every allowance is checked, and taken only if all have room.</li>
 *   <li>A prepared batch ({@link #prepare}, what the verifier keeps per cached key) holds its counts: its spend looks
 *       nothing up.</li>
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

    /**
     * How often at most a resolved count tells {@code subjects} of a use: each telling is a read of the cache that
     * reschedules the subject's expiry and may run the cache's upkeep on the verifying thread.
     */
    static final long TOUCH_MILLIS = 60_000;
    /**
     * A subject is kept this long past its longest window, so that a use told of up to {@link #TOUCH_MILLIS} late
     * still leaves it the whole window after its last use.
     */
    private static final long MIN_IDLE_NANOS =
            TimeUnit.MINUTES.toNanos(10) + TimeUnit.MILLISECONDS.toNanos(TOUCH_MILLIS);
    private static final AtomicLong ORDER = new AtomicLong();
    /** {@link #locked}'s answers that are not a refusal, and its mask of a refusal's wait. */
    static final long GRANTED = -2;
    private static final long DEAD = -1;
    private static final long WAIT = (1L << 58) - 1;

    private final Cache<String, Subject> subjects;
    /**
     * The count of each allowance already resolved, so that a spend finds it without a look-up in {@code subjects}
     * (whose expiry bookkeeping costs more than the spend): entries leave with their subject, whose counts are then
     * marked dead under their monitors. A resolved count tells {@code subjects} of its use at most once a minute.
     */
    private final ConcurrentHashMap<Metered, LocalCount> resolved = new ConcurrentHashMap<>();
    /** Per thread: a batch's counts, the same in monitor order, and its allowances. */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

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
        this(maxSubjects, Ticker.systemTicker());
    }

    /** A meter whose subjects' idleness is timed by {@code ticker} (tests). */
    LocalMeter(long maxSubjects, Ticker ticker) {
        if (maxSubjects < 1 || maxSubjects > 100_000_000) {
            throw new IllegalArgumentException("maxSubjects must be 1 to 100000000, was " + maxSubjects);
        }
        this.subjects = Caffeine.newBuilder().maximumSize(maxSubjects).expireAfter(new Idle()).ticker(ticker)
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
        Scratch s = scratch.get();
        try {
            while (true) {
                for (int i = 0; i < n; i++) {
                    Metered m = batch.get(i);
                    s.counts[i] = count(m, nowMillis);
                    s.allowances[i] = m.allowance();
                }
                inMonitorOrder(s.counts, n);
                long answer = locked(s.counts, 0, n, s.allowances, cost, nowMillis);
                if (answer != DEAD) {
                    return answerOf(answer);
                }
                // A subject left meanwhile: its counts are dead, and the next resolution makes new ones.
            }
        } finally {
            Arrays.fill(s.counts, 0, 2 * n, null);
            Arrays.fill(s.allowances, 0, n, null);
        }
    }

    /**
     * A batch whose counts are found once, here, and kept: a spend through it takes their monitors and counts, with
     * no look-up and no allocation. When a subject leaves the meter (idle past its longest window) its counts die,
     * and the next spend finds new ones. Spends through it and through {@link #spend} count on the same counts.
     */
    @Override
    public Prepared prepare(List<Metered> batch) {
        return new Held(MeterMath.checkBatch(batch));
    }

    @Override
    public long used(Metered metered, long nowMillis) {
        MeterMath.checkTime(nowMillis);
        Subject subject = subjects.getIfPresent(metered.subject());
        LocalCount count = subject == null ? null : subject.find(metered);
        if (count == null) {
            return 0;
        }
        synchronized (count) {
            return count.used(metered.allowance(), nowMillis);
        }
    }

    /**
     * The answer of {@link #locked}, made where it is read: the caller's {@code Spend} does not outlive the verify
     * that reads it, so the JIT need not allocate it.
     */
    private static Spend answerOf(long answer) {
        if (answer == GRANTED) {
            return Spend.GRANTED;
        }
        return Spend.refused(refusedIndex(answer), retryAfterMillis(answer));
    }

    /** {@return the index of the allowance that refused, of an answer of {@link Held#answer} that is not granted} */
    static int refusedIndex(long answer) {
        return (int) (answer >>> 58);
    }

    /** {@return the wait of an answer of {@link Held#answer} that is not granted, {@link Spend#NEVER} for never} */
    static long retryAfterMillis(long answer) {
        long wait = answer & WAIT;
        return wait == WAIT ? Spend.NEVER : Math.max(1, wait);
    }

    /**
     * Takes the monitors of the counts in {@code counts[n + k .. 2n)} (the batch's counts in monitor order) in order,
     * then checks every count of {@code counts[0 .. n)} (in batch order) and, if all have room, spends from each.
     * {@return {@link #GRANTED}, {@link #DEAD} when a count was dead (its subject left the meter), or a refusal: the
     * allowance's index above bit 58, the wait below it ({@link #WAIT} for never)}
     */
    private static long locked(LocalCount[] counts, int k, int n, Allowance[] allowances, long cost,
            long nowMillis) {
        if (k < n) {
            synchronized (counts[n + k]) {
                return locked(counts, k + 1, n, allowances, cost, nowMillis);
            }
        }
        for (int i = 0; i < n; i++) {
            if (counts[i].dead) {
                return DEAD;
            }
        }
        int worst = -1;
        long worstWait = 0;
        for (int i = 0; i < n; i++) {
            long wait = counts[i].check(allowances[i], cost, nowMillis);
            if (wait > worstWait) {
                worst = i;
                worstWait = wait;
            }
        }
        if (worst >= 0) {
            return (long) worst << 58 | Math.min(worstWait, WAIT);
        }
        for (int i = 0; i < n; i++) {
            counts[i].take(allowances[i], cost, nowMillis);
        }
        return GRANTED;
    }

    /**
     * Copies {@code counts[0 .. n)} into {@code counts[n .. 2n)} in their monitor order (an insertion sort: a batch
     * holds a few).
     */
    private static void inMonitorOrder(LocalCount[] counts, int n) {
        for (int i = 0; i < n; i++) {
            LocalCount c = counts[i];
            int j = i - 1;
            while (j >= 0 && counts[n + j].order > c.order) {
                counts[n + j + 1] = counts[n + j];
                j--;
            }
            counts[n + j + 1] = c;
        }
    }

    private LocalCount count(Metered m, long nowMillis) {
        LocalCount known = resolved.get(m);
        if (known != null && !known.dead) {
            touch(known, m.subject(), nowMillis);
            return known;
        }
        LocalCount count = resolve(m);
        count.keys.add(m);
        resolved.put(m, count);
        count.touchedMillis = nowMillis;
        if (count.dead) {
            // Retired between the resolution and the put: the next spend resolves it afresh.
            resolved.remove(m, count);
        }
        return count;
    }

    /**
     * The subject's expiry counts from its last read: tell it of a use, at most once every {@link #TOUCH_MILLIS}
     * (its idle time has that much to spare).
     */
    private void touch(LocalCount count, String subject, long nowMillis) {
        long touched = count.touchedMillis;
        if (nowMillis - touched >= TOUCH_MILLIS || nowMillis < touched) {
            count.touchedMillis = nowMillis;
            subjects.getIfPresent(subject);
        }
    }

    private LocalCount resolve(Metered m) {
        Subject subject = subjects.getIfPresent(m.subject());
        if (subject == null) {
            subject = subjects.get(m.subject(), s -> new Subject());
        }
        LocalCount count = subject.find(m);
        if (count == null) {
            count = subject.add(m);
            // The subject's idle time may have grown: read it again so that the cache sees the new expiry.
            subjects.asMap().computeIfPresent(m.subject(), (s, v) -> v);
        }
        return count;
    }

    /** What one thread reuses from one spend to the next. */
    private static final class Scratch {
        /** A batch's counts in batch order, then the same in monitor order. */
        final LocalCount[] counts = new LocalCount[2 * MeterMath.MAX_BATCH];
        final Allowance[] allowances = new Allowance[MeterMath.MAX_BATCH];
    }

    /**
     * A prepared batch: its allowances and limits, and its counts once found. A batch of one or two allowances (a
     * key's own and its tenant's shared one, the usual case) is held in fields rather than arrays, with each
     * allowance's numbers worked out (a rate limit's {@link MeterMath.Rate}, a quota's calls): the hit reads this
     * object and the counts' first lines, and no array, allowance or limit object between them. The verifier, in this
     * package, reads {@link #answer} directly: a {@code Spend} that may be the shared grant or a new refusal is one the
     * JIT cannot keep off the heap, so a flood of refusals would allocate one each.
     */
    final class Held implements Prepared {
        /** The smallest limit: a cost at or below it (a cost of 1 always) fits every allowance's limit. */
        private final long smallestLimit;
        /**
         * A batch of one or two: each allowance's numbers, a rate limit's token units, milliseconds' units, requests
         * and period in milliseconds, or a quota's calls in {@code r0}/{@code r1}.
         */
        private final long t0;
        private final long m0;
        private final long r0;
        private final long p0;
        private final long t1;
        private final long m1;
        private final long r1;
        private final long p1;
        private final int n;
        private final boolean rate0;
        private final boolean rate1;
        /** A batch of one or two: its counts (once found), allowances and subjects, in batch order. */
        private volatile LocalCount c0;
        private volatile LocalCount c1;
        private final Allowance a0;
        private final Allowance a1;
        private final String s0;
        private final String s1;
        private final List<Metered> batch;
        /** A larger batch: its allowances and subjects, and its counts in batch order, then in monitor order. */
        private final Allowance[] allowances;
        private final String[] subjectOf;
        private volatile LocalCount[] found;

        Held(List<Metered> batch) {
            this.batch = batch;
            this.n = batch.size();
            long smallest = Long.MAX_VALUE;
            for (Metered m : batch) {
                smallest = Math.min(smallest, m.allowance().limit());
            }
            this.smallestLimit = smallest;
            boolean fields = n <= 2;
            this.a0 = n > 0 && fields ? batch.get(0).allowance() : null;
            this.a1 = n > 1 && fields ? batch.get(1).allowance() : null;
            this.s0 = n > 0 && fields ? batch.get(0).subject() : null;
            this.s1 = n > 1 && fields ? batch.get(1).subject() : null;
            long[] first = numbers(a0);
            long[] second = numbers(a1);
            this.rate0 = a0 instanceof RateLimit;
            this.t0 = first[0];
            this.m0 = first[1];
            this.r0 = first[2];
            this.p0 = first[3];
            this.rate1 = a1 instanceof RateLimit;
            this.t1 = second[0];
            this.m1 = second[1];
            this.r1 = second[2];
            this.p1 = second[3];
            this.allowances = fields ? null : new Allowance[n];
            this.subjectOf = fields ? null : new String[n];
            for (int i = 0; !fields && i < n; i++) {
                allowances[i] = batch.get(i).allowance();
                subjectOf[i] = batch.get(i).subject();
            }
            // Found now, while the key loads: allocated beside the key's other objects, read together on the hit.
            find(0);
        }

        /** A rate limit's token units, milliseconds' units, requests and period; a quota's calls; none's zeros. */
        private static long[] numbers(Allowance a) {
            if (a instanceof RateLimit r) {
                MeterMath.Rate m = MeterMath.Rate.of(r);
                return new long[] {m.tokenUnits(), m.millisUnits(), m.requests(), m.periodMillis()};
            }
            return new long[] {0, 0, a instanceof Quota q ? q.calls() : 0, 0};
        }

        /** Small, so that it inlines into the verifier: its {@code Spend} then never leaves the verify's frame. */
        @Override
        public Spend spend(long cost, long nowMillis) {
            return answerOf(answer(cost, nowMillis));
        }

        /**
         * Spends as {@link #spend} does. {@return {@link LocalMeter#GRANTED}, or a refusal: read it with
         * {@link LocalMeter#refusedIndex} and {@link LocalMeter#retryAfterMillis}}
         */
        long answer(long cost, long nowMillis) {
            if (cost < 1 || cost > MeterMath.MAX_COST || nowMillis < 0 || nowMillis > MeterMath.MAX_MILLIS) {
                MeterMath.precheckChecked(batch, cost, nowMillis); // throws, naming the argument
            }
            if (cost > smallestLimit) {
                for (int i = 0; i < n; i++) {
                    if (cost > batch.get(i).allowance().limit()) {
                        return (long) i << 58 | WAIT;
                    }
                }
            }
            while (true) {
                long answer = switch (n) {
                    case 0 -> GRANTED;
                    case 1 -> one(cost, nowMillis);
                    case 2 -> two(cost, nowMillis);
                    default -> many(cost, nowMillis);
                };
                if (answer != DEAD) {
                    return answer;
                }
                find(nowMillis);
            }
        }

        private long one(long cost, long nowMillis) {
            LocalCount c = c0;
            touch(c, s0, nowMillis);
            synchronized (c) {
                if (c.dead) {
                    return DEAD;
                }
                long wait = wait0(c, cost, nowMillis);
                if (wait > 0) {
                    return Math.min(wait, WAIT);
                }
                take0(c, cost, nowMillis);
                return GRANTED;
            }
        }

        private long two(long cost, long nowMillis) {
            LocalCount first = c0;
            LocalCount second = c1;
            touch(first, s0, nowMillis);
            touch(second, s1, nowMillis);
            boolean inOrder = first.order <= second.order;
            synchronized (inOrder ? first : second) {
                synchronized (inOrder ? second : first) {
                    if (first.dead || second.dead) {
                        return DEAD;
                    }
                    long wait0 = wait0(first, cost, nowMillis);
                    long wait1 = wait1(second, cost, nowMillis);
                    if (wait1 > wait0) {
                        return 1L << 58 | Math.min(wait1, WAIT);
                    }
                    if (wait0 > 0) {
                        return Math.min(wait0, WAIT);
                    }
                    take0(first, cost, nowMillis);
                    take1(second, cost, nowMillis);
                    return GRANTED;
                }
            }
        }

        private long wait0(LocalCount c, long cost, long nowMillis) {
            return rate0 ? c.rateWait(cost, nowMillis, t0, m0, r0, p0) : c.quotaWait(a0, r0, cost, nowMillis);
        }

        private long wait1(LocalCount c, long cost, long nowMillis) {
            return rate1 ? c.rateWait(cost, nowMillis, t1, m1, r1, p1) : c.quotaWait(a1, r1, cost, nowMillis);
        }

        private void take0(LocalCount c, long cost, long nowMillis) {
            if (rate0) {
                c.rateTake(cost, nowMillis, t0, m0, r0, p0);
            } else {
                c.quotaTake(a0, cost, nowMillis);
            }
        }

        private void take1(LocalCount c, long cost, long nowMillis) {
            if (rate1) {
                c.rateTake(cost, nowMillis, t1, m1, r1, p1);
            } else {
                c.quotaTake(a1, cost, nowMillis);
            }
        }

        private long many(long cost, long nowMillis) {
            LocalCount[] f = found;
            for (int i = 0; i < n; i++) {
                touch(f[i], subjectOf[i], nowMillis);
            }
            return locked(f, 0, n, allowances, cost, nowMillis);
        }

        /** Finds the counts (again, after a subject left the meter). */
        private void find(long nowMillis) {
            if (n <= 2) {
                if (n > 0) {
                    c0 = count(batch.get(0), nowMillis);
                }
                if (n > 1) {
                    c1 = count(batch.get(1), nowMillis);
                }
                return;
            }
            LocalCount[] counts = new LocalCount[2 * n];
            for (int i = 0; i < n; i++) {
                counts[i] = count(batch.get(i), nowMillis);
            }
            inMonitorOrder(counts, n);
            found = counts;
        }
    }

    /** One subject's counts, looked up by a scan: a subject has a few. */
    private static final class Subject {
        private volatile LocalCount[] counts = new LocalCount[0];
        private volatile long idleNanos = MIN_IDLE_NANOS;

        LocalCount find(Metered m) {
            LocalCount[] all = counts;
            String kind = m.kind();
            for (LocalCount c : all) {
                if (c.kind.equals(kind) && c.name.equals(m.allowance().name())) {
                    return c;
                }
            }
            return null;
        }

        synchronized LocalCount add(Metered m) {
            LocalCount found = find(m);
            if (found != null) {
                return found;
            }
            LocalCount[] all = counts;
            LocalCount[] more = Arrays.copyOf(all, all.length + 1);
            more[all.length] = new LocalCount(m.kind(), m.allowance().name(), ORDER.incrementAndGet(), m.allowance());
            counts = more;
            idleNanos = Math.max(idleNanos,
                    TimeUnit.MILLISECONDS.toNanos(MeterMath.idleMillis(m.allowance()) + TOUCH_MILLIS));
            return more[all.length];
        }

        /** The subject left the meter: its counts are dead (under their monitors) and no longer resolved. */
        void retire(ConcurrentHashMap<Metered, LocalCount> resolved) {
            for (LocalCount c : counts) {
                synchronized (c) {
                    c.dead = true;
                }
                for (Metered key : c.keys) {
                    resolved.remove(key, c);
                }
            }
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
