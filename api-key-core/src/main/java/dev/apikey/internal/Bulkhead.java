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
 * <p>Not API. Thread-safe.
 */
public final class Bulkhead {

    private final Semaphore permits;
    private final long waitNanos;
    private final LongAdder waits = new LongAdder();
    private final LongAdder refusals = new LongAdder();

    /**
     * @param permits computations allowed at once, at least 1
     * @param wait    longest wait for a permit
     */
    public Bulkhead(int permits, Duration wait) {
        this.permits = new Semaphore(permits, true);
        this.waitNanos = wait.toNanos();
    }

    /** Takes a permit, waiting at most the configured time; {@code false} if none came (or interrupted). */
    public boolean tryEnter() {
        // The timed form even for no wait: the untimed tryAcquire() barges past waiting callers.
        if (tryAcquire(0)) {
            return true;
        }
        waits.increment();
        boolean entered = tryAcquire(waitNanos);
        if (!entered) {
            refusals.increment();
        }
        return entered;
    }

    private boolean tryAcquire(long nanos) {
        try {
            return permits.tryAcquire(nanos, TimeUnit.NANOSECONDS);
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

    /** Returns a permit taken by {@link #tryEnter()}. */
    public void exit() {
        permits.release();
    }
}
