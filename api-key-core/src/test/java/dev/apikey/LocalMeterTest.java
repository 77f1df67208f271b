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
    void itsSizeIsCheckedAndTheGlobalOrderOfLocksKeepsCrossedBatchesExact() throws Exception {
        assertThatIllegalArgumentException().isThrownBy(() -> new LocalMeter(0)).withMessageContaining("maxSubjects");
        LocalMeter meter = new LocalMeter(10);
        Metered a = Metered.key("a", Quota.perDay(2_000));
        Metered b = Metered.tenant("b", Quota.perDay(2_000));
        Thread crossed = new Thread(() -> {
            for (int i = 0; i < 1_000; i++) {
                meter.spend(List.of(b, a), 1, T0);
            }
        });
        crossed.start();
        for (int i = 0; i < 1_000; i++) {
            meter.spend(List.of(a, b), 1, T0);
        }
        crossed.join(60_000);
        assertThat(crossed.isAlive()).as("no deadlock between batches locking in opposite orders").isFalse();
        assertThat(meter.used(a, T0)).isEqualTo(2_000);
        assertThat(meter.used(b, T0)).isEqualTo(2_000);
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
}
