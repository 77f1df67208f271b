package dev.apikey;

import dev.apikey.model.Allowance;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.MeterMath;
import dev.apikey.spi.Metered;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One count of {@link LocalMeter}: a rate limit's debt ({@code level} in {@code units} token units, refilled from
 * {@code at}) or a quota's cost counted in window {@code window}, which ends at {@code windowEnd}. Guarded by its own
 * monitor (no lock object beside it: one object, fewer cache lines on the hit); {@code check} changes nothing and
 * leaves the values that {@code take} stores.
 *
 * <p>Package-private; every method but the constructor is called with the monitor held.
 */
final class LocalCount {

    final String kind;
    final String name;
    /** The global order of monitors: a batch takes its counts' monitors in this order, never in a circle. */
    final long order;
    /** The allowances resolved to this count (a changed limit is another key of the same count). */
    final Set<Metered> keys = ConcurrentHashMap.newKeySet();
    /** Set, under the monitor, when the subject left the meter: a spend that finds it dead resolves again. */
    volatile boolean dead;
    /** When the subject was last told of a use of this count (the verifier's clock). */
    volatile long touchedMillis;
    /**
     * The numbers of the rate limit last checked here ({@link MeterMath.Rate}'s, kept in this object rather than in
     * one of their own: one object fewer to read on the hit); the same limit object comes again and again.
     */
    private Allowance rateOf;
    private long tokenUnits;
    private long millisUnits;
    private long requests;
    private long periodMillis;
    /** The quota whose reset {@link #resetAt} keeps, the first time it was asked for, and the reset. */
    private Quota resetOf;
    private long resetFrom;
    private long resetMillis;
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

    LocalCount(String kind, String name, long order, Allowance first) {
        this.kind = kind;
        this.name = name;
        this.order = order;
        if (first instanceof RateLimit r) {
            rate(r);
        }
    }

    /** {@return 0 if the cost fits, else the milliseconds until it will}; keeps what {@link #take} stores. */
    long check(Allowance a, long cost, long now) {
        // The same limit object again (the identity, not the object, is read): its arithmetic is here already.
        if (a == rateOf || a instanceof RateLimit) {
            if (a != rateOf) {
                rate((RateLimit) a);
            }
            long debt = MeterMath.debtAt(level, units, at, now, tokenUnits, millisUnits, requests, periodMillis);
            nextUnits = tokenUnits;
            nextLevel = debt + cost * tokenUnits;
            nextAt = Math.max(at, now);
            return MeterMath.rateWait(debt, cost, tokenUnits, millisUnits, requests);
        }
        Quota q = (Quota) a;
        long used = usedIn(q, now);
        nextUnits = units;
        nextAt = Math.max(at, now);
        nextLevel = used + cost;
        if (used + cost <= q.calls() || cost > q.calls()) {
            return MeterMath.quotaWait(used, cost, q, now, 0);
        }
        return MeterMath.quotaWait(used, cost, q, now, resetAt(q, now));
    }

    private void rate(RateLimit r) {
        MeterMath.Rate m = MeterMath.Rate.of(r);
        tokenUnits = m.tokenUnits();
        millisUnits = m.millisUnits();
        requests = r.requests();
        periodMillis = r.period().toMillis();
        rateOf = r;
    }

    /**
     * {@code q.resetAt(now)}, kept: every time from one that gave a reset up to that reset is in the same window, so
     * a flood of refusals works it out once.
     */
    private long resetAt(Quota q, long now) {
        if (resetOf != q || now < resetFrom || now >= resetMillis) {
            resetMillis = q.resetAt(Instant.ofEpochMilli(now)).toEpochMilli();
            resetFrom = now;
            resetOf = q;
        }
        return resetMillis;
    }

    /** Stores what the last {@link #check} worked out: the spend. */
    void take() {
        level = nextLevel;
        units = nextUnits;
        at = nextAt;
        window = nextWindow;
        windowEnd = nextWindowEnd;
    }

    /** {@return the units spent in the current window} */
    long used(Allowance a, long now) {
        if (a instanceof RateLimit r) {
            return MeterMath.rateUsed(MeterMath.debtAt(level, units, at, now, r), r);
        }
        return Math.min(a.limit(), usedIn((Quota) a, now));
    }

    /**
     * The cost counted in the window of {@code now}, leaving that window in {@code nextWindow}: a later window starts
     * at 0; an earlier one (another instance's clock a little behind) counts on in the stored one.
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
