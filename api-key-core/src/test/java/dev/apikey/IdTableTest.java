package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.internal.IdTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The verify cache's table: exact by id, bounded, evicting the least recently touched, safe under concurrency. */
class IdTableTest {

    static final class Item extends IdTable.Entry {
        final long touched;

        Item(long id, long touched) {
            super(id);
            this.touched = touched;
        }

        @Override
        protected long lastTouched() {
            return touched;
        }
    }

    @Test
    void putGetReplaceAndRemoveById() {
        List<Item> removed = new ArrayList<>();
        IdTable<Item> table = new IdTable<>(1000, removed::add);
        for (long id = 1; id <= 500; id++) {
            table.putIf(new Item(id * 7919, id), () -> true);
        }
        assertThat(table.size()).isEqualTo(500);
        assertThat(table.get(7919 * 10).touched).isEqualTo(10);
        assertThat(table.get(3)).isNull();

        Item replacement = new Item(7919 * 10, 999);
        table.putIf(replacement, () -> true);
        assertThat(table.get(7919 * 10)).isSameAs(replacement);
        assertThat(removed).hasSize(1);
        assertThat(table.putIf(new Item(7919 * 10, 5), () -> false)).isFalse();
        assertThat(table.get(7919 * 10)).isSameAs(replacement);

        assertThat(table.remove(7919 * 10)).isSameAs(replacement);
        assertThat(table.get(7919 * 10)).isNull();
        assertThat(table.size()).isEqualTo(499);
        for (long id = 1; id <= 500; id++) {
            table.remove(id * 7919);
        }
        assertThat(table.size()).isZero();
        table.putIf(new Item(42, 1), () -> true);
        assertThat(table.get(42)).isNotNull();
    }

    @Test
    void staysWithinItsBoundAndEvictsTheLeastRecentlyTouched() {
        AtomicLong evicted = new AtomicLong();
        AtomicLong evictedTouchSum = new AtomicLong();
        IdTable<Item> table = new IdTable<>(10_000, e -> {
            evicted.incrementAndGet();
            evictedTouchSum.addAndGet(e.touched);
        });
        for (long i = 0; i < 100_000; i++) {
            table.putIf(new Item(i * 104_729 + 1, i), () -> true);
            assertThat(table.size()).isLessThanOrEqualTo(10_000);
        }
        assertThat(table.size()).isEqualTo(10_000);
        assertThat(evicted.get()).isEqualTo(90_000);
        // Sampled LRU: the survivors are mostly the recent ones.
        long recentSurvivors = 0;
        for (long i = 80_000; i < 100_000; i++) {
            if (table.get(i * 104_729 + 1) != null) {
                recentSurvivors++;
            }
        }
        assertThat(recentSurvivors).isGreaterThan(8_000);
    }

    @Test
    void readersNeverSeeAWrongEntryWhileWritersChurn() throws Exception {
        IdTable<Item> table = new IdTable<>(4096, e -> { });
        for (long id = 0; id < 2048; id++) {
            table.putIf(new Item(id, id), () -> true);
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    long found = 0;
                    for (long n = 0; !stop.get(); n++) {
                        long id = n % 2048;
                        Item item = table.get(id);
                        if (item != null) {
                            assertThat(item.id()).isEqualTo(id);
                            found++;
                        }
                    }
                    return found;
                }));
            }
            Future<?> writer = pool.submit(() -> {
                for (int round = 0; round < 200; round++) {
                    for (long id = 1024; id < 2048; id++) {
                        table.remove(id);
                    }
                    for (long id = 1024; id < 2048; id++) {
                        table.putIf(new Item(id, round), () -> true);
                    }
                }
                return null;
            });
            writer.get(60, TimeUnit.SECONDS);
            stop.set(true);
            for (Future<Long> r : readers) {
                assertThat(r.get(10, TimeUnit.SECONDS)).isPositive();
            }
            for (long id = 0; id < 1024; id++) {
                assertThat(table.get(id)).as("never touched by the writer").isNotNull();
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }
}
