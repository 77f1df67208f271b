package dev.apikey.testkit.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.LocalMeter;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.Metered;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-process meter allocates nothing on a grant, measured in bytes by the JVM, not in time. */
class LocalMeterAllocationTest {

    private static final long T0 = Instant.parse("2026-01-31T10:00:00Z").toEpochMilli();

    @Test
    void aGrantAllocatesNothingOnAWarmedMeter() {
        LocalMeter meter = new LocalMeter();
        List<Metered> batch = List.of(
                Metered.key("Zx81aBq0", RateLimit.perSecond(1_000_000_000L)),
                Metered.key("Zx81aBq0", Quota.perDay(1_000_000_000_000L)),
                Metered.tenant("acme", Quota.perMonth(1_000_000_000_000L).named("plan")),
                Metered.tenant("acme", RateLimit.perMinute(1_000_000_000L).named("tenant-rpm")));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long granted = 0;
        for (int i = 0; i < 20_000; i++) {
            granted += meter.spend(batch, 1, T0 + i).granted() ? 1 : 0;
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 10_000; i++) {
            granted += meter.spend(batch, 1, T0 + 20_000 + i).granted() ? 1 : 0;
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(granted).isEqualTo(30_000);
        // Not a timing claim: bytes. One Spend, Instant or boxed long per grant would be 160,000 bytes or more; the
        // bound leaves room for the JIT's own rare allocations.
        assertThat(allocated).as("bytes allocated by 10,000 grants").isLessThan(16_000);
    }

    @Test
    void aGrantThroughAPreparedBatchAllocatesNothing() {
        LocalMeter meter = new LocalMeter();
        dev.apikey.spi.Meter.Prepared batch = meter.prepare(List.of(
                Metered.key("Zx81aBq1", RateLimit.perSecond(1_000_000_000L)),
                Metered.tenant("acme", Quota.perMonth(1_000_000_000_000L).named("plan"))));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long granted = 0;
        for (int i = 0; i < 20_000; i++) {
            granted += batch.spend(1, T0 + i).granted() ? 1 : 0;
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 10_000; i++) {
            granted += batch.spend(1, T0 + 20_000 + i).granted() ? 1 : 0;
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(granted).isEqualTo(30_000);
        assertThat(allocated).as("bytes allocated by 10,000 grants").isLessThan(16_000);
    }
}
