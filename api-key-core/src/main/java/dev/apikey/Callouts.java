package dev.apikey;

import dev.apikey.internal.LogWindow;
import dev.apikey.model.Allowance;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.AccessPolicy;
import dev.apikey.spi.Meter;
import dev.apikey.spi.Spend;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks that call out of the library, after the secret matched: the host's {@link AccessPolicy}
 * ({@link Check#POLICY}) and the {@link Meter} ({@link Check#RATE_LIMIT} and {@link Check#QUOTA}: one spend of the
 * call's cost from every allowance of the key and its tenant, all or none; a refusal is the check of the most
 * constrained allowance's kind). Each refuses with a {@link Verification}, or returns {@code null} to let the verify
 * go on; none throws what the host's code threw.
 *
 * <p>Which of them may block is known here ({@link #mayBlock}): a host policy always may, a meter unless it is the
 * in-process default ({@link LocalMeter}).
 *
 * <p>Thread-safe. Package-private.
 */
final class Callouts {

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.verify");

    static final Verification LIMITER_FAILED =
            MODEL.retryLater(Failure.RATE_LIMIT_UNAVAILABLE, Check.RATE_LIMIT, Duration.ofSeconds(1));
    static final Verification QUOTA_FAILED =
            MODEL.retryLater(Failure.QUOTA_UNAVAILABLE, Check.QUOTA, Duration.ofSeconds(1));
    static final Verification POLICY_FAILED =
            MODEL.retryLater(Failure.POLICY_UNAVAILABLE, Check.POLICY, Duration.ofSeconds(5));

    private final AccessPolicy policy;
    private final Meter meter;
    private final boolean meterInProcess;
    private final boolean failClosed;
    private final VerifyStats stats;
    private final Map<Failure, Verification> policyFailures = new ConcurrentHashMap<>();
    /** Meter failures: at most one line a minute. */
    private final LogWindow limiterLog = new LogWindow(60_000);
    /** Policy failures: at most one line a minute, however many requests meet them. */
    private final LogWindow policyLog = new LogWindow(60_000);

    Callouts(ApiKeysConfig config, VerifyStats stats) {
        this.policy = config.accessPolicy();
        this.meter = config.meter();
        this.meterInProcess = meter instanceof LocalMeter;
        this.failClosed = config.meterFailClosed();
        this.stats = stats;
    }

    /** {@return whether a host policy runs on every verify} */
    boolean hasPolicy() {
        return policy != null;
    }

    /**
     * Whether the callouts of a key with this spending may block: a host policy, or allowances counted outside this
     * process.
     *
     * @param spends whether the key has allowances
     */
    boolean mayBlock(boolean spends) {
        return policy != null || spends && !meterInProcess;
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
            failure = policy.check(MODEL.principalOrNull(entry.granted), asked);
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
                ? MODEL.retryLater(f, Check.POLICY, Duration.ofSeconds(5))
                : MODEL.failed(f, Check.POLICY));
    }

    /**
     * Spends the call's cost from every allowance of the key and its tenant: {@code null} to go on, or the refusal of
     * the most constrained allowance ({@code rate_limited} or {@code quota_exceeded}, naming it), or, if the meter
     * failed and the host fails closed, {@code rate_limit_unavailable} (the batch holds a rate limit) or
     * {@code quota_unavailable}.
     *
     * @param entry    the key's entry, whose {@link CachedKey#allowance} is read on a refusal only
     * @param prepared its prepared batch, {@link CachedKeyHead#spend}
     */
    Verification spend(CachedKey entry, Meter.Prepared prepared, long cost, long now) {
        int index;
        long retryAfterMillis;
        try {
            if (prepared instanceof LocalMeter.Held held) {
                // The in-process meter answers in a long: a refusal allocates nothing (LocalMeter.Held).
                long answer = held.answer(cost, now);
                if (answer == LocalMeter.GRANTED) {
                    return null;
                }
                index = LocalMeter.refusedIndex(answer);
                retryAfterMillis = LocalMeter.retryAfterMillis(answer);
            } else {
                Spend spent = prepared.spend(cost, now);
                if (spent.granted()) {
                    return null;
                }
                index = spent.refusedIndex();
                retryAfterMillis = spent.retryAfterMillis();
            }
        } catch (RuntimeException e) {
            if (!meterFailed(now, e)) {
                return null;
            }
            return entry.allowance.hasRate() ? LIMITER_FAILED : QUOTA_FAILED;
        }
        return refusal(entry.allowance, index, retryAfterMillis, now);
    }

    /**
     * The refusal of the allowance at {@code index}: its last one while the wait (and a quota's reset) is the same,
     * else a new one, kept. Out of {@link #spend}, so that the granted path is small enough for the JIT to inline
     * into the verify.
     */
    private static Verification refusal(Spending spending, int index, long retryAfterMillis, long now) {
        Allowance refused = spending.batch().get(index).allowance();
        boolean tenants = index >= spending.tenantsFrom();
        Spending.Refusal last = spending.lastRefusal(index);
        if (refused instanceof RateLimit limit) {
            long seconds = seconds(retryAfterMillis);
            if (last != null && last.seconds() == seconds) {
                return last.verification();
            }
            Verification v = MODEL.rateLimited(limit, tenants, Duration.ofSeconds(seconds));
            spending.remember(index, new Spending.Refusal(seconds, 0, now, v));
            return v;
        }
        Quota quota = (Quota) refused;
        // Within one window the reset is the same: the last refusal's, while it is ahead and was made before now.
        long resetMillis = last != null && now < last.resetMillis() && now >= last.madeAt() ? last.resetMillis()
                : quota.resetAt(Instant.ofEpochMilli(now)).toEpochMilli();
        long seconds = Math.max(1, (resetMillis - now + 999) / 1000);
        if (last != null && last.seconds() == seconds && last.resetMillis() == resetMillis) {
            return last.verification();
        }
        Verification v = MODEL.quotaExceeded(quota, tenants, Instant.ofEpochMilli(resetMillis),
                Duration.ofSeconds(seconds));
        spending.remember(index, new Spending.Refusal(seconds, resetMillis, now, v));
        return v;
    }

    /** Whole seconds to wait, at least 1; a cost past every refill waits a day, the longest window. */
    private static long seconds(long millis) {
        if (millis == Spend.NEVER) {
            return DAY_SECONDS;
        }
        return Math.max(1, Math.min(32 * DAY_SECONDS, (millis + 999) / 1000));
    }

    private static final long DAY_SECONDS = 86_400;

    /** The meter threw: counted, logged at most once a minute; {@return whether to refuse}. */
    private boolean meterFailed(long now, RuntimeException e) {
        long failures = stats.limiterFailed();
        if (limiterLog.tryLog(now)) {
            LOG.warn("meter failed ({} so far); {} the calls it should have counted: {}",
                    failures, failClosed ? "refusing" : "allowing", e.toString());
        }
        return failClosed;
    }
}
