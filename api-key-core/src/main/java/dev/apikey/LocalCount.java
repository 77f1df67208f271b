package dev.apikey;

import dev.apikey.model.Allowance;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.MeterMath;
import dev.apikey.spi.Metered;
import dev.apikey.spi.Spend;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One count of {@link LocalMeter}: a rate limit's debt ({@code level} in {@code units} token units, refilled from
 * {@code at}) or a quota's cost counted in window {@code window}, which ends at {@code windowEnd}. Guarded by its own
 * monitor (no lock object beside it: one object, fewer cache lines on the hit). A spend checks every count of its
 * batch ({@code *Wait}, which changes nothing), then takes from each ({@code take*}, which works the same numbers out
 * again from what is in this object: cheaper than keeping them in fields of their own, which the hit would read).
 *
 * <p>What a hit reads is declared first, so that it lies in the object's first 56 bytes (HotSpot lays out fields of
 * one size in the order they are declared, after the header; docs/BENCHMARKS.md, "With allowances", has the layout
 * JOL printed): with thousands of keys the key's count is a cache miss, and each further line read is another. The
 * numbers of a rate limit come from the prepared batch ({@link LocalMeter.Held}), which holds them for its
 * allowances; only the unprepared {@link LocalMeter#spend} path keeps its limit's {@link MeterMath.Rate} here.
 *
 * <p>Package-private; every method but the constructor is called with the monitor held.
 */
final class LocalCount {

    // Hot: read or written by every spend through a prepared batch.
    private long level;
    private long at;
    private long units;
    /** When the subject was last told of a use of this count (the verifier's clock). */
    volatile long touchedMillis;
    /** The global order of monitors: a batch takes its counts' monitors in this order, never in a circle. */
    final long order;
    private long window = Long.MIN_VALUE;
    private long windowEnd = Long.MIN_VALUE;
    /** Set, under the monitor, when the subject left the meter: a spend that finds it dead resolves again. */
    volatile boolean dead;

    // Cold: the unprepared path's rate arithmetic, a quota's reset on refusals, the meter's bookkeeping.
    private long resetFrom;
    private long resetMillis;
    final String kind;
    final String name;
    /** The allowances resolved to this count (a changed limit is another key of the same count). */
    final Set<Metered> keys = ConcurrentHashMap.newKeySet();
    /** The arithmetic of the rate limit last checked on the unprepared path: the same limit comes again and again. */
    private MeterMath.Rate rate;
    /** The quota whose reset {@link #resetAt} keeps, the first time it was asked for, and the reset. */
    private Quota resetOf;

    LocalCount(String kind, String name, long order, Allowance first) {
        this.kind = kind;
        this.name = name;
        this.order = order;
        if (first instanceof RateLimit r) {
            rate(r);
        }
    }

    /** {@return 0 if the cost fits, else the milliseconds until it will}; changes nothing. */
    long check(Allowance a, long cost, long now) {
        if (a instanceof RateLimit r) {
            MeterMath.Rate m = rate(r);
            return rateWait(cost, now, m.tokenUnits(), m.millisUnits(), m.requests(), m.periodMillis());
        }
        Quota q = (Quota) a;
        return quotaWait(q, q.calls(), cost, now);
    }

    /** Spends the cost that {@link #check} found room for, under the same monitor hold. */
    void take(Allowance a, long cost, long now) {
        if (a instanceof RateLimit r) {
            MeterMath.Rate m = rate(r);
            rateTake(cost, now, m.tokenUnits(), m.millisUnits(), m.requests(), m.periodMillis());
        } else {
            quotaTake((Quota) a, cost, now);
        }
    }

    /**
     * A rate limit's {@link #check}, its numbers ({@link MeterMath.Rate}'s) given by the caller.
     *
     * @return 0 if the cost fits, else the milliseconds until it will; {@link Spend#NEVER} above the limit
     */
    long rateWait(long cost, long now, long tokenUnits, long millisUnits, long requests, long periodMillis) {
        long debt = MeterMath.debtAt(level, units, at, now, tokenUnits, millisUnits, requests, periodMillis);
        return MeterMath.rateWait(debt, cost, tokenUnits, millisUnits, requests);
    }

    /** A rate limit's {@link #take}: the debt now, plus the cost, in these token units. */
    void rateTake(long cost, long now, long tokenUnits, long millisUnits, long requests, long periodMillis) {
        long debt = MeterMath.debtAt(level, units, at, now, tokenUnits, millisUnits, requests, periodMillis);
        level = debt + cost * tokenUnits;
        units = tokenUnits;
        at = Math.max(at, now);
    }

    /**
     * A quota's {@link #check}, its number of calls given by the caller: the quota object (typed as an allowance, so
     * that no cast reads it) is read only when its window turns or on a refusal.
     *
     * @return 0 if the cost fits, else the milliseconds until the window starts again; {@link Spend#NEVER} above the
     *         limit
     */
    long quotaWait(Allowance q, long calls, long cost, long now) {
        if (cost > calls) {
            return Spend.NEVER;
        }
        long used = usedIn(q, now);
        if (used + cost <= calls) {
            return 0;
        }
        return Math.max(1, resetAt((Quota) q, now) - now);
    }

    /** A quota's {@link #take}: a later window starts at the cost. */
    void quotaTake(Allowance q, long cost, long now) {
        if (now >= windowEnd) {
            long w = MeterMath.window((Quota) q, now);
            if (w > window) {
                window = w;
                windowEnd = ((Quota) q).resetAt(Instant.ofEpochMilli(now)).toEpochMilli();
                level = 0;
            }
        }
        level += cost;
        at = Math.max(at, now);
    }

    private MeterMath.Rate rate(RateLimit r) {
        if (rate == null || rate.limit() != r) {
            rate = MeterMath.Rate.of(r);
        }
        return rate;
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

    /** {@return the units spent in the current window} */
    long used(Allowance a, long now) {
        if (a instanceof RateLimit r) {
            return MeterMath.rateUsed(MeterMath.debtAt(level, units, at, now, r), r);
        }
        return Math.min(a.limit(), usedIn((Quota) a, now));
    }

    /**
     * The cost counted in the window of {@code now}: a later window starts at 0; an earlier one (another instance's
     * clock a little behind) counts on in the stored one.
     */
    private long usedIn(Allowance q, long now) {
        if (now >= windowEnd && MeterMath.window((Quota) q, now) > window) {
            return 0;
        }
        return level;
    }
}
