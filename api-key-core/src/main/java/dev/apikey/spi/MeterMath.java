package dev.apikey.spi;

import dev.apikey.model.Allowance;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The arithmetic every {@link Meter} shares, in exact long integers, and the checks of its arguments; public for
 * meters of your own.
 *
 * <p>A rate limit of {@code L} per {@code P} milliseconds is kept as a debt: the units taken and not yet refilled.
 * One token is worth {@link #tokenUnits} units and one millisecond refills {@link #millisUnits} units (both are
 * {@code P} and {@code L} divided by their greatest common divisor), so a full bucket owes nothing, an empty one owes
 * {@link #capacityUnits} ({@code L} tokens), and refilling all of it takes exactly {@code P}: no rounding at all.
 * A quota is kept as the cost counted in a window ({@link Quota#periodIndex}).
 *
 * <p>Thread-safe: stateless.
 */
public final class MeterMath {

    /** Most allowances in one batch. */
    public static final int MAX_BATCH = 16;
    /** Highest cost of one call. */
    public static final long MAX_COST = 1_000_000;
    /** Latest time a meter accepts: the end of the year 9999, UTC. */
    public static final long MAX_MILLIS = 253_402_300_799_999L;

    private MeterMath() {
    }

    /**
     * Checks the arguments of {@link Meter#spend}; allocates nothing.
     *
     * @param batch     the allowances
     * @param cost      the cost
     * @param nowMillis the time
     * @throws NullPointerException     if the batch or an element is null
     * @throws IllegalArgumentException if a value breaks its rule (size, cost, time, the same count twice), naming it
     */
    public static void checkSpend(List<Metered> batch, long cost, long nowMillis) {
        Objects.requireNonNull(batch, "batch");
        if (cost < 1 || cost > MAX_COST) {
            throw new IllegalArgumentException("cost must be 1 to " + MAX_COST + ", was " + cost);
        }
        checkTime(nowMillis);
        int n = batch.size();
        if (n > MAX_BATCH) {
            throw new IllegalArgumentException("batch must hold at most " + MAX_BATCH + " allowances, held " + n);
        }
        for (int i = 0; i < n; i++) {
            Metered m = Objects.requireNonNull(batch.get(i), "batch element");
            for (int j = 0; j < i; j++) {
                if (batch.get(j).sameCount(m)) {
                    throw new IllegalArgumentException("batch must not hold one count twice: allowance '"
                            + m.allowance().name() + "' of " + m.subject() + " is at " + j + " and " + i);
                }
            }
        }
    }

    /**
     * Checks a meter's time.
     *
     * @param nowMillis milliseconds since 1970, UTC
     * @return the time
     * @throws IllegalArgumentException unless 0 to {@link #MAX_MILLIS}
     */
    public static long checkTime(long nowMillis) {
        if (nowMillis < 0 || nowMillis > MAX_MILLIS) {
            throw new IllegalArgumentException("nowMillis must be 0 to " + MAX_MILLIS + " (1970 to 9999), was "
                    + nowMillis);
        }
        return nowMillis;
    }

    /**
     * What every backend does before it counts: checks the arguments ({@link #checkSpend}), grants an empty batch, and
     * refuses a cost above an allowance's limit (it never fits: {@link Spend#NEVER}).
     *
     * @param batch     the allowances
     * @param cost      the cost
     * @param nowMillis the verifier's time
     * @return the answer, or {@code null} when the backend must count
     * @throws NullPointerException     if the batch or an element is null
     * @throws IllegalArgumentException if a value breaks its rule, naming it
     */
    public static Spend precheck(List<Metered> batch, long cost, long nowMillis) {
        checkSpend(batch, cost, nowMillis);
        if (batch.isEmpty()) {
            return Spend.GRANTED;
        }
        int tooCostly = aboveLimit(batch, cost);
        return tooCostly >= 0 ? Spend.refused(tooCostly, Spend.NEVER) : null;
    }

    /**
     * {@return the index of the first allowance whose limit is below the cost (never granted), or -1}
     *
     * @param batch the allowances
     * @param cost  the cost
     */
    public static int aboveLimit(List<Metered> batch, long cost) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            if (cost > batch.get(i).allowance().limit()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@return the units one token of this rate limit is worth}
     *
     * @param r the rate limit
     */
    public static long tokenUnits(RateLimit r) {
        long p = r.period().toMillis();
        return p / gcd(p, r.requests());
    }

    /**
     * {@return the units one millisecond refills}
     *
     * @param r the rate limit
     */
    public static long millisUnits(RateLimit r) {
        return r.requests() / gcd(r.period().toMillis(), r.requests());
    }

    /**
     * {@return the debt of an empty bucket: the limit's tokens, in units}
     *
     * @param r the rate limit
     */
    public static long capacityUnits(RateLimit r) {
        return tokenUnits(r) * r.requests();
    }

    /**
     * {@return a stored debt brought to this limit and this time}: converted to its token units (when the limit
     * changed, keeping the tokens used), capped at its capacity, and refilled for the milliseconds since it was stored
     *
     * @param debt       the stored debt
     * @param debtUnits  the token units it was stored in ({@link #tokenUnits} of the limit then)
     * @param atMillis   when it was stored
     * @param nowMillis  now
     * @param r          the limit now
     */
    public static long debtAt(long debt, long debtUnits, long atMillis, long nowMillis, RateLimit r) {
        long units = tokenUnits(r);
        long d = debt;
        if (debtUnits != units && debtUnits > 0) {
            d = (long) Math.ceil((double) debt * units / debtUnits);
        }
        d = Math.min(d, capacityUnits(r));
        long elapsed = nowMillis - atMillis;
        if (elapsed > 0) {
            d = Math.max(0, d - Math.min(elapsed, r.period().toMillis()) * millisUnits(r));
        }
        return Math.max(0, d);
    }

    /**
     * {@return 0 if the bucket has room for the cost, else the milliseconds until it will; {@link Spend#NEVER} if the
     * cost is above the limit}
     *
     * @param debt the debt now ({@link #debtAt})
     * @param cost the cost
     * @param r    the limit
     */
    public static long rateWait(long debt, long cost, RateLimit r) {
        if (cost > r.requests()) {
            return Spend.NEVER;
        }
        long over = debt + cost * tokenUnits(r) - capacityUnits(r);
        return over <= 0 ? 0 : ceilDiv(over, millisUnits(r));
    }

    /**
     * {@return the tokens used: the limit less the whole tokens left}
     *
     * @param debt the debt now
     * @param r the limit
     */
    public static long rateUsed(long debt, RateLimit r) {
        return ceilDiv(debt, tokenUnits(r));
    }

    /**
     * {@return 0 if the quota has room for the cost, else the milliseconds until its window starts again;
     * {@link Spend#NEVER} if the cost is above the limit}
     *
     * @param used      the cost counted in the window
     * @param cost      the cost
     * @param q         the quota
     * @param nowMillis now
     */
    public static long quotaWait(long used, long cost, Quota q, long nowMillis) {
        if (cost > q.calls()) {
            return Spend.NEVER;
        }
        if (used + cost <= q.calls()) {
            return 0;
        }
        return Math.max(1, q.resetAt(Instant.ofEpochMilli(nowMillis)).toEpochMilli() - nowMillis);
    }

    /**
     * {@return the quota's window holding this time ({@link Quota#periodIndex})}
     *
     * @param q the quota
     * @param nowMillis now
     */
    public static long window(Quota q, long nowMillis) {
        return q.periodIndex(Instant.ofEpochMilli(nowMillis));
    }

    /**
     * {@return how long a backend keeps the count of an idle allowance, in milliseconds}: a rate limit's bucket is
     * full again after its period (kept at least 10 minutes, so that a clock passed in that runs slower than the
     * backend's own, as in tests, still finds it), a quota's count matters until its window ends (a day, or up to 31
     * days)
     *
     * @param a the allowance
     */
    public static long idleMillis(Allowance a) {
        if (a instanceof RateLimit r) {
            return Math.max(r.period().toMillis() + 1_000, 600_000);
        }
        return ((Quota) a).period() == Quota.Period.DAY ? 86_400_000L + 3_600_000L : 32 * 86_400_000L;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
