package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.SecretHasher;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** For every failure verify can answer, diagnose's failing step is the check verify named, in the engine's order. */
class DiagnoseReportTest {

    static final Failure NO_API_ACCESS = Failure.of("plan_without_api_access", 403, "Plan without API access",
            "Your plan does not include API access.", "Upgrade your plan.");

    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final AtomicInteger holdHashes = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Set<String> codesSeen = new HashSet<>();
    private final java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
            new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-11-23T10:00:00Z"));
    private final java.time.Clock clock = new java.time.Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now.get();
        }
    };

    @Test
    void theFailingStepIsTheCheckVerifyNamedForEveryFailure() throws Exception {
        InMemoryKeyStore memory = new InMemoryKeyStore();
        KeyStore store = (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(),
                new Class<?>[] {KeyStore.class, dev.apikey.spi.TenantStore.class}, (proxy, method, args) -> {
                    if (storeDown.get() && method.getName().equals("findById")) {
                        throw new KeyStoreException("down (simulated)", null);
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SecretHasher sha = Sha256Hasher.create();
        SecretHasher held = new SecretHasher() {
            @Override
            public String algorithm() {
                return sha.algorithm();
            }

            @Override
            public String hash(byte[] secret) {
                return sha.hash(secret);
            }

            @Override
            public boolean verify(byte[] secret, String storedHash) {
                if (holdHashes.getAndDecrement() > 0) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return sha.verify(secret, storedHash);
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(SeedApi.SCOPES).hasher(held)
                .clock(clock).hashConcurrency(1).hashQueueTimeout(Duration.ZERO)
                .accessPolicy((k, r) -> "free".equals(k.metadata().get("plan")) ? Optional.of(NO_API_ACCESS)
                        : Optional.empty())
                .build()) {
            String key = apiKeys.create(KeySpec.builder("ok").tenantId("92").scopes("events:read").build()).plaintext();
            String keyId = KeyFormat.of("wlcro").parse(key).orElseThrow().keyId();
            check(apiKeys, VerifyRequest.header(null), Failure.MISSING_API_KEY);
            check(apiKeys, VerifyRequest.header(key + "\n"), Failure.MALFORMED_REQUEST);
            check(apiKeys, VerifyRequest.header(key.substring(1)), Failure.MALFORMED_API_KEY);
            String other = "k_test" + key.substring(5, key.length() - 6);
            check(apiKeys, VerifyRequest.header(other + KeyFormat.checksum(other)), Failure.WRONG_ENVIRONMENT);
            String unknown = key.substring(0, 9) + "ZZZZZZZZ" + key.substring(17, key.length() - 6);
            check(apiKeys, VerifyRequest.header(unknown + KeyFormat.checksum(unknown)), Failure.INVALID_API_KEY);
            String wrong = key.substring(0, key.length() - KeyFormat.SECRET_LENGTH - KeyFormat.CHECKSUM_LENGTH)
                    + "x".repeat(KeyFormat.SECRET_LENGTH);
            check(apiKeys, VerifyRequest.header(wrong + KeyFormat.checksum(wrong)), Failure.INVALID_API_KEY);
            String target = apiKeys.create(KeySpec.builder("target").scopes("events:read").build()).plaintext();
            String guessed = target.substring(0, target.length() - KeyFormat.SECRET_LENGTH - KeyFormat.CHECKSUM_LENGTH)
                    + "y".repeat(KeyFormat.SECRET_LENGTH);
            for (int i = 0; i < 100; i++) {
                apiKeys.verify(VerifyRequest.header(guessed + KeyFormat.checksum(guessed)).remoteAddress("192.0.2.66"));
            }
            check(apiKeys, VerifyRequest.header(target).remoteAddress("192.0.2.66"), Failure.TOO_MANY_FAILED_ATTEMPTS);
            check(apiKeys, VerifyRequest.header(key).scope("webhooks:write"), Failure.INSUFFICIENT_SCOPE);
            check(apiKeys, VerifyRequest.header(key).tenantId("93"), Failure.TENANT_MISMATCH);
            String office = apiKeys.create(KeySpec.builder("office").scopes("events:read")
                    .allowedAddresses("203.0.113.0/24").build()).plaintext();
            check(apiKeys, VerifyRequest.header(office).remoteAddress("192.0.2.1"), Failure.IP_NOT_ALLOWED);
            String eu = apiKeys.create(KeySpec.builder("eu").scopes("events:read").allowedCountries("DE").build())
                    .plaintext();
            check(apiKeys, VerifyRequest.header(eu).country(() -> "US"), Failure.COUNTRY_NOT_ALLOWED);
            String suspended = apiKeys.create(KeySpec.builder("suspended").tenantId("94").scopes("events:read")
                    .build()).plaintext();
            apiKeys.tenants().suspend("94");
            check(apiKeys, VerifyRequest.header(suspended).scope("webhooks:write"), Failure.TENANT_SUSPENDED);
            String planned = apiKeys.create(KeySpec.builder("planned").tenantId("95")
                    .scopes("events:read", "webhooks:write").build()).plaintext();
            apiKeys.tenants().setPlanScopes("95", List.of("events:read"));
            check(apiKeys, VerifyRequest.header(planned).scope("webhooks:write"), Failure.SCOPE_NOT_IN_PLAN);
            String limited = apiKeys.create(KeySpec.builder("limited").scopes("events:read")
                    .rateLimit(RateLimit.perMinute(1)).build()).plaintext();
            assertThat(apiKeys.verify(limited, null).isGranted()).isTrue();
            check(apiKeys, VerifyRequest.header(limited), Failure.RATE_LIMITED);
            String metered = apiKeys.create(KeySpec.builder("metered").scopes("events:read")
                    .quota(dev.apikey.model.Quota.perDay(1)).build()).plaintext();
            assertThat(apiKeys.verify(metered, null).isGranted()).isTrue();
            check(apiKeys, VerifyRequest.header(metered), Failure.QUOTA_EXCEEDED);
            String free = apiKeys.create(KeySpec.builder("free").scopes("events:read").metadata("plan", "free")
                    .build()).plaintext();
            check(apiKeys, VerifyRequest.header(free), NO_API_ACCESS);
            String shortLived = apiKeys.create(KeySpec.builder("short").scopes("events:read")
                    .expiresAt(now.get().plusSeconds(60)).build()).plaintext();
            now.set(now.get().plusSeconds(61));
            check(apiKeys, VerifyRequest.header(shortLived), Failure.EXPIRED_API_KEY);
            String switchedOff = apiKeys.create(KeySpec.builder("off").scopes("events:read").build()).plaintext();
            apiKeys.disable(KeyFormat.of("wlcro").parse(switchedOff).orElseThrow().keyId());
            check(apiKeys, VerifyRequest.header(switchedOff).scope("webhooks:write"), Failure.DISABLED_API_KEY);
            apiKeys.revoke(keyId);
            check(apiKeys, VerifyRequest.header(key), Failure.REVOKED_API_KEY);

            dev.apikey.testkit.DownMeter down = new dev.apikey.testkit.DownMeter();
            try (ApiKeys closedLimiter = ApiKeys.builder().prefix("wlcro").store(store).scopes(SeedApi.SCOPES)
                    .hasher(sha).meterFailClosed(true).meter(down).build()) {
                check(closedLimiter, VerifyRequest.header(limited), Failure.RATE_LIMIT_UNAVAILABLE);
                String counted = apiKeys.create(KeySpec.builder("counted").scopes("events:read")
                        .quota(dev.apikey.model.Quota.perDay(5)).build()).plaintext();
                check(closedLimiter, VerifyRequest.header(counted), Failure.QUOTA_UNAVAILABLE);
            }
            try (ApiKeys brokenPolicy = ApiKeys.builder().prefix("wlcro").store(store).scopes(SeedApi.SCOPES)
                    .hasher(sha).accessPolicy((k, r) -> {
                        throw new IllegalStateException("plan service down (simulated)");
                    }).build()) {
                check(brokenPolicy, VerifyRequest.header(limited), Failure.POLICY_UNAVAILABLE);
            }

            String cold = apiKeys.create(KeySpec.builder("cold").scopes("events:read").build()).plaintext();
            storeDown.set(true);
            check(apiKeys, VerifyRequest.header(cold), Failure.STORE_UNAVAILABLE);
            storeDown.set(false);

            String a = apiKeys.create(KeySpec.builder("a").scopes("events:read").build()).plaintext();
            String b = apiKeys.create(KeySpec.builder("b").scopes("events:read").build()).plaintext();
            holdHashes.set(1);
            Future<Verification> first = pool.submit(() -> apiKeys.verify(a, null));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (holdHashes.get() > 0) {
                assertThat(System.nanoTime()).as("the first hash check started").isLessThan(deadline);
                Thread.onSpinWait();
            }
            check(apiKeys, VerifyRequest.header(b), Failure.OVERLOADED);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).isGranted()).isTrue();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        Set<String> expected = new HashSet<>();
        Failure.builtIns().forEach(f -> expected.add(f.code()));
        expected.remove(Failure.NON_CANONICAL_PATH.code());
        expected.remove(Failure.API_KEY_IN_URL.code());
        expected.add(NO_API_ACCESS.code());
        assertThat(codesSeen).as("every failure verify can answer").isEqualTo(expected);
    }

    private void check(ApiKeys apiKeys, VerifyRequest request, Failure expected) {
        Verification v = apiKeys.verify(request);
        assertThat(v.failure()).as(request.toString()).contains(expected);
        Check failed = v.failedCheck().orElseThrow();
        List<DiagnoseReport.Step> steps = DiagnoseReport.steps(v, request, Optional.empty(), "wlcro", true);

        assertThat(steps).extracting(DiagnoseReport.Step::check).containsExactly(Check.values());
        assertThat(steps).filteredOn(s -> s.result().equals(DiagnoseReport.FAILED))
                .extracting(DiagnoseReport.Step::check).containsExactly(failed);
        for (DiagnoseReport.Step s : steps) {
            if (s.check().ordinal() > failed.ordinal()) {
                assertThat(s.result()).isEqualTo(DiagnoseReport.SKIPPED);
            } else if (s.check().ordinal() < failed.ordinal()) {
                assertThat(s.result()).isIn(DiagnoseReport.OK, DiagnoseReport.NOT_ASKED);
            }
        }
        codesSeen.add(expected.code());
    }
}
