package dev.apikey.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds how many expensive hash computations run at once. A caller that cannot get a permit within the
 * wait is turned away (the verifier answers {@code overloaded}) instead of queueing without bound. Permits go
 * first come, first served: a caller never overtakes one already waiting.
 *
 * <p>Checks of keys that recently failed one (a key under a wrong-secret flood) are <em>suspect</em>: they may
 * hold at most half the permits (at least one), so a flood on a few key ids always leaves slots to keys nobody
 * is attacking, such as every key's first verify after a deploy.
 *
 * <p>Not API. Thread-safe.
 */
public final class Bulkhead {

    private final Semaphore permits;
    private final Semaphore suspectPermits;
    private final long waitNanos;
    private final LongAdder waits = new LongAdder();
    private final LongAdder refusals = new LongAdder();

    /**
     * @param permits computations allowed at once, at least 1
     * @param wait    longest wait for a permit
     */
    public Bulkhead(int permits, Duration wait) {
        this.permits = new Semaphore(permits, true);
        this.suspectPermits = new Semaphore(Math.max(1, permits / 2), true);
        this.waitNanos = wait.toNanos();
    }

    /**
     * Takes a permit, waiting at most the configured time in all; {@code false} if none came (or interrupted).
     *
     * @param suspect whether the check is of a key that recently failed one: it then also needs one of the
     *                suspect permits, half of all
     */
    public boolean tryEnter(boolean suspect) {
        long deadline = System.nanoTime() + waitNanos;
        boolean waited = false;
        if (suspect && !tryAcquire(suspectPermits, 0)) {
            waited = true;
            waits.increment();
            if (!tryAcquire(suspectPermits, waitNanos)) {
                refusals.increment();
                return false;
            }
        }
        if (!tryAcquire(permits, 0)) {
            if (!waited) {
                waits.increment();
            }
            if (!tryAcquire(permits, deadline - System.nanoTime())) {
                if (suspect) {
                    suspectPermits.release();
                }
                refusals.increment();
                return false;
            }
        }
        return true;
    }

    /** Tries for a permit; the timed form even for no wait, since the untimed one barges past waiting callers. */
    private static boolean tryAcquire(Semaphore semaphore, long nanos) {
        try {
            return semaphore.tryAcquire(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How many callers found no free permit at once and waited, since creation. */
    public long waits() {
        return waits.sum();
    }

    /** How many callers got no permit within the wait, since creation. */
    public long refusals() {
        return refusals.sum();
    }

    /**
     * Returns the permits taken by {@link #tryEnter(boolean)}.
     *
     * @param suspect what was passed to {@code tryEnter}
     */
    public void exit(boolean suspect) {
        permits.release();
        if (suspect) {
            suspectPermits.release();
        }
    }
}
