package dev.apikey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.Meter;
import dev.apikey.spi.Metered;
import dev.apikey.spi.Spend;
import java.time.Instant;
import java.util.List;
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
public abstract class MeterContract extends MeterSharingContract {

    /** Creates the contract. */
    protected MeterContract() {
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
        assertThat(spend(1, midnight - 5, daily).granted()).as("an instance whose clock is 5 ms behind").isTrue();
        assertThat(meter.used(daily, midnight)).as("counted in the new day, never moved back").isEqualTo(2);
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
    void aPreparedBatchAnswersAsSpendDoesAndCountsOnTheSameCounts() {
        Metered rate = key(RateLimit.perMinute(5));
        Metered quota = new Metered(subject("tenant"), Quota.perDay(100));
        Meter.Prepared prepared = meter.prepare(List.of(rate, quota));
        assertThat(prepared.spend(3, T0).granted()).isTrue();
        assertThat(spend(1, T0, rate, quota).granted()).as("a spend of the same batch").isTrue();
        assertThat(meter.used(rate, T0)).isEqualTo(4);

        Spend refused = prepared.spend(2, T0);
        assertThat(refused.granted()).isFalse();
        assertThat(refused.refusedIndex()).isZero();
        assertThat(refused.retryAfterMillis()).as("one more token: 60 s / 5").isEqualTo(12_000);
        assertThat(meter.used(quota, T0)).as("the refusal took nothing").isEqualTo(4);
        assertThat(prepared.spend(1, T0).granted()).isTrue();
        assertThat(spend(1, T0, rate, quota).granted()).as("5 of 5 used, through either").isFalse();
        assertThat(prepared.spend(5, T0 + 60_000).granted()).as("refilled").isTrue();
        assertThat(meter.used(quota, T0 + 60_000)).isEqualTo(10);

        Spend never = prepared.spend(6, T0 + 120_000);
        assertThat(never.refusedIndex()).as("a cost above the limit").isZero();
        assertThat(never.retryAfterMillis()).isEqualTo(Spend.NEVER);
        assertThatIllegalArgumentException().isThrownBy(() -> prepared.spend(0, T0)).withMessageContaining("cost");
        assertThatIllegalArgumentException().isThrownBy(() -> meter.prepare(List.of(rate, rate)))
                .withMessageContaining("twice");
    }

    @Test
    void aPreparedBatchOfOneTwoOrManyAnswersWithTheMostConstrainedIndexAsSpendDoes() {
        Metered tight = key(RateLimit.perMinute(2).named("tight"));
        Metered roomy = new Metered(subject("tenant"), Quota.perDay(1_000));
        Metered burst = key(RateLimit.perSecond(100).named("burst"));
        for (List<Metered> batch : List.of(List.of(tight), List.of(tight, roomy), List.of(roomy, tight),
                List.of(roomy, burst, tight))) {
            Meter.Prepared prepared = meter.prepare(batch);
            int index = batch.indexOf(tight);
            long now = T0 + 3_600_000L * (index + batch.size());
            assertThat(prepared.spend(2, now).granted()).as("%s: 2 of 2", batch).isTrue();
            Spend refused = prepared.spend(1, now);
            Spend byBatch = spend(1, now, batch.toArray(Metered[]::new));
            assertThat(refused.refusedIndex()).as("%s: the tight limit refuses", batch).isEqualTo(index);
            assertThat(refused.retryAfterMillis()).as("one token: 60 s / 2").isEqualTo(30_000);
            assertThat(byBatch.refusedIndex()).as("the same answer from spend").isEqualTo(index);
            assertThat(prepared.spend(3, now).retryAfterMillis()).as("above the limit").isEqualTo(Spend.NEVER);
            assertThat(prepared.spend(1, now + 30_000).granted()).as("%s: refilled", batch).isTrue();
        }
        assertThat(meter.used(roomy, T0 + 6 * 3_600_000L)).as("three grants in each of three batches; the refusals "
                + "took nothing").isEqualTo(9);
    }
}
