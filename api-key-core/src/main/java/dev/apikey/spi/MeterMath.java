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

    /**
     * Most allowances in one batch: a key's own ({@link dev.apikey.model.KeySpec#MAX_ALLOWANCES}), the default rate
     * limit of a key without one, and its tenant's (as many again). A key the model allows always fits: a batch over
     * this would fail every spend of the key, and fail open or closed as a meter failure does.
     */
    public static final int MAX_BATCH = 2 * dev.apikey.model.KeySpec.MAX_ALLOWANCES + 1;
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
        checkCost(cost);
        checkTime(nowMillis);
        checkShape(batch);
    }

    /**
     * Checks a batch for {@link Meter#prepare}: at most {@link #MAX_BATCH} allowances, none null, no count twice.
     *
     * @param batch the allowances
     * @return an unmodifiable copy
     * @throws NullPointerException     if the batch or an element is null
     * @throws IllegalArgumentException if it breaks its rule, naming it
     */
    public static List<Metered> checkBatch(List<Metered> batch) {
        Objects.requireNonNull(batch, "batch");
        checkShape(batch);
        return List.copyOf(batch);
    }

    /**
     * What every backend does before it counts a batch that {@link #checkBatch} checked: checks the cost and the time,
     * grants an empty batch, and refuses a cost above an allowance's limit.
     *
     * @param checked   the allowances, as {@link #checkBatch} returned them
     * @param cost      the cost
     * @param nowMillis the verifier's time
     * @return the answer, or {@code null} when the backend must count
     * @throws IllegalArgumentException if a value breaks its rule, naming it
     */
    public static Spend precheckChecked(List<Metered> checked, long cost, long nowMillis) {
        checkCost(cost);
        checkTime(nowMillis);
        if (checked.isEmpty()) {
            return Spend.GRANTED;
        }
        int tooCostly = aboveLimit(checked, cost);
        return tooCostly >= 0 ? Spend.refused(tooCostly, Spend.NEVER) : null;
    }

    private static void checkCost(long cost) {
        if (cost < 1 || cost > MAX_COST) {
            throw new IllegalArgumentException("cost must be 1 to " + MAX_COST + ", was " + cost);
        }
    }

    private static void checkShape(List<Metered> batch) {
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
        return Rate.of(r).tokenUnits();
    }

    /**
     * {@return the units one millisecond refills}
     *
     * @param r the rate limit
     */
    public static long millisUnits(RateLimit r) {
        return Rate.of(r).millisUnits();
    }

    /**
     * {@return the debt of an empty bucket: the limit's tokens, in units}
     *
     * @param r the rate limit
     */
    public static long capacityUnits(RateLimit r) {
        return Rate.of(r).capacityUnits();
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
        return Rate.of(r).debtAt(debt, debtUnits, atMillis, nowMillis);
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
        return Rate.of(r).waitFor(debt, cost);
    }

    /**
     * {@link #debtAt(long, long, long, long, RateLimit)} with the limit's numbers worked out already (a backend that
     * keeps them beside its count reads no other object): a stored debt converted to these token units, capped at the
     * capacity ({@code tokenUnits * requests}) and refilled for the milliseconds since it was stored.
     *
     * @param debt         the stored debt
     * @param debtUnits    the token units it was stored in
     * @param atMillis     when it was stored
     * @param nowMillis    now
     * @param tokenUnits   {@link #tokenUnits} of the limit
     * @param millisUnits  {@link #millisUnits} of the limit
     * @param requests     the limit's requests per period
     * @param periodMillis the limit's period in milliseconds
     * @return the debt now
     */
    public static long debtAt(long debt, long debtUnits, long atMillis, long nowMillis, long tokenUnits,
            long millisUnits, long requests, long periodMillis) {
        long d = debt;
        if (debtUnits != tokenUnits && debtUnits > 0) {
            d = (long) Math.ceil((double) debt * tokenUnits / debtUnits);
        }
        d = Math.min(d, tokenUnits * requests);
        long elapsed = nowMillis - atMillis;
        if (elapsed > 0) {
            d = Math.max(0, d - Math.min(elapsed, periodMillis) * millisUnits);
        }
        return Math.max(0, d);
    }

    /**
     * {@link #rateWait(long, long, RateLimit)} with the limit's numbers worked out already.
     *
     * @param debt        the debt now
     * @param cost        the cost
     * @param tokenUnits  {@link #tokenUnits} of the limit
     * @param millisUnits {@link #millisUnits} of the limit
     * @param requests    the limit's requests per period
     * @return 0 if the bucket has room for the cost, else the milliseconds until it will; {@link Spend#NEVER} if the
     *         cost is above the limit
     */
    public static long rateWait(long debt, long cost, long tokenUnits, long millisUnits, long requests) {
        if (cost > requests) {
            return Spend.NEVER;
        }
        long over = debt + cost * tokenUnits - tokenUnits * requests;
        return over <= 0 ? 0 : ceilDiv(over, millisUnits);
    }

    /**
     * {@return the tokens used: the limit less the whole tokens left}
     *
     * @param debt the debt now
     * @param r the limit
     */
    public static long rateUsed(long debt, RateLimit r) {
        return Rate.of(r).used(debt);
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
        return quotaWait(used, cost, q, nowMillis, q.resetAt(Instant.ofEpochMilli(nowMillis)).toEpochMilli());
    }

    /**
     * {@link #quotaWait(long, long, Quota, long)} with the window's reset already known (a backend that keeps it need
     * not work it out again on each refusal).
     *
     * @param used        the cost counted in the window
     * @param cost        the cost
     * @param q           the quota
     * @param nowMillis   now
     * @param resetMillis {@code q.resetAt(now)}, in milliseconds
     * @return 0 if the quota has room for the cost, else the milliseconds until its window starts again;
     *         {@link Spend#NEVER} if the cost is above the limit
     */
    public static long quotaWait(long used, long cost, Quota q, long nowMillis, long resetMillis) {
        if (cost > q.calls()) {
            return Spend.NEVER;
        }
        if (used + cost <= q.calls()) {
            return 0;
        }
        return Math.max(1, resetMillis - nowMillis);
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

    /**
     * A rate limit's token arithmetic with its units worked out once: the static methods of {@link MeterMath} work
     * them out on each call, which costs a few divisions; a backend that meets the same limit again and again (the
     * in-process meter) keeps one of these per count. Immutable.
     */
    public static final class Rate {
        private final RateLimit limit;
        private final long requests;
        private final long periodMillis;
        private final long tokenUnits;
        private final long millisUnits;

        private Rate(RateLimit limit) {
            this.limit = limit;
            this.requests = limit.requests();
            this.periodMillis = limit.period().toMillis();
            long g = gcd(periodMillis, requests);
            this.tokenUnits = periodMillis / g;
            this.millisUnits = requests / g;
        }

        /**
         * {@return the arithmetic of this rate limit}
         *
         * @param limit the rate limit
         */
        public static Rate of(RateLimit limit) {
            return new Rate(Objects.requireNonNull(limit, "limit"));
        }

        /** {@return the rate limit} */
        public RateLimit limit() {
            return limit;
        }

        /** {@return the units one token is worth} */
        public long tokenUnits() {
            return tokenUnits;
        }

        /** {@return the units one millisecond refills} */
        public long millisUnits() {
            return millisUnits;
        }

        /** {@return the limit's requests per period} */
        public long requests() {
            return requests;
        }

        /** {@return the limit's period in milliseconds} */
        public long periodMillis() {
            return periodMillis;
        }

        /** {@return the debt of an empty bucket: the limit's tokens, in units} */
        public long capacityUnits() {
            return tokenUnits * requests;
        }

        /**
         * {@return a stored debt brought to this limit and this time}, as {@link MeterMath#debtAt}
         *
         * @param debt      the stored debt
         * @param debtUnits the token units it was stored in
         * @param atMillis  when it was stored
         * @param nowMillis now
         */
        public long debtAt(long debt, long debtUnits, long atMillis, long nowMillis) {
            return MeterMath.debtAt(debt, debtUnits, atMillis, nowMillis, tokenUnits, millisUnits, requests,
                    periodMillis);
        }

        /**
         * {@return 0 if the bucket has room for the cost, else the milliseconds until it will}, as
         * {@link MeterMath#rateWait}
         *
         * @param debt the debt now
         * @param cost the cost
         */
        public long waitFor(long debt, long cost) {
            return rateWait(debt, cost, tokenUnits, millisUnits, requests);
        }

        /**
         * {@return the tokens used}, as {@link MeterMath#rateUsed}
         *
         * @param debt the debt now
         */
        public long used(long debt) {
            return ceilDiv(debt, tokenUnits);
        }
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
