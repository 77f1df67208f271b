package dev.apikey;

import dev.apikey.internal.LogWindow;
import dev.apikey.spi.AccessPolicy;
import dev.apikey.spi.QuotaCounter;
import dev.apikey.spi.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks that call out of the library, after the secret matched: the host's {@link AccessPolicy}
 * ({@link Check#POLICY}), the {@link RateLimiter} ({@link Check#RATE_LIMIT}) and the {@link QuotaCounter}
 * ({@link Check#QUOTA}). Each refuses with a {@link Verification}, or returns {@code null} to let the verify go on;
 * none throws what the host's code threw.
 *
 * <p>Which of them may block is known here ({@link #mayBlock}): a host policy always may, a limiter or counter
 * unless it is the in-process default ({@link LocalRateLimiter}, {@link LocalQuotaCounter}).
 *
 * <p>Thread-safe. Package-private.
 */
final class Callouts {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.verify");

    static final Verification LIMITER_FAILED =
            Verification.retryLater(Failure.RATE_LIMIT_UNAVAILABLE, Check.RATE_LIMIT, Duration.ofSeconds(1));
    static final Verification POLICY_FAILED =
            Verification.retryLater(Failure.POLICY_UNAVAILABLE, Check.POLICY, Duration.ofSeconds(5));

    private final AccessPolicy policy;
    private final RateLimiter rateLimiter;
    private final QuotaCounter quotaCounter;
    private final boolean limiterInProcess;
    private final boolean quotaInProcess;
    private final boolean failClosed;
    private final VerifyStats stats;
    private final Map<Failure, Verification> policyFailures = new ConcurrentHashMap<>();
    /** Limiter and quota counter failures: at most one line a minute. */
    private final LogWindow limiterLog = new LogWindow(60_000);
    /** Policy failures: at most one line a minute, however many requests meet them. */
    private final LogWindow policyLog = new LogWindow(60_000);

    Callouts(ApiKeysConfig config, VerifyStats stats) {
        this.policy = config.accessPolicy();
        this.rateLimiter = config.rateLimiter();
        this.quotaCounter = config.quotaCounter();
        this.limiterInProcess = rateLimiter instanceof LocalRateLimiter;
        this.quotaInProcess = quotaCounter instanceof LocalQuotaCounter;
        this.failClosed = config.rateLimiterFailClosed();
        this.stats = stats;
    }

    /** {@return whether a host policy runs on every verify} */
    boolean hasPolicy() {
        return policy != null;
    }

    /**
     * Whether the callouts of a key with this allowance may block: a host policy, or a limit or quota counted
     * outside this process.
     *
     * @param allowance the key's allowance, or {@code null} for none
     */
    boolean mayBlock(Spending allowance) {
        if (policy != null) {
            return true;
        }
        return allowance != null && (allowance.rateLimit() != null && !limiterInProcess
                || allowance.quota() != null && !quotaInProcess);
    }

    /** The host's policy: its refusal, {@code policy_unavailable} if it threw, or {@code null} to go on. */
    Verification policy(CachedKey entry, String header, String scope, String tenant, String remoteAddress,
            VerifyRequest request, long now) {
        VerifyRequest asked = request;
        if (asked == null) {
            asked = VerifyRequest.header(header);
            asked = scope == null ? asked : asked.scope(scope);
            asked = tenant == null ? asked : asked.tenantId(tenant);
            asked = remoteAddress == null ? asked : asked.remoteAddress(remoteAddress);
        }
        Optional<Failure> failure;
        try {
            failure = policy.check(entry.granted.principalOrNull(), asked);
        } catch (RuntimeException e) {
            if (policyLog.tryLog(now)) {
                LOG.warn("access policy failed for key {}; refusing with policy_unavailable (at most one line a "
                        + "minute): {}", entry.keyId(), e.toString());
            }
            return POLICY_FAILED;
        }
        if (failure == null || failure.isEmpty()) {
            return null;
        }
        return policyFailures.computeIfAbsent(failure.get(), f -> f.isTransient()
                ? Verification.retryLater(f, Check.POLICY, Duration.ofSeconds(5))
                : Verification.failed(f, Check.POLICY));
    }

    /** The rate limit: {@code rate_limited}, {@code rate_limit_unavailable}, or {@code null} to go on. */
    Verification rateLimit(Spending allowance, long now) {
        long waitNanos;
        try {
            waitNanos = rateLimiter.tryAcquire(allowance.lineage(), allowance.rateLimit());
        } catch (RuntimeException e) {
            return limiterFailed(now, e) ? LIMITER_FAILED : null;
        }
        if (waitNanos <= 0) {
            return null;
        }
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        return Verification.rateLimited(allowance.rateLimit(), Duration.ofSeconds(seconds));
    }

    /** Counts the call against the key's quota; the refusal if none is left (or the counter failed closed). */
    Verification quota(Spending allowance, long now) {
        Quota quota = allowance.quota();
        Instant at = Instant.ofEpochMilli(now);
        long left;
        try {
            left = quotaCounter.tryConsume(allowance.lineage(), quota, quota.periodIndex(at));
        } catch (RuntimeException e) {
            return limiterFailed(now, e) ? LIMITER_FAILED : null;
        }
        if (left >= 0) {
            return null;
        }
        Instant reset = quota.resetAt(at);
        long seconds = Math.max(1, (reset.toEpochMilli() - now + 999) / 1000);
        return Verification.quotaExceeded(quota, reset, Duration.ofSeconds(seconds));
    }

    /** A limiter or quota counter threw: counted, logged at most once a minute; {@return whether to refuse}. */
    private boolean limiterFailed(long now, RuntimeException e) {
        long failures = stats.limiterFailed();
        if (limiterLog.tryLog(now)) {
            LOG.warn("rate limiter or quota counter failed ({} so far); {} the requests it should have limited: {}",
                    failures, failClosed ? "refusing" : "allowing", e.toString());
        }
        return failClosed;
    }
}
