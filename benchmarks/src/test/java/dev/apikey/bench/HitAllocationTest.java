package dev.apikey.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A cache hit allocates nothing: the verify path's steps, its parts and its counters cost no object per request.
 * Measured by the JVM's per-thread allocation counter, so it says nothing about speed.
 */
class HitAllocationTest {

    private static final int VERIFIES = 20_000;

    @Test
    void aGrantedHitWithAKeyAndATenantAllowanceAndAWrongSecretOnACachedKeyAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled())
                .as("this JVM counts allocation per thread").isTrue();
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(ScopeCatalog.builder().scope("events:read", "Read events").build())
                .build()) {
            // One allowance of the key's own and one its tenant shares, as VerifyBenchmark has: the in-process meter
            // spends from both on every grant.
            apiKeys.setTenantAllowances("92", java.util.List.of(dev.apikey.model.Quota.perMonth(1_000_000_000_000L)));
            String key = apiKeys.create(KeySpec.builder("hot").tenantId("92").scopes("events:read")
                    .rateLimit(dev.apikey.model.RateLimit.perSecond(1_000_000_000)).build()).plaintext();
            String body = key.substring(0, key.length() - KeyFormat.SECRET_LENGTH - KeyFormat.CHECKSUM_LENGTH)
                    + "w".repeat(KeyFormat.SECRET_LENGTH);
            String wrong = body + KeyFormat.checksum(body);
            String scope = "events:read";
            assertThat(apiKeys.verify(key, scope).isGranted()).isTrue();
            // Warm up: class loading, the per-thread scratch, the counters' cells.
            run(apiKeys, key, wrong, scope);

            long thread = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(thread);
            boolean allAnswered = run(apiKeys, key, wrong, scope);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;

            assertThat(allAnswered).isTrue();
            // Slack for the counter's own read and the meter's map, told of a use at most once a second; one object
            // per verify would be 640,000 bytes or more.
            assertThat(allocated).as("bytes allocated by %d verifies", 2 * VERIFIES).isLessThan(4_000);
        }
    }

    private static boolean run(ApiKeys apiKeys, String key, String wrong, String scope) {
        boolean ok = true;
        for (int i = 0; i < VERIFIES; i++) {
            ok &= apiKeys.verify(key, scope).isGranted();
            ok &= !apiKeys.verify(wrong, scope).isGranted();
        }
        return ok;
    }
}
