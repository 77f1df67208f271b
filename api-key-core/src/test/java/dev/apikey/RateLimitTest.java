package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Verification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final CountingKeyStore store = new CountingKeyStore();

    private ApiKeysBuilder builder() {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2())
                .clock(clock);
    }

    @Test
    void sixtyFourThreadsBurstingNeverExceedTheQuota() throws Exception {
        try (ApiKeys apiKeys = builder().build()) {
            String key = apiKeys.create(KeySpec.builder("bursty").tenantId("92").scopes("events:read")
                    .rateLimit(RateLimit.perMinute(50)).build()).plaintext();
            int threads = 64;
            int perThread = 20;
            AtomicInteger granted = new AtomicInteger();
            AtomicInteger limited = new AtomicInteger();
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            Verification v = apiKeys.verify(key, "events:read");
                            if (v.isGranted()) {
                                granted.incrementAndGet();
                            } else if (v.failure().orElseThrow() == Failure.RATE_LIMITED) {
                                limited.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(granted.get()).isEqualTo(50);
            assertThat(limited.get()).isEqualTo(threads * perThread - 50);

            clock.advance(Duration.ofMinutes(1));
            int again = 0;
            for (int i = 0; i < 100; i++) {
                again += apiKeys.verify(key, "events:read").isGranted() ? 1 : 0;
            }
            assertThat(again).isEqualTo(50);
        }
    }

    @Test
    void aLimitedRequestSaysHowLongToWait() {
        try (ApiKeys apiKeys = builder().build()) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").rateLimit(RateLimit.perMinute(60))
                    .build()).plaintext();
            for (int i = 0; i < 60; i++) {
                assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
            }

            Verification v = apiKeys.verify(key, null);

            assertThat(v.failure()).contains(Failure.RATE_LIMITED);
            assertThat(Failure.RATE_LIMITED.httpStatus()).isEqualTo(429);
            assertThat(v.retryAfter()).contains(Duration.ofSeconds(1));
            assertThat(v.rateLimit()).contains(RateLimit.perMinute(60));
            clock.advance(Duration.ofSeconds(1));
            assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
        }
    }

    @Test
    void aKeysOwnLimitBeatsItsTenantsWhichBeatsTheDefault() {
        try (ApiKeys apiKeys = builder().defaultRateLimit(RateLimit.perMinute(3)).defaultRateLimit("92", RateLimit.perMinute(5))
                .defaultRateLimit("null", RateLimit.perMinute(9)).build()) {
            String own = apiKeys.create(KeySpec.builder("own").tenantId("92").scopes("events:read")
                    .rateLimit(RateLimit.perMinute(7)).build()).plaintext();
            String tenant = apiKeys.create(KeySpec.builder("tenant").tenantId("92").scopes("events:read").build()).plaintext();
            String other = apiKeys.create(KeySpec.builder("other").tenantId("93").scopes("events:read").build()).plaintext();
            String none = apiKeys.create(KeySpec.builder("none").scopes("events:read").build()).plaintext();

            assertThat(grantsInABurst(apiKeys, own)).isEqualTo(7);
            assertThat(grantsInABurst(apiKeys, tenant)).isEqualTo(5);
            assertThat(grantsInABurst(apiKeys, other)).isEqualTo(3);
            assertThat(grantsInABurst(apiKeys, none)).isEqualTo(3);
        }
    }

    @Test
    void keysWithoutAnyLimitAreNotLimited() {
        try (ApiKeys apiKeys = builder().build()) {
            String key = apiKeys.create(KeySpec.builder("free").scopes("events:read").build()).plaintext();

            assertThat(grantsInABurst(apiKeys, key)).isEqualTo(100);
        }
    }

    @Test
    void aRefusedScopeDoesNotSpendTheAllowance() {
        try (ApiKeys apiKeys = builder().build()) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").rateLimit(RateLimit.perMinute(2))
                    .build()).plaintext();
            for (int i = 0; i < 10; i++) {
                assertThat(apiKeys.verify(key, "admin").failure()).contains(Failure.INSUFFICIENT_SCOPE);
            }

            assertThat(grantsInABurst(apiKeys, key)).isEqualTo(2);
        }
    }

    private static int grantsInABurst(ApiKeys apiKeys, String key) {
        int granted = 0;
        for (int i = 0; i < 100; i++) {
            granted += apiKeys.verify(key, "events:read").isGranted() ? 1 : 0;
        }
        return granted;
    }
}
