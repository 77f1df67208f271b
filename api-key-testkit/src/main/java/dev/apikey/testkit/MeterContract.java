package dev.apikey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.apikey.Allowance;
import dev.apikey.Quota;
import dev.apikey.RateLimit;
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
 * The contract of a {@link Meter}: token buckets and calendar windows, cost, all or none, the most constrained
 * allowance answering, subjects kept apart, instances sharing one backend, bad input refused. Extend it with your
 * meter; every case passes its times in, so none waits on a clock.
 *
 * <pre>{@code
 * class DynamoMeterContractTest extends MeterContract {
 *     private final DynamoDbClient dynamo = ...;   // a table of its own per test, or a fresh one
 *     private String table;
 *
 *     protected Meter newMeter() {
 *         table = "meter_" + UUID.randomUUID();
 *         return new DynamoMeter(dynamo, table, true);   // creates the table
 *     }
 *
 *     protected Meter anotherInstance() {
 *         return new DynamoMeter(dynamo, table, false);  // a second client on the same table
 *     }
 * }
 * }</pre>
 *
 * <p>After each case the contract closes the meters it was given that are {@link AutoCloseable}.
 */
public abstract class MeterContract {

    /** A Saturday morning, 10:00 UTC: 14 hours before the day ends, 18 days before the month does. */
    protected static final long T0 = Instant.parse("2026-03-14T10:00:00Z").toEpochMilli();

    private static final AtomicInteger NEXT = new AtomicInteger();

    private final List<Meter> given = new ArrayList<>();
    /** The meter on a fresh backend, made before each case. */
    protected Meter meter;

    /** Creates the contract; a subclass's constructor prepares nothing that a case needs fresh. */
    protected MeterContract() {
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

    private static Metered key(Allowance allowance) {
        return new Metered(subject("key"), allowance);
    }

    private Spend spend(long cost, long at, Metered... batch) {
        return meter.spend(List.of(batch), cost, at);
    }

    @Test
    void anEmptyBatchIsGrantedAndAFreshAllowanceHasUsedNothing() {
        assertThat(meter.spend(List.of(), 1, T0)).isEqualTo(Spend.GRANTED);
        assertThat(meter.used(key(RateLimit.perMinute(5)), T0)).isZero();
        assertThat(meter.used(key(Quota.perDay(5)), T0)).isZero();
    }

    @Test
    void aRateLimitGrantsItsLimitThenRefusesWithARetryAfter() {
        Metered rpm = key(RateLimit.perMinute(100));
        for (int i = 0; i < 100; i++) {
            assertThat(spend(1, T0, rpm).granted()).as("call %d", i + 1).isTrue();
        }
        Spend refused = spend(1, T0, rpm);
        assertThat(refused.granted()).isFalse();
        assertThat(refused.refusedIndex()).isZero();
        assertThat(refused.retryAfterMillis()).as("one token refills in 60 s / 100").isEqualTo(600);
        assertThat(meter.used(rpm, T0)).isEqualTo(100);
    }

    @Test
    void aRateLimitRefillsSmoothlyWithTime() {
        Metered rpm = key(RateLimit.perMinute(100));
        for (int i = 0; i < 100; i++) {
            assertThat(spend(1, T0, rpm).granted()).isTrue();
        }
        assertThat(spend(1, T0 + 599, rpm).retryAfterMillis()).isEqualTo(1);
        assertThat(spend(1, T0 + 600, rpm).granted()).as("one token back after 600 ms").isTrue();
        assertThat(spend(1, T0 + 600, rpm).granted()).isFalse();
        assertThat(meter.used(rpm, T0 + 30_600)).as("half the bucket back after 30 s more").isEqualTo(50);
        assertThat(meter.used(rpm, T0 + 3_600_000)).as("full again, never above").isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(spend(1, T0 + 3_600_000, rpm).granted()).isTrue();
        }
        assertThat(spend(1, T0 + 3_600_000, rpm).granted()).as("a long pause refills to the limit only").isFalse();
    }

    @Test
    void aQuotaCountsPerUtcDayAndStartsAgainTheNextDay() {
        Metered daily = key(Quota.perDay(3));
        long midnight = Instant.parse("2026-03-15T00:00:00Z").toEpochMilli();
        assertThat(spend(1, Instant.parse("2026-03-14T00:00:00Z").toEpochMilli(), daily).granted()).isTrue();
        assertThat(spend(1, T0, daily).granted()).isTrue();
        assertThat(spend(1, midnight - 1, daily).granted()).isTrue();
        Spend refused = spend(1, midnight - 1, daily);
        assertThat(refused.refusedIndex()).isZero();
        assertThat(refused.retryAfterMillis()).as("until midnight UTC").isEqualTo(1);
        assertThat(spend(1, T0, daily).retryAfterMillis()).isEqualTo(midnight - T0);
        assertThat(meter.used(daily, midnight - 1)).isEqualTo(3);

        assertThat(meter.used(daily, midnight)).isZero();
        assertThat(spend(1, midnight, daily).granted()).as("a new day").isTrue();
        assertThat(meter.used(daily, midnight)).isEqualTo(1);
    }

    @Test
    void aQuotaCountsPerUtcMonthAndStartsAgainTheNextMonth() {
        Metered monthly = key(Quota.perMonth(2));
        long feb = Instant.parse("2026-02-01T00:00:00Z").toEpochMilli();
        long march = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        assertThat(spend(1, feb, monthly).granted()).isTrue();
        assertThat(spend(1, march - 3_600_000, monthly).granted()).as("the same month, four weeks on").isTrue();
        Spend refused = spend(1, march - 3_600_000, monthly);
        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryAfterMillis()).isEqualTo(3_600_000);
        assertThat(spend(1, march, monthly).granted()).as("a new month").isTrue();
        assertThat(meter.used(monthly, march)).isEqualTo(1);
    }

    @Test
    void aCostOfNSpendsN() {
        Metered rate = key(RateLimit.perMinute(10));
        assertThat(spend(4, T0, rate).granted()).isTrue();
        assertThat(spend(4, T0, rate).granted()).isTrue();
        assertThat(meter.used(rate, T0)).isEqualTo(8);
        Spend refused = spend(4, T0, rate);
        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryAfterMillis()).as("two more tokens, 6 s each").isEqualTo(12_000);
        assertThat(spend(2, T0, rate).granted()).isTrue();

        Metered quota = key(Quota.perDay(10));
        assertThat(spend(7, T0, quota).granted()).isTrue();
        assertThat(spend(4, T0, quota).granted()).isFalse();
        assertThat(spend(3, T0, quota).granted()).isTrue();
        assertThat(meter.used(quota, T0)).isEqualTo(10);
    }

    @Test
    void aCostAboveTheLimitIsNeverGrantedAndSpendsNothing() {
        Metered rate = key(RateLimit.perSecond(5));
        Metered quota = key(Quota.perDay(100));
        Spend refused = spend(6, T0, quota, rate);
        assertThat(refused.refusedIndex()).isEqualTo(1);
        assertThat(refused.retryAfterMillis()).isEqualTo(Spend.NEVER);
        assertThat(spend(101, T0, quota).retryAfterMillis()).isEqualTo(Spend.NEVER);
        assertThat(meter.used(rate, T0)).isZero();
        assertThat(meter.used(quota, T0)).isZero();
    }

    @Test
    void aRefusedSpendConsumesFromNone() {
        Metered rate = key(RateLimit.perMinute(10));
        Metered quota = new Metered(subject("tenant"), Quota.perDay(5));
        for (int i = 0; i < 5; i++) {
            assertThat(spend(1, T0, rate, quota).granted()).isTrue();
        }
        Spend byQuota = spend(1, T0, rate, quota);
        assertThat(byQuota.refusedIndex()).isEqualTo(1);
        assertThat(meter.used(rate, T0)).as("the rate limit had room; the refusal took nothing from it").isEqualTo(5);

        Metered small = key(RateLimit.perMinute(3));
        Metered big = key(Quota.perDay(100));
        assertThat(spend(2, T0, big, small).granted()).isTrue();
        Spend byRate = spend(2, T0, big, small);
        assertThat(byRate.refusedIndex()).isEqualTo(1);
        assertThat(meter.used(big, T0)).as("the quota had room; the refusal took nothing from it").isEqualTo(2);
        assertThat(meter.used(small, T0)).isEqualTo(2);
    }

    @Test
    void theMostConstrainedAllowanceAnswersWithItsIndex() {
        String s = subject("key");
        Metered burst = new Metered(s, RateLimit.perSecond(1).named("burst"));
        Metered hourly = new Metered(s, RateLimit.perHour(1).named("hourly"));
        Metered daily = new Metered(s, Quota.perDay(1));
        Metered roomy = new Metered(s, RateLimit.perMinute(1_000).named("roomy"));
        assertThat(spend(1, T0, roomy, burst, hourly, daily).granted()).isTrue();

        Spend refused = spend(1, T0, roomy, burst, hourly, daily);
        assertThat(refused.refusedIndex()).as("the daily quota: room again at midnight, in 14 h").isEqualTo(3);
        assertThat(refused.retryAfterMillis()).isEqualTo(14 * 3_600_000L);
        Spend without = spend(1, T0, burst, roomy, hourly);
        assertThat(without.refusedIndex()).as("then the hourly limit").isEqualTo(2);
        assertThat(without.retryAfterMillis()).isEqualTo(3_600_000);
        Spend only = spend(1, T0 + 2_000, roomy, burst, hourly);
        assertThat(only.refusedIndex()).as("the burst has room again, the hourly limit not").isEqualTo(2);
        assertThat(spend(1, T0 + 2_000, burst, roomy).granted()).isTrue();
        assertThat(meter.used(hourly, T0 + 2_000)).as("the refusals took nothing from it").isEqualTo(1);
    }

    @Test
    void subjectsKindsAndNamesCountApart() {
        String k = subject("key");
        String t = "tenant:" + k.substring("key:".length());
        Metered keyRate = new Metered(k, RateLimit.perMinute(2));
        assertThat(spend(2, T0, keyRate).granted()).isTrue();
        assertThat(spend(1, T0, keyRate).granted()).isFalse();

        assertThat(spend(2, T0, new Metered(t, RateLimit.perMinute(2))).granted()).as("the tenant's own").isTrue();
        assertThat(spend(2, T0, new Metered(subject("key"), RateLimit.perMinute(2))).granted()).as("another key")
                .isTrue();
        assertThat(spend(2, T0, new Metered(k, RateLimit.perMinute(2).named("other"))).granted()).as("another name")
                .isTrue();
        assertThat(spend(2, T0, new Metered(k, Quota.perDay(2).named("per-minute"))).granted())
                .as("a quota of the same name").isTrue();
        assertThat(spend(2, T0, new Metered(k, Quota.perMonth(2).named("per-minute"))).granted())
                .as("a monthly quota of the same name").isTrue();
        assertThat(meter.used(keyRate, T0)).isEqualTo(2);
    }

    @Test
    void aChangedLimitUnderTheSameNameCountsOnAndTakesEffectAtOnce() {
        String s = subject("key");
        assertThat(spend(6, T0, new Metered(s, RateLimit.perMinute(10).named("rpm"))).granted()).isTrue();
        Metered lower = new Metered(s, RateLimit.perMinute(5).named("rpm"));
        assertThat(spend(1, T0, lower).granted()).as("6 used of a limit now 5").isFalse();
        assertThat(meter.used(lower, T0)).isEqualTo(5);
        Metered higher = new Metered(s, RateLimit.perMinute(20).named("rpm"));
        assertThat(meter.used(higher, T0)).as("the refusal changed nothing").isEqualTo(6);
        assertThat(spend(14, T0, higher).granted()).isTrue();
        assertThat(spend(1, T0, higher).granted()).isFalse();

        assertThat(spend(6, T0, new Metered(s, Quota.perDay(10)))).isEqualTo(Spend.GRANTED);
        assertThat(spend(1, T0, new Metered(s, Quota.perDay(6))).granted()).isFalse();
        assertThat(spend(4, T0, new Metered(s, Quota.perDay(10))).granted()).isTrue();
        assertThat(meter.used(new Metered(s, Quota.perDay(50)), T0)).isEqualTo(10);
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
        assertThatNullPointerException().isThrownBy(() -> new Metered("key:a", null)).withMessageContaining("allowance");
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
