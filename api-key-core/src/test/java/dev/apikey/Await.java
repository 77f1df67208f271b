package dev.apikey;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a deadline: a test that waits fails instead of hanging. */
final class Await {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    private Await() {
    }

    /** Spins (yielding) until the condition holds; fails naming {@code what} after 10 s. */
    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
