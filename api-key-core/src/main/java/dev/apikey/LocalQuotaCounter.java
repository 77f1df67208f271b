package dev.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.apikey.spi.QuotaCounter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link QuotaCounter}: counts in this process, so each instance of a host counts on its own (N
 * instances allow up to N times a quota); plug in a shared one where that matters. Counts of a period are dropped
 * 35 days after their last use. Thread-safe.
 */
public final class LocalQuotaCounter implements QuotaCounter {

    private final Cache<String, AtomicLong> counts = Caffeine.newBuilder().maximumSize(10_000_000)
            .expireAfterAccess(Duration.ofDays(35)).executor(Runnable::run).build();

    /** An empty counter. */
    public LocalQuotaCounter() {
    }

    private AtomicLong count(String keyId, Quota quota, long periodIndex) {
        return counts.get(keyId + "/" + quota.period() + "/" + periodIndex, k -> new AtomicLong());
    }

    @Override
    public long tryConsume(String keyId, Quota quota, long periodIndex) {
        AtomicLong count = count(keyId, quota, periodIndex);
        while (true) {
            long used = count.get();
            if (used >= quota.calls()) {
                return -1;
            }
            if (count.compareAndSet(used, used + 1)) {
                return quota.calls() - used - 1;
            }
        }
    }

    @Override
    public long used(String keyId, Quota quota, long periodIndex) {
        AtomicLong count = counts.getIfPresent(keyId + "/" + quota.period() + "/" + periodIndex);
        return count == null ? 0 : count.get();
    }

    @Override
    public String toString() {
        return "LocalQuotaCounter";
    }
}
