package dev.apikey.redis;

import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.Meter;
import dev.apikey.spi.MeterException;
import dev.apikey.spi.MeterMath;
import dev.apikey.spi.Metered;
import dev.apikey.spi.Spend;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Meter} shared by every instance through Redis: one hash per subject and allowance under
 * {@code apikey:m:<subject>:<kind>:<name>}, holding a token bucket's debt or a quota's count in its window.
 *
 * <pre>{@code
 * RedisMeter shared = RedisMeter.builder(RedisURI.create("redis://cache:6379")).build();   // close it with the app
 * }</pre>
 *
 * <ul>
 *   <li>All or none, exactly: one Lua script per spend checks every allowance of the batch, then takes from all or
 *       from none; Redis runs it atomically. (One Redis, not a Cluster: the keys of one spend may lie in different
 *       slots.)</li>
 *   <li>Time is the {@code nowMillis} passed in (the verifier's clock); a clock a little behind another instance's
 *       neither refills twice nor moves a quota back to an earlier window. Only expiry uses Redis's clock.</li>
 *   <li>Bounded memory: each hash expires once idle for longer than it matters (a rate limit's period, when its
 *       bucket is full again, and at least 10 minutes; 25 hours or 32 days for a quota per day or month).</li>
 *   <li>Bounded in time by {@link Builder#timeout} (default 100 ms); while Redis is unreachable commands fail at once
 *       instead of queueing, and Lettuce reconnects in the background. A failure throws {@link MeterException}.</li>
 *   <li>Exact integers up to 2<sup>53</sup> (Lua's numbers): a rate limit whose period in milliseconds times its
 *       limit stays below that (e.g. up to 100,000,000 a day) counts without rounding.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class RedisMeter implements Meter, AutoCloseable {

    /** Values per allowance in ARGV after now and cost: kind, a, c, d, e, ttl (see the script). */
    private static final int ARGS = 6;

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> commands;
    private final String keyPrefix;
    private final String sha;

    private RedisMeter(Builder b) {
        this.client = RedisSettings.client(b.uri, b.timeout);
        this.connection = client.connect();
        connection.setTimeout(b.timeout);
        this.commands = connection.sync();
        this.keyPrefix = b.keyPrefix;
        this.sha = commands.digest(MeterScript.SPEND);
    }

    /**
     * Starts a meter for this Redis.
     *
     * @param uri where Redis is, e.g. {@code RedisURI.create("redis://localhost:6379")}
     * @return a builder
     * @throws NullPointerException if uri is null
     */
    public static Builder builder(RedisURI uri) {
        return new Builder(uri);
    }

    /** Configures a {@link RedisMeter}. Not thread-safe. */
    public static final class Builder {
        private final RedisURI uri;
        private Duration timeout = Duration.ofMillis(100);
        private String keyPrefix = "apikey:m:";

        private Builder(RedisURI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * The longest one spend may take; default 100 ms.
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
         * The prefix of the Redis keys, for a Redis shared with other applications; default {@code apikey:m:}.
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
         * Connects and returns the meter.
         *
         * @return the meter; close it with the application
         * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
         */
        public RedisMeter build() {
            return new RedisMeter(this);
        }
    }

    @Override
    public Spend spend(List<Metered> batch, long cost, long nowMillis) {
        Spend early = MeterMath.precheck(batch, cost, nowMillis);
        if (early != null) {
            return early;
        }
        int n = batch.size();
        String[] keys = new String[n];
        String[] args = new String[2 + n * ARGS];
        args[0] = Long.toString(nowMillis);
        args[1] = Long.toString(cost);
        for (int i = 0; i < n; i++) {
            Metered m = batch.get(i);
            keys[i] = key(m);
            int b = 2 + i * ARGS;
            if (m.allowance() instanceof RateLimit r) {
                args[b] = "r";
                args[b + 1] = Long.toString(MeterMath.tokenUnits(r));
                args[b + 2] = Long.toString(MeterMath.millisUnits(r));
                args[b + 3] = Long.toString(MeterMath.capacityUnits(r));
                args[b + 4] = Long.toString(r.period().toMillis());
            } else {
                Quota q = (Quota) m.allowance();
                args[b] = "q";
                args[b + 1] = Long.toString(q.calls());
                args[b + 2] = Long.toString(MeterMath.window(q, nowMillis));
                args[b + 3] = Long.toString(MeterMath.quotaWait(q.calls(), 1, q, nowMillis));
                args[b + 4] = "0";
            }
            args[b + 5] = Long.toString(MeterMath.idleMillis(m.allowance()));
        }
        List<Object> answer = run(keys, args);
        long index = (Long) answer.get(0);
        return index < 0 ? Spend.GRANTED : Spend.refused((int) index, (Long) answer.get(1));
    }

    private List<Object> run(String[] keys, String[] args) {
        try {
            try {
                return commands.evalsha(sha, ScriptOutputType.MULTI, keys, args);
            } catch (RedisNoScriptException e) {
                // A restarted or flushed Redis: send the script itself, which also caches it again.
                return commands.eval(MeterScript.SPEND, ScriptOutputType.MULTI, keys, args);
            }
        } catch (RedisException e) {
            throw failure("spend", e);
        }
    }

    @Override
    public long used(Metered metered, long nowMillis) {
        MeterMath.checkTime(nowMillis);
        List<io.lettuce.core.KeyValue<String, String>> row;
        try {
            row = commands.hmget(key(metered), "l", "w", "t");
        } catch (RedisException e) {
            throw failure("read", e);
        }
        if (!row.get(0).hasValue()) {
            return 0;
        }
        long level = Long.parseLong(row.get(0).getValue());
        long win = Long.parseLong(row.get(1).getValue());
        long at = Long.parseLong(row.get(2).getValue());
        if (metered.allowance() instanceof RateLimit r) {
            return MeterMath.rateUsed(MeterMath.debtAt(level, win, at, nowMillis, r), r);
        }
        Quota q = (Quota) metered.allowance();
        return MeterMath.window(q, nowMillis) > win ? 0 : Math.min(q.calls(), level);
    }

    private String key(Metered m) {
        return keyPrefix + m.subject() + ":" + m.kind() + ":" + m.allowance().name();
    }

    private MeterException failure(String what, RedisException e) {
        return new MeterException("Redis meter " + what + " failed (" + e.getClass().getSimpleName() + ")", e);
    }

    /** Closes the connection to Redis. */
    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "RedisMeter[" + keyPrefix + "]";
    }
}
