package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.Quota;
import dev.apikey.spi.Metered;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the meter contract (api-key-testkit, run from examples/testkit-user) does not cover of the in-process meter:
 * its setting's rule, and batches that name the same counts in opposite orders (examples/testkit-user's
 * LocalMeterAllocationTest shows that a grant allocates nothing: this module's tests cannot read jdk.management).
 */
class LocalMeterTest {

    private static final long T0 = Instant.parse("2026-01-31T10:00:00Z").toEpochMilli();

    @Test
    void itsSizeIsCheckedAndTheGlobalOrderOfMonitorsKeepsCrossedBatchesExactPreparedOrNot() throws Exception {
        assertThatIllegalArgumentException().isThrownBy(() -> new LocalMeter(0)).withMessageContaining("maxSubjects");
        LocalMeter meter = new LocalMeter(10);
        Metered a = Metered.key("a", Quota.perDay(3_000));
        Metered b = Metered.tenant("b", Quota.perDay(3_000));
        Thread crossed = new Thread(() -> {
            for (int i = 0; i < 1_000; i++) {
                meter.spend(List.of(b, a), 1, T0);
            }
        });
        dev.apikey.spi.Meter.Prepared held = meter.prepare(List.of(b, a));
        Thread prepared = new Thread(() -> {
            for (int i = 0; i < 1_000; i++) {
                held.spend(1, T0);
            }
        });
        crossed.start();
        prepared.start();
        for (int i = 0; i < 1_000; i++) {
            meter.spend(List.of(a, b), 1, T0);
        }
        crossed.join(60_000);
        prepared.join(60_000);
        assertThat(crossed.isAlive() || prepared.isAlive()).as("no deadlock between batches locking in opposite orders")
                .isFalse();
        assertThat(meter.used(a, T0)).isEqualTo(3_000);
        assertThat(meter.used(b, T0)).isEqualTo(3_000);
        assertThat(meter.spend(List.of(a), 1, T0).refusedIndex()).isZero();
    }

    @Test
    void aSubjectThatLeavesTheMeterIsCountedAfreshNotOnItsOldCount() {
        // One subject at most: each spend of the other subject drops this one, whose resolved counts die.
        LocalMeter meter = new LocalMeter(1);
        java.util.List<dev.apikey.spi.Metered> a = java.util.List.of(dev.apikey.spi.Metered.key("AAAAAAAA",
                Quota.perDay(3)));
        java.util.List<dev.apikey.spi.Metered> b = java.util.List.of(dev.apikey.spi.Metered.key("BBBBBBBB",
                Quota.perDay(3)));
        for (int i = 0; i < 3; i++) {
            assertThat(meter.spend(a, 1, T0).granted()).isTrue();
        }
        assertThat(meter.spend(a, 1, T0).granted()).as("a's 3 used").isFalse();
        assertThat(meter.spend(b, 1, T0).granted()).isTrue();
        // Caffeine drops a least-used subject when it cleans up: at the latest after a few more writes.
        for (int i = 0; i < 100 && meter.used(a.get(0), T0) != 0; i++) {
            meter.spend(java.util.List.of(dev.apikey.spi.Metered.key("C" + (1000000 + i), Quota.perDay(3))), 1, T0);
        }
        assertThat(meter.used(a.get(0), T0)).as("a left the meter").isZero();
        assertThat(meter.spend(a, 1, T0).granted()).as("counted afresh, not on the dead count").isTrue();
        assertThat(meter.used(a.get(0), T0)).isEqualTo(1);
    }

    @Test
    void aPreparedBatchWhoseSubjectLeftTheMeterFindsNewCounts() {
        LocalMeter meter = new LocalMeter(1);
        dev.apikey.spi.Metered a = dev.apikey.spi.Metered.key("AAAAAAAA", Quota.perDay(3));
        dev.apikey.spi.Meter.Prepared prepared = meter.prepare(java.util.List.of(a));
        for (int i = 0; i < 3; i++) {
            assertThat(prepared.spend(1, T0).granted()).isTrue();
        }
        assertThat(prepared.spend(1, T0).granted()).as("a's 3 used").isFalse();
        for (int i = 0; i < 100 && meter.used(a, T0) != 0; i++) {
            meter.spend(java.util.List.of(dev.apikey.spi.Metered.key("C" + (1000000 + i), Quota.perDay(3))), 1, T0);
        }
        assertThat(meter.used(a, T0)).as("a left the meter").isZero();
        assertThat(prepared.spend(1, T0).granted()).as("counted afresh, not on the dead count it held").isTrue();
        assertThat(meter.used(a, T0)).as("on the count the meter now holds").isEqualTo(1);
        assertThat(meter.spend(java.util.List.of(a), 2, T0).granted()).isTrue();
        assertThat(prepared.spend(1, T0).granted()).as("3 used, through either").isFalse();
    }

    @Test
    void aUseToldOfLateStillKeepsTheCountItsWholePeriodAfterTheLastUse() {
        // Counts tell the subjects' cache of a use at most once a minute; the subject's idle time has that to spare.
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        LocalMeter meter = new LocalMeter(10, nanos::get);
        dev.apikey.spi.Metered a = dev.apikey.spi.Metered.key("AAAAAAAA",
                dev.apikey.model.RateLimit.perHour(3600));
        dev.apikey.spi.Meter.Prepared prepared = meter.prepare(List.of(a));
        assertThat(prepared.spend(3000, T0).granted()).isTrue();
        // 59 s later (not yet told: under a minute since the last telling) the bucket is emptied: 2,941 + 659.
        long later = 59_000;
        nanos.set(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(later));
        assertThat(prepared.spend(659, T0 + later).granted()).isTrue();
        assertThat(prepared.spend(1, T0 + later).granted()).as("empty (used() would read the cache: a telling)")
                .isFalse();
        // An hour and a second after the telling, but not yet an hour after the last use: 39 tokens still missing.
        long afterPeriod = 3_620_000;
        nanos.set(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(afterPeriod));
        assertThat(meter.used(a, T0 + afterPeriod)).as("the count is still held").isEqualTo(39);
        assertThat(prepared.spend(3600, T0 + afterPeriod).granted()).isFalse();
        // Past the period after the last use, with its margin, the subject leaves: it would be full again by then.
        long gone = later + 3_600_000 + 1_000 + LocalMeter.TOUCH_MILLIS + 1;
        nanos.set(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(gone));
        meter.spend(List.of(dev.apikey.spi.Metered.key("BBBBBBBB", Quota.perDay(3))), 1, T0 + gone);
        assertThat(meter.used(a, T0 + gone)).isZero();
        assertThat(prepared.spend(3600, T0 + gone).granted()).as("a full bucket").isTrue();
    }
}
