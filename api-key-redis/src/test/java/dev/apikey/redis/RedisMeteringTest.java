package dev.apikey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.InstanceLoad;
import io.lettuce.core.RedisURI;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Allowances counted through a real Redis ({@link RedisMeter}; embedded-redis starts the redis-server binary): three
 * instances with their own caches and connections give a key limited to 100 a minute about 100 grants and share a
 * tenant's plan of 50 calls exactly; Redis stopped mid-run fails open or closed as configured, no call hanging past
 * the timeout; counting resumes when Redis is back.
 */
class RedisMeteringTest {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.test.redis");
    private static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events").build();

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static ApiKeys instance(KeyStore store, RedisMeter meter, boolean failClosed) {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(SCOPES).hasher(Sha256Hasher.create())
                .meter(meter).meterFailClosed(failClosed).build();
    }

    @Test
    void threeInstancesShareOneLimit() throws Exception {
        int port = freePort();
        RedisServer redis = new RedisServer(port);
        redis.start();
        List<RedisMeter> limiters = new ArrayList<>();
        List<ApiKeys> instances = new ArrayList<>();
        try {
            InMemoryKeyStore store = new InMemoryKeyStore();
            for (int i = 0; i < 3; i++) {
                RedisMeter limiter = RedisMeter.builder(RedisURI.create("redis://127.0.0.1:" + port)).build();
                limiters.add(limiter);
                instances.add(instance(store, limiter, false));
            }
            IssuedKey key = instances.get(0).create(KeySpec.builder("limited").scopes("events:read")
                    .rateLimit(RateLimit.perMinute(100)).build());

            int granted = InstanceLoad.grants(instances, key.plaintext(), "events:read", Duration.ofSeconds(3));
            LOG.info("100/min over 3 s on 3 instances through Redis: {} grants", granted);

            // 100 at once, the refill during the run (5 in 3 s), one call in flight per thread when it ends.
            assertThat(granted).isBetween(100, 108);
        } finally {
            instances.forEach(ApiKeys::close);
            limiters.forEach(RedisMeter::close);
            redis.stop();
        }
    }

    @Test
    void threeInstancesShareATenantsPlanOf50AndAStoppedRedisFailsClosedAsConfigured() throws Exception {
        int port = freePort();
        RedisServer redis = new RedisServer(port);
        redis.start();
        RedisURI uri = RedisURI.create("redis://127.0.0.1:" + port);
        List<RedisMeter> counters = new ArrayList<>();
        List<ApiKeys> instances = new ArrayList<>();
        try {
            InMemoryKeyStore store = new InMemoryKeyStore();
            for (int i = 0; i < 3; i++) {
                RedisMeter counter = RedisMeter.builder(uri).build();
                counters.add(counter);
                instances.add(instance(store, counter, i == 2));
            }
            instances.get(0).setTenantAllowances("92", List.of(dev.apikey.model.Quota.perDay(50).named("plan")));
            IssuedKey key = instances.get(0).create(KeySpec.builder("metered").tenantId("92").scopes("events:read")
                    .build());
            IssuedKey other = instances.get(1).create(KeySpec.builder("other").tenantId("92").scopes("events:read")
                    .build());
            int granted = 0;
            int exceeded = 0;
            for (int i = 0; i < 90; i++) {
                Verification v = instances.get(i % 3).verify((i % 2 == 0 ? key : other).plaintext(), "events:read");
                if (v.isGranted()) {
                    granted++;
                } else if (v.failure().orElseThrow() == Failure.QUOTA_EXCEEDED) {
                    exceeded++;
                }
            }
            assertThat(granted).isEqualTo(50);
            assertThat(exceeded).isEqualTo(40);

            redis.stop();
            assertThat(instances.get(2).verify(key.plaintext(), "events:read").failure()).as("fail closed, a quota's code")
                    .contains(Failure.QUOTA_UNAVAILABLE);
            assertThat(instances.get(0).verify(key.plaintext(), "events:read").isGranted()).as("fail open").isTrue();
        } finally {
            instances.forEach(ApiKeys::close);
            counters.forEach(RedisMeter::close);
            redis.stop();
        }
    }

    @Test
    void redisStoppedFailsOpenOrClosedWithinTheTimeoutAndLimitsResumeWhenItIsBack() throws Exception {
        int port = freePort();
        RedisServer redis = new RedisServer(port);
        redis.start();
        RedisURI uri = RedisURI.create("redis://127.0.0.1:" + port);
        try (RedisMeter openLimiter = RedisMeter.builder(uri).timeout(Duration.ofMillis(100)).build();
                RedisMeter closedLimiter = RedisMeter.builder(uri).timeout(Duration.ofMillis(100)).build()) {
            InMemoryKeyStore store = new InMemoryKeyStore();
            try (ApiKeys open = instance(store, openLimiter, false); ApiKeys closed = instance(store, closedLimiter, true)) {
                IssuedKey key = open.create(KeySpec.builder("k").scopes("events:read")
                        .rateLimit(RateLimit.perMinute(4)).build());
                for (int i = 0; i < 4; i++) {
                    assertThat(open.verify(key.plaintext(), "events:read").isGranted()).isTrue();
                }
                assertThat(closed.verify(key.plaintext(), "events:read").failure()).as("shared: used up")
                        .contains(Failure.RATE_LIMITED);

                redis.stop();
                long slowest = 0;
                for (int i = 0; i < 20; i++) {
                    long start = System.nanoTime();
                    assertThat(open.verify(key.plaintext(), "events:read").isGranted()).as("fail open").isTrue();
                    Verification refused = closed.verify(key.plaintext(), "events:read");
                    assertThat(refused.failure()).as("fail closed").contains(Failure.RATE_LIMIT_UNAVAILABLE);
                    slowest = Math.max(slowest, System.nanoTime() - start);
                }
                LOG.info("slowest pair of checks with Redis down: {} ms", slowest / 1_000_000);
                // A check that hangs instead of failing at its timeout: bounded by the two checks' 100 ms timeouts with
                // a margin of ten for a busy machine; a hang would take the client's default (a minute).
                assertThat(slowest / 1_000_000).as("nothing hangs past the timeouts").isLessThan(10 * 2 * 100);
                assertThat(open.stats().rateLimiterFailures()).isEqualTo(20);

                redis = new RedisServer(port);
                redis.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                Verification again = closed.verify(key.plaintext(), "events:read");
                while (again.failure().filter(f -> f == Failure.RATE_LIMIT_UNAVAILABLE).isPresent()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    again = closed.verify(key.plaintext(), "events:read");
                }
                assertThat(again.failure()).as("back: the meter answers again").isNotEqualTo(
                        java.util.Optional.of(Failure.RATE_LIMIT_UNAVAILABLE));
                int granted = 0;
                for (int i = 0; i < 10; i++) {
                    granted += closed.verify(key.plaintext(), "events:read").isGranted() ? 1 : 0;
                }
                assertThat(granted).as("limits apply again (the restarted Redis is empty: a fresh bucket of 4)")
                        .isLessThanOrEqualTo(4);
            }
        } finally {
            redis.stop();
        }
        assertThatIllegalArgumentException().isThrownBy(() -> RedisMeter.builder(uri).timeout(Duration.ZERO))
                .withMessageStartingWith("timeout must be 5 ms to 10 s");
    }
}
