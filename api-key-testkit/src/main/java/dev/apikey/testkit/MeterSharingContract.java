package dev.apikey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.apikey.model.Allowance;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.Meter;
import dev.apikey.spi.MeterMath;
import dev.apikey.spi.Metered;
import dev.apikey.spi.Spend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The half of {@link MeterContract} that sets each case up, with the cases of instances sharing one backend and of
 * bad input. Extend {@link MeterContract}, which runs these cases and the others.
 */
public abstract class MeterSharingContract {

    /** A Saturday morning, 10:00 UTC: 14 hours before the day ends, 18 days before the month does. */
    protected static final long T0 = Instant.parse("2026-03-14T10:00:00Z").toEpochMilli();

    private static final AtomicInteger NEXT = new AtomicInteger();

    private final List<Meter> given = new ArrayList<>();
    /** The meter on a fresh backend, made before each case. */
    protected Meter meter;

    /** Creates the contract; a subclass's constructor prepares nothing that a case needs fresh. */
    protected MeterSharingContract() {
    }

    /**
     * A meter on a fresh, empty backend; called once before each case.
     *
     * @return the meter
     */
    protected abstract Meter newMeter();

    /**
     * Another instance on the backend of the last {@link #newMeter()}, as a second host would have: its own client,
     * connection or pool, sharing the counts. In process, the same meter.
     *
     * @return the other instance
     */
    protected abstract Meter anotherInstance();

    @BeforeEach
    final void freshMeter() {
        meter = newMeter();
        given.add(meter);
    }

    @AfterEach
    final void closeMeters() throws Exception {
        for (Meter m : given) {
            if (m instanceof AutoCloseable c) {
                c.close();
            }
        }
        given.clear();
    }

    /**
     * {@return a subject no other case uses, e.g. {@code key:c17}}
     *
     * @param kind {@code key} or {@code tenant}
     */
    protected static String subject(String kind) {
        return kind + ":c" + NEXT.incrementAndGet();
    }

    /**
     * {@return the allowance under a subject of its own}
     *
     * @param allowance the allowance
     */
    protected static Metered key(Allowance allowance) {
        return new Metered(subject("key"), allowance);
    }

    /**
     * {@return what {@link #meter} answers to a spend of this batch}
     *
     * @param cost  the cost
     * @param at    the time
     * @param batch the allowances
     */
    protected final Spend spend(long cost, long at, Metered... batch) {
        return meter.spend(List.of(batch), cost, at);
    }

    @Test
    void threeInstancesShareAKeyRateOf100AMinute() throws Exception {
        List<Meter> instances = instances();
        Metered rate = key(RateLimit.perMinute(100));
        int granted = hammer(instances, 8, 20, (m, thread, i) -> m.spend(List.of(rate), 1, T0).granted());
        // The clock does not move in this case, so the tolerance of a shared limit is none: exactly the limit.
        assertThat(granted).isEqualTo(100);
        assertThat(instances.get(2).used(rate, T0)).isEqualTo(100);
    }

    @Test
    void threeInstancesWithClocksApartShareAKeyRateWithinItsRefill() throws Exception {
        List<Meter> instances = instances();
        Metered rate = key(RateLimit.perMinute(100));
        // Each thread's clock moves 50 ms an attempt at its own pace, so the instances' clocks disagree by up to 2 s;
        // a later time seen once is kept, so a clock behind refills nothing twice.
        int granted = hammer(instances, 8, 40, (m, thread, i) -> m.spend(List.of(rate), 1, T0 + i * 50L).granted());
        // 100 at once and the refill of at most 1,950 ms (3.25 tokens at 100 a minute): what a shared limit may give.
        assertThat(granted).isBetween(100, 103);
    }

    @Test
    void threeInstancesShareATenantQuotaOf50AndRefusalsSpendNoKeyRate() throws Exception {
        List<Meter> instances = instances();
        Metered quota = new Metered(subject("tenant"), Quota.perDay(50));
        List<Metered> keyRates = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            keyRates.add(key(RateLimit.perMinute(100)));
        }
        int granted = hammer(instances, 8, 10, (m, thread, i) -> m.spend(List.of(keyRates.get(thread), quota),
                1, T0 + i).granted());
        assertThat(granted).isEqualTo(50);
        assertThat(instances.get(1).used(quota, T0 + 10)).isEqualTo(50);
        long spentFromKeys = 0;
        for (Metered k : keyRates) {
            spentFromKeys += instances.get(0).used(k, T0);
        }
        assertThat(spentFromKeys).as("only the granted calls spent from their key's rate").isEqualTo(50);
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndChangesNothing() {
        Metered rate = key(RateLimit.perMinute(10));
        assertThatIllegalArgumentException().isThrownBy(() -> spend(0, T0, rate)).withMessageContaining("cost");
        assertThatIllegalArgumentException().isThrownBy(() -> spend(MeterMath.MAX_COST + 1, T0, rate))
                .withMessageContaining("cost");
        assertThatIllegalArgumentException().isThrownBy(() -> spend(1, -1, rate)).withMessageContaining("nowMillis");
        assertThatIllegalArgumentException().isThrownBy(() -> spend(1, MeterMath.MAX_MILLIS + 1, rate))
                .withMessageContaining("nowMillis");
        assertThatIllegalArgumentException().isThrownBy(() -> spend(1, T0, rate, rate)).withMessageContaining("batch");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> meter.spend(Collections.nCopies(MeterMath.MAX_BATCH + 1, rate), 1, T0))
                .withMessageContaining("batch");
        assertThatNullPointerException().isThrownBy(() -> meter.spend(null, 1, T0)).withMessageContaining("batch");
        assertThatIllegalArgumentException().isThrownBy(() -> meter.used(rate, -5)).withMessageContaining("nowMillis");
        assertThatIllegalArgumentException().isThrownBy(() -> new Metered("key:a b", RateLimit.perSecond(1)))
                .withMessageContaining("subject");
        assertThatIllegalArgumentException().isThrownBy(() -> new Metered("k".repeat(101), RateLimit.perSecond(1)))
                .withMessageContaining("subject");
        assertThatNullPointerException().isThrownBy(() -> new Metered("key:a", null))
                .withMessageContaining("allowance");
        assertThat(meter.used(rate, T0)).isZero();
    }

    /** What one thread does on one attempt: true if granted. */
    @FunctionalInterface
    private interface Attempt {
        boolean run(Meter meter, int thread, int attempt);
    }

    /**
     * Runs {@code threads} threads on each instance, started together, each making {@code attempts} attempts, and
     * counts the grants; each thread has a number, 0 to instances × threads - 1.
     */
    private static int hammer(List<Meter> instances, int threads, int attempts, Attempt attempt) throws Exception {
        int all = instances.size() * threads;
        ExecutorService pool = Executors.newFixedThreadPool(all);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger granted = new AtomicInteger();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < all; t++) {
                Meter m = instances.get(t % instances.size());
                int thread = t;
                runs.add(pool.submit(() -> {
                    if (!start.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("not started within 60 s");
                    }
                    for (int i = 0; i < attempts; i++) {
                        if (attempt.run(m, thread, i)) {
                            granted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : runs) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return granted.get();
    }

    private List<Meter> instances() {
        List<Meter> all = new ArrayList<>();
        all.add(meter);
        for (int i = 0; i < 2; i++) {
            Meter other = anotherInstance();
            if (other != meter) {
                given.add(other);
            }
            all.add(other);
        }
        return all;
    }
}

