package dev.apikey.redis;

import dev.apikey.RateLimit;
import dev.apikey.spi.RateLimiter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * Rate limits shared by every instance through Redis: one Bucket4j token bucket per key (greedy refill, the same
 * rule as the in-process {@code LocalRateLimiter}), kept in Redis under {@code apikey:rl:<key id>:<limit>} and
 * updated by compare-and-swap, expiring once it would be full again. Three instances grant a key limited to 100 a
 * minute about 100 calls a minute together.
 *
 * <pre>{@code
 * RedisRateLimiter shared = RedisRateLimiter.builder(RedisURI.create("redis://cache:6379")).build();
 * ApiKeys.builder()...rateLimiter(shared).rateLimiterFailClosed(false)...   // close it with the application
 * }</pre>
 *
 * <p>Every call is bounded by {@link Builder#timeout} (default 100 ms); while Redis is unreachable, commands fail at
 * once instead of queueing, and Lettuce reconnects in the background. A failure throws, and the verifier lets the
 * request pass or refuses it ({@code rate_limit_unavailable}) as the host configured. Thread-safe.
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final ProxyManager<String> buckets;
    private final String keyPrefix;

    private RedisRateLimiter(Builder b) {
        this.client = RedisSettings.client(b.uri, b.timeout);
        this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        connection.setTimeout(b.timeout);
        this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
        this.keyPrefix = b.keyPrefix;
    }

    /**
     * Starts a limiter for this Redis.
     *
     * @param uri where Redis is, e.g. {@code RedisURI.create("redis://localhost:6379")}
     * @return a builder
     */
    public static Builder builder(RedisURI uri) {
        return new Builder(uri);
    }

    /** Configures a {@link RedisRateLimiter}. Not thread-safe. */
    public static final class Builder {
        private final RedisURI uri;
        private Duration timeout = Duration.ofMillis(100);
        private String keyPrefix = "apikey:rl:";

        private Builder(RedisURI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * The longest one check may take; default 100 ms.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException unless 5 ms to 10 s
         */
        public Builder timeout(Duration timeout) {
            this.timeout = RedisSettings.requireTimeout(timeout);
            return this;
        }

        /**
         * The prefix of the Redis keys, for a Redis shared with other applications; default {@code apikey:rl:}.
         *
         * @param prefix 1 to 64 printable ASCII characters without spaces
         * @return this builder
         * @throws IllegalArgumentException if the prefix breaks that rule
         */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = RedisSettings.requireKeyPrefix(prefix);
            return this;
        }

        /**
         * Connects and returns the limiter.
         *
         * @return the limiter; close it with the application
         * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
         */
        public RedisRateLimiter build() {
            return new RedisRateLimiter(this);
        }
    }

    @Override
    public long tryAcquire(String keyId, RateLimit limit) {
        // The limit is part of the Redis key: an edited limit starts a fresh bucket instead of reading the old one.
        String key = keyPrefix + keyId + ":" + limit.requests() + "/" + limit.period().toMillis();
        ConsumptionProbe probe = buckets.builder().build(key, () -> BucketConfiguration.builder()
                .addLimit(b -> b.capacity(limit.requests()).refillGreedy(limit.requests(), limit.period()))
                .build()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /** Closes the connection to Redis. */
    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "RedisRateLimiter[" + keyPrefix + "]";
    }
}
