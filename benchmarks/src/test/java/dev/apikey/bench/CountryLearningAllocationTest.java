package dev.apikey.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.apikey.AnomalyPolicy;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.VerifyRequest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Learning countries for the new-country anomaly adds nothing to the hit: with anomaly detection on and every request
 * carrying a country source, verifies from networks the key already used in this flush interval ask no country and
 * allocate nothing. Measured by the JVM's per-thread allocation counter, so it says nothing about speed.
 */
class CountryLearningAllocationTest {

    private static final int VERIFIES = 20_000;

    @Test
    void hitsFromKnownNetworksAskNoCountryAndAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled())
                .as("this JVM counts allocation per thread").isTrue();
        AtomicInteger asked = new AtomicInteger();
        Supplier<String> germany = () -> {
            asked.incrementAndGet();
            return "DE";
        };
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("events:read", "Read events")
                        .scope("events:write", "Create events").build()).usageFlushInterval(Duration.ofMinutes(1))
                .anomalyDetection(AnomalyPolicy.defaults().withInterval(Duration.ofHours(1))).build()) {
            String key = apiKeys.create(KeySpec.builder("hot").tenantId("92").scopes("events:read")
                    .build()).plaintext();
            // A proven refusal too: a key without the scope asked for (the same scope on every request, so that the
            // thread's cached scope refusal is not rebuilt, which main does when the scope changes between verifies).
            String narrow = apiKeys.create(KeySpec.builder("narrow").tenantId("92").scopes("events:write").build())
                    .plaintext();
            VerifyRequest[] requests = {
                VerifyRequest.header(key).scope("events:read").remoteAddress("203.0.113.7").country(germany),
                VerifyRequest.header(key).scope("events:read").remoteAddress("2001:db8:1:2::7").country(germany),
                VerifyRequest.header(narrow).scope("events:read").remoteAddress("198.51.100.9").country(germany)};
            // Warm up: class loading, the per-thread scratch, the key's cells; each network asks once here.
            run(apiKeys, requests);
            int warmUpAsks = asked.get();

            long thread = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(thread);
            int granted = run(apiKeys, requests);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;

            assertThat(granted).isEqualTo(2 * VERIFIES);
            assertThat(warmUpAsks).as("one ask per new network").isBetween(1, 3);
            assertThat(asked).as("no ask from a network already used in this interval").hasValue(warmUpAsks);
            // One object per verify would be 960,000 bytes or more.
            assertThat(allocated).as("bytes allocated by %d verifies", 3 * VERIFIES).isLessThan(4_000);
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
