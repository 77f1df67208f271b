package dev.apikey.testkit.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.apikey.model.RateLimit;
import dev.apikey.redis.RedisMeter;
import dev.apikey.spi.Meter;
import dev.apikey.spi.MeterException;
import dev.apikey.spi.Metered;
import dev.apikey.testkit.MeterContract;
import io.lettuce.core.RedisURI;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * The meter contract on a real Redis (embedded-redis starts the redis-server binary on a free loopback port): each
 * case under a key prefix of its own, each instance with a connection of its own. Plus Redis stopped under a meter:
 * spends throw within the timeout, none hangs, and they count again once Redis is back.
 */
class RedisMeterContractTest extends MeterContract {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static RedisServer redis;
    private static RedisURI uri;

    private String prefix;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static RedisServer redisOn(int port) throws Exception {
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
        server.start();
        return server;
    }

    @BeforeAll
    static void startRedis() throws Exception {
        int port = freePort();
        redis = redisOn(port);
        uri = RedisURI.create("redis://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.stop();
    }

    @Override
    protected Meter newMeter() {
        prefix = "case" + NEXT.incrementAndGet() + ":";
        return anotherInstance();
    }

    @Override
    protected Meter anotherInstance() {
        return RedisMeter.builder(uri).keyPrefix(prefix).timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void aStoppedRedisMakesSpendsThrowWithinTheTimeoutAndTheyCountAgainWhenItIsBack() throws Exception {
        int port = freePort();
        RedisServer own = redisOn(port);
        try (RedisMeter down = RedisMeter.builder(RedisURI.create("redis://127.0.0.1:" + port))
                .timeout(Duration.ofMillis(100)).build()) {
            Metered rate = new Metered(subject("key"), RateLimit.perMinute(3));
            assertThat(down.spend(List.of(rate), 1, T0).granted()).isTrue();

            own.stop();
            // Not a speed claim: a hang would last the client's default timeout (a minute); each call is bounded by
            // the meter's 100 ms, and 10 s leaves a busy machine a wide margin.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 5; i++) {
                    assertThatThrownBy(() -> down.spend(List.of(rate), 1, T0)).isInstanceOf(MeterException.class)
                            .hasMessageStartingWith("Redis meter spend failed").hasMessageNotContaining("key:");
                }
                assertThatThrownBy(() -> down.used(rate, T0)).isInstanceOf(MeterException.class);
            });

            own = redisOn(port);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> down.spend(List.of(rate), 1, T0).granted());
            assertThat(down.spend(List.of(rate), 3, T0).granted()).as("the restarted Redis is empty; 1 of 3 used")
                    .isFalse();
            assertThat(down.used(rate, T0)).isEqualTo(1);
        } finally {
            own.stop();
        }
    }
}
