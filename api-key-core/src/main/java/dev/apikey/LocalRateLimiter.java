package dev.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.apikey.internal.ClockTime;
import dev.apikey.spi.RateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The default {@link RateLimiter}: one Bucket4j token bucket per key, in this process. Each instance of a
 * host counts on its own, so with N instances behind a load balancer a key gets up to N times its limit;
 * plug in a distributed {@link RateLimiter} where that matters.
 *
 * <p>Thread-safe and allocation-free while a key is within its limit. Buckets of keys unused for a day
 * are dropped.
 */
public final class LocalRateLimiter implements RateLimiter {

    private final TimeMeter time;
    private final Cache<String, Limited> buckets = Caffeine.newBuilder()
            .maximumSize(1_000_000)
            .expireAfterAccess(Duration.ofDays(1))
            .executor(Runnable::run)
            .build();

    private record Limited(RateLimit limit, Bucket bucket) {
    }

    /** A limiter on the system clock. */
    public LocalRateLimiter() {
        this(Clock.systemUTC());
    }

    /**
     * A limiter on a clock: tests pass a clock they move; the system clock uses {@link System#nanoTime()}.
     *
     * @param clock the clock of the token buckets
     * @throws NullPointerException if clock is null
     */
    public LocalRateLimiter(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        if (ClockTime.isSystem(clock)) {
            this.time = TimeMeter.SYSTEM_NANOTIME;
        } else {
            this.time = new TimeMeter() {
                @Override
                public long currentTimeNanos() {
                    return ClockTime.nanos(clock);
                }

                @Override
                public boolean isWallClockBased() {
                    return true;
                }
            };
        }
    }

    @Override
    public long tryAcquire(String keyId, RateLimit limit) {
        Limited limited = buckets.getIfPresent(keyId);
        if (limited == null || !limited.limit().equals(limit)) {
            limited = buckets.asMap().compute(keyId,
                    (id, old) -> old != null && old.limit().equals(limit) ? old : new Limited(limit, bucket(limit)));
        }
        Bucket bucket = limited.bucket();
        if (bucket.tryConsume(1)) {
            return 0;
        }
        return Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    private Bucket bucket(RateLimit limit) {
        return Bucket.builder()
                .addLimit(b -> b.capacity(limit.requests()).refillGreedy(limit.requests(), limit.period()))
                .withCustomTimePrecision(time)
                .build();
    }

    @Override
    public String toString() {
        return "LocalRateLimiter";
    }
}
