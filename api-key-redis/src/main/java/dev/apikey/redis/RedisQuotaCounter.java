package dev.apikey.redis;

import dev.apikey.Quota;
import dev.apikey.spi.QuotaCounter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Objects;

/**
 * Quotas counted by every instance together in Redis: one counter per key and period under
 * {@code apikey:q:<key id>:<D day | M month>}, incremented and given its expiry in one script, so the count
 * disappears a day after its period ends. Calls past the quota are refused (and still counted, which only shows as 0
 * left). Each call is bounded by {@link Builder#timeout}; while Redis is unreachable commands fail at once and Lettuce
 * reconnects in the background. Thread-safe; close it with the application.
 */
public final class RedisQuotaCounter implements QuotaCounter, AutoCloseable {

    /** Increments, and on the first call of a period sets the expiry: one round trip, atomic. */
    private static final String INCREMENT = "local v = redis.call('INCR', KEYS[1]) "
            + "if v == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return v";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> commands;
    private final String keyPrefix;

    private RedisQuotaCounter(Builder b) {
        this.client = RedisSettings.client(b.uri, b.timeout);
        this.connection = client.connect();
        connection.setTimeout(b.timeout);
        this.commands = connection.sync();
        this.keyPrefix = b.keyPrefix;
    }

    /**
     * Starts a counter for this Redis.
     *
     * @param uri where Redis is
     * @return a builder
     */
    public static Builder builder(RedisURI uri) {
        return new Builder(uri);
    }

    /** Configures a {@link RedisQuotaCounter}. Not thread-safe. */
    public static final class Builder {
        private final RedisURI uri;
        private Duration timeout = Duration.ofMillis(100);
        private String keyPrefix = "apikey:q:";

        private Builder(RedisURI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * The longest one count may take; default 100 ms.
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
         * The prefix of the Redis keys; default {@code apikey:q:}.
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
         * Connects and returns the counter.
         *
         * @return the counter
         * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
         */
        public RedisQuotaCounter build() {
            return new RedisQuotaCounter(this);
        }
    }

    private String key(String keyId, Quota quota, long periodIndex) {
        return keyPrefix + keyId + ":" + quota.period().name().charAt(0) + periodIndex;
    }

    @Override
    public long tryConsume(String keyId, Quota quota, long periodIndex) {
        // Long enough to outlive its period (a day or up to 31 days) by a day.
        long ttlSeconds = quota.period() == Quota.Period.DAY ? 2 * 86_400L : 32 * 86_400L;
        Long used = commands.eval(INCREMENT, ScriptOutputType.INTEGER, new String[] {key(keyId, quota, periodIndex)},
                Long.toString(ttlSeconds));
        return used > quota.calls() ? -1 : quota.calls() - used;
    }

    @Override
    public long used(String keyId, Quota quota, long periodIndex) {
        String value = commands.get(key(keyId, quota, periodIndex));
        return value == null ? 0 : Math.min(quota.calls(), Long.parseLong(value));
    }

    /** Closes the connection to Redis. */
    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "RedisQuotaCounter[" + keyPrefix + "]";
    }
}
