package dev.apikey.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every refusal that needs no store read allocates nothing, as the hit does ({@link HitAllocationTest}): a flood of
 * refused requests costs the collector nothing. Measured by the JVM's per-thread allocation counter, so it says
 * nothing about speed. (A refusal that reads the store, an unknown id's first look-up, is not among them.)
 */
class RefusalAllocationTest {

    private static final int VERIFIES = 10_000;
    private static final int WARM_UP = 50_000;
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final String SCOPE = "events:read";

    private static ApiKeys apiKeys;
    private static String live;
    private static String revoked;
    private static String disabled;
    private static String fenced;
    private static String rateLimited;
    private static String overQuota;
    private static String tenantOverQuota;
    private static String suspended;
    private static String planned;

    @BeforeAll
    static void keys() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled())
                .as("this JVM counts allocation per thread").isTrue();
        apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope(SCOPE, "Read events").scope("events:write", "Write").build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        apiKeys.setTenantAllowances("93", List.of(Quota.perDay(1)));
        live = create(KeySpec.builder("live").tenantId("92").scopes(SCOPE));
        dev.apikey.IssuedKey toRevoke = apiKeys.create(KeySpec.builder("revoked").tenantId("92").scopes(SCOPE).build());
        revoked = toRevoke.plaintext();
        apiKeys.revoke(toRevoke.info().keyId());
        dev.apikey.IssuedKey toDisable = apiKeys.create(KeySpec.builder("disabled").tenantId("92").scopes(SCOPE)
                .build());
        disabled = toDisable.plaintext();
        apiKeys.disable(toDisable.info().keyId());
        fenced = create(KeySpec.builder("fenced").tenantId("92").scopes(SCOPE).allowedAddresses("127.0.1.0/24"));
        rateLimited = create(KeySpec.builder("limited").tenantId("92").scopes(SCOPE).rateLimit(RateLimit.perHour(1)));
        overQuota = create(KeySpec.builder("quota").tenantId("92").scopes(SCOPE).quota(Quota.perDay(1)));
        tenantOverQuota = create(KeySpec.builder("plan").tenantId("93").scopes(SCOPE));
        suspended = create(KeySpec.builder("suspended").tenantId("94").scopes(SCOPE));
        apiKeys.tenants().suspend("94");
        planned = create(KeySpec.builder("planned").tenantId("95").scopes(SCOPE, "events:write"));
        apiKeys.tenants().setPlanScopes("95", List.of(SCOPE));
    }

    private static String create(KeySpec.Builder spec) {
        return apiKeys.create(spec.build()).plaintext();
    }

    @Test
    void theHeaderAndFormatRefusals() {
        assertAllocatesNothing(Failure.MISSING_API_KEY, () -> apiKeys.verify((String) null, SCOPE));
        assertAllocatesNothing(Failure.MALFORMED_REQUEST, () -> apiKeys.verify("wlcro_92_\u0001", SCOPE));
        String badChecksum = live.substring(0, live.length() - 1) + (live.endsWith("A") ? "B" : "A");
        assertAllocatesNothing(Failure.MALFORMED_API_KEY, () -> apiKeys.verify(badChecksum, SCOPE));
        String otherBody = "other" + live.substring("wlcro".length(), live.length() - KeyFormat.CHECKSUM_LENGTH);
        String otherPrefix = otherBody + KeyFormat.checksum(otherBody);
        assertAllocatesNothing(Failure.WRONG_ENVIRONMENT, () -> apiKeys.verify(otherPrefix, SCOPE));
    }

    @Test
    void theRefusalsOfACachedKey() {
        // Granted once, so that the cache knows its digest: a wrong secret is then refused by one compare.
        assertThat(apiKeys.verify(live, SCOPE).isGranted()).isTrue();
        String body = live.substring(0, live.length() - KeyFormat.SECRET_LENGTH - KeyFormat.CHECKSUM_LENGTH)
                + "w".repeat(KeyFormat.SECRET_LENGTH);
        String wrong = body + KeyFormat.checksum(body);
        assertAllocatesNothing(Failure.INVALID_API_KEY, () -> apiKeys.verify(wrong, SCOPE));
        assertAllocatesNothing(Failure.REVOKED_API_KEY, () -> apiKeys.verify(revoked, SCOPE));
        assertAllocatesNothing(Failure.DISABLED_API_KEY, () -> apiKeys.verify(disabled, SCOPE));
        VerifyRequest outside = VerifyRequest.header(fenced).scope(SCOPE).remoteAddress("127.0.0.1");
        assertAllocatesNothing(Failure.IP_NOT_ALLOWED, () -> apiKeys.verify(outside));
        VerifyRequest otherTenant = VerifyRequest.header(live).scope(SCOPE).tenantId("17");
        assertAllocatesNothing(Failure.TENANT_MISMATCH, () -> apiKeys.verify(otherTenant));
        assertAllocatesNothing(Failure.INSUFFICIENT_SCOPE, () -> apiKeys.verify(live, "events:write"));
        assertAllocatesNothing(Failure.TENANT_SUSPENDED, () -> apiKeys.verify(suspended, SCOPE));
        assertAllocatesNothing(Failure.SCOPE_NOT_IN_PLAN, () -> apiKeys.verify(planned, "events:write"));
    }

    @Test
    void aScopeRefusalBetweenGrantsOfAnotherScope() {
        // One thread serving two routes: each refusal of one scope comes between grants of another.
        assertThat(apiKeys.verify(live, SCOPE).isGranted()).isTrue();
        assertAllocatesNothing(Failure.INSUFFICIENT_SCOPE, () -> {
            apiKeys.verify(live, SCOPE);
            return apiKeys.verify(live, "events:write");
        });
    }

    @Test
    void anExpiredKey() {
        MovingClock clock = new MovingClock();
        try (ApiKeys own = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope(SCOPE, "Read events").build()).clock(clock).build()) {
            String key = own.create(KeySpec.builder("soon").scopes(SCOPE).expiresAt(NOW.plusSeconds(10)).build())
                    .plaintext();
            assertThat(own.verify(key, SCOPE).isGranted()).as("cached while it works").isTrue();
            clock.now = NOW.plusSeconds(20);
            assertAllocatesNothing(Failure.EXPIRED_API_KEY, () -> own.verify(key, SCOPE));
        }
    }

    /** A clock a test moves: the key expires in the cache, with no store read. */
    private static final class MovingClock extends Clock {
        volatile Instant now = NOW;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("not needed here");
        }

        @Override
        public long millis() {
            return now.toEpochMilli();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theAllowancesRefusals() {
        assertThat(apiKeys.verify(rateLimited, SCOPE).isGranted()).isTrue();
        assertAllocatesNothing(Failure.RATE_LIMITED, () -> apiKeys.verify(rateLimited, SCOPE));
        assertThat(apiKeys.verify(overQuota, SCOPE).isGranted()).isTrue();
        assertAllocatesNothing(Failure.QUOTA_EXCEEDED, () -> apiKeys.verify(overQuota, SCOPE));
        assertThat(apiKeys.verify(tenantOverQuota, SCOPE).isGranted()).isTrue();
        assertAllocatesNothing(Failure.QUOTA_EXCEEDED, () -> apiKeys.verify(tenantOverQuota, SCOPE));
    }

    private static void assertAllocatesNothing(Failure expected, Supplier<Verification> verify) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(verify.get().failure()).as("the refusal").contains(expected);
        boolean same = true;
        // Warmed up until the JIT has compiled the path: the interpreter allocates where compiled code does not.
        for (int i = 0; i < WARM_UP; i++) {
            same &= !verify.get().isGranted();
        }
        long thread = Thread.currentThread().getId();
        long allocated = Long.MAX_VALUE;
        // Up to five windows: on a loaded machine the JIT's last compilation of the path may land inside the first
        // (code not yet compiled allocates what compiled code keeps off the heap); a real allocation shows in all.
        for (int window = 0; window < 5 && allocated >= 4_000; window++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < VERIFIES; i++) {
                same &= !verify.get().isGranted();
            }
            allocated = threads.getThreadAllocatedBytes(thread) - before;
        }
        assertThat(same).isTrue();
        // One object per verify would be 160,000 bytes or more; the slack is for the counter's own read and the
        // meter's map, told of a use at most once a second.
        assertThat(allocated).as("bytes allocated by %d %s refusals", VERIFIES, expected.code()).isLessThan(4_000);
    }
}
