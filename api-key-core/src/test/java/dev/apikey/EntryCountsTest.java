package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.internal.NetworkBits;
import dev.apikey.model.Failure;
import dev.apikey.model.ModelAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The verify counts a cache entry keeps in itself: exact under contention, and a sketch that misses no network. */
class EntryCountsTest {

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    @Test
    void aKeyUsedFromTwoNetworksInTurnHasBothInItsSketch() {
        CachedKey entry = CachedKey.absent(1, Long.MAX_VALUE);
        long a = NetworkBits.network("203.0.113.7");
        long b = NetworkBits.network("2001:db8:1::9");
        long expected = NetworkBits.bit("203.0.113.7") | NetworkBits.bit("2001:db8:1::9");
        assertThat(NetworkBits.bit("203.0.113.7")).isNotEqualTo(NetworkBits.bit("2001:db8:1::9"));
        entry.countGrant(a);
        entry.countGrant(b);
        entry.countGrant(a);
        assertThat(entry.takeNetworks()).isEqualTo(expected);
        // Taken: the same network again must set its bit again, though the entry remembers it.
        entry.countGrant(a);
        assertThat(entry.takeNetworks()).isEqualTo(NetworkBits.bit("203.0.113.7"));
        entry.countGrant(-1);
        assertThat(entry.takeNetworks()).as("no address, no bit").isZero();
        assertThat(entry.takeGrants()).isEqualTo(5);
        assertThat(entry.takeGrants()).as("taken counts are reset").isZero();
    }

    @Test
    void refusalsAreCountedByFailureAndTakenOnce() {
        CachedKey entry = CachedKey.absent(1, Long.MAX_VALUE);
        assertThat(entry.refusalCells()).as("made on the first refusal only").isNull();
        int wrongSecret = MODEL.index(Failure.INVALID_API_KEY);
        entry.countRefusal(wrongSecret, Failure.INVALID_API_KEY, -1);
        entry.countRefusal(wrongSecret, Failure.INVALID_API_KEY, -1);
        assertThat(entry.refusalCells().takeRefusals(wrongSecret)).isEqualTo(2);
        assertThat(entry.refusalCells().takeRefusals(wrongSecret)).isZero();
        assertThat(entry.takeGrants()).isZero();
    }

    @Test
    void grantsCountedByManyThreadsWhileTakenAddUpExactly() throws Exception {
        CachedKey entry = CachedKey.absent(1, Long.MAX_VALUE);
        int threads = 4;
        int perThread = 200_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> counting = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long network = NetworkBits.network("10.0." + t + ".1");
                counting.add(pool.submit(() -> {
                    assertThat(start.await(30, TimeUnit.SECONDS)).isTrue();
                    for (int i = 0; i < perThread; i++) {
                        entry.countGrant(network);
                    }
                    return null;
                }));
            }
            start.countDown();
            long taken = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!counting.stream().allMatch(Future::isDone) && System.nanoTime() < deadline) {
                taken += entry.takeGrants();
            }
            for (Future<?> f : counting) {
                f.get(30, TimeUnit.SECONDS);
            }
            taken += entry.takeGrants();
            assertThat(taken).isEqualTo((long) threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }
}
