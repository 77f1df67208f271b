package dev.apikey.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.InMemoryUsageStore;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Counting verifies costs no object per request (issue 27): grants from IPv4 and IPv6 addresses, refusals toward a
 * known key, and a flood of refusals naming no known key, all counted, none written before a flush, and then in one
 * batch. Measured by the JVM's per-thread allocation counter, so it says nothing about speed.
 */
class UsageAllocationTest {

    private static final int VERIFIES = 20_000;

    @Test
    void countedGrantsAndRefusalsAllocateNothingAndAFloodIsWrittenInOneBatchAtTheFlush() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled())
                .as("this JVM counts allocation per thread").isTrue();
        InMemoryUsageStore counts = new InMemoryUsageStore();
        AtomicInteger writes = new AtomicInteger();
        UsageStore store = new UsageStore() {
            @Override
            public void addUsage(List<UsageCount> batch) {
                writes.incrementAndGet();
                counts.addUsage(batch);
            }

            @Override
            public List<UsageCount> readUsage(UsageSubject s, UsageGrain g, Instant from, Instant to) {
                return counts.readUsage(s, g, from, to);
            }

            @Override
            public List<UsageTotal> topUsage(String t, UsageGrain g, Instant from, Instant to, UsageTotal.Rank r,
                    int limit) {
                return counts.topUsage(t, g, from, to, r, limit);
            }

            @Override
            public long purgeUsage(UsageGrain g, Instant before) {
                return counts.purgeUsage(g, before);
            }
        };
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).usageStore(store)
                .usageFlushInterval(Duration.ofMinutes(1))
                .scopes(ScopeCatalog.builder().scope("events:read", "Read events").build()).build()) {
            String key = apiKeys.create(KeySpec.builder("hot").tenantId("92").scopes("events:read").build())
                    .plaintext();
            String body = key.substring(0, key.length() - KeyFormat.SECRET_LENGTH - KeyFormat.CHECKSUM_LENGTH)
                    + "w".repeat(KeyFormat.SECRET_LENGTH);
            VerifyRequest[] requests = {
                VerifyRequest.header(key).scope("events:read").remoteAddress("203.0.113.7"),
                VerifyRequest.header(key).scope("events:read").remoteAddress("2001:db8:1:2::7"),
                VerifyRequest.header(body + KeyFormat.checksum(body)).scope("events:read").remoteAddress("203.0.113.8"),
                VerifyRequest.header("wlcro_92_" + "x".repeat(46)).remoteAddress("198.51.100.9")};
            // Warm up: class loading, the per-thread scratch, the counters' cells, the key's refusal counters.
            run(apiKeys, requests);

            long thread = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(thread);
            int granted = run(apiKeys, requests);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;

            assertThat(granted).isEqualTo(2 * VERIFIES);
            // One object per verify would be 1,280,000 bytes or more.
            assertThat(allocated).as("bytes allocated by %d counted verifies", 4 * VERIFIES).isLessThan(4_000);
            assertThat(writes.get()).as("nothing written before a flush").isZero();

            apiKeys.usage().flush();

            assertThat(writes.get()).as("one batch").isEqualTo(1);
            Instant now = Instant.now();
            long unknown = apiKeys.usage().series(UsageSubject.unknown(), now.minusSeconds(120), now.plusSeconds(60),
                    UsageGrain.HOUR).stream().mapToLong(p -> p.total()).sum();
            assertThat(unknown).as("every refusal naming no key, warm-up included").isEqualTo(2L * VERIFIES);
        }
    }

    private static int run(ApiKeys apiKeys, VerifyRequest[] requests) {
        int granted = 0;
        for (int i = 0; i < VERIFIES; i++) {
            for (VerifyRequest r : requests) {
                if (apiKeys.verify(r).isGranted()) {
                    granted++;
                }
            }
        }
        return granted;
    }
}
