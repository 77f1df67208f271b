package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.Meter;
import dev.apikey.spi.Metered;
import dev.apikey.spi.Spend;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiKeys#verifyNow}: answered from the cache and in-process work, empty (with nothing counted or spent) where
 * a check may block, and then the blocking verify answers as if the first call had not happened.
 */
class VerifyNowTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final CountingKeyStore store = new CountingKeyStore();
    private final CountingHasher hasher = new CountingHasher(TestKeys.cheapArgon2());
    private ApiKeys apiKeys;

    private ApiKeysBuilder builder() {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(hasher).clock(clock);
    }

    @AfterEach
    void closeApiKeys() {
        if (apiKeys != null) {
            apiKeys.close();
        }
    }

    private String create(ApiKeys by, KeySpec.Builder spec) {
        return by.create(spec.scopes("events:read").build()).plaintext();
    }

    @Test
    void aKeyVerifiedOnThisInstanceIsAnsweredAtOnceAndCountedOnce() {
        apiKeys = builder().build();
        String key = create(apiKeys, KeySpec.builder("hot").tenantId("92"));
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
        int finds = store.finds.get();
        int hashes = hasher.verifies.get();

        Optional<Verification> now = apiKeys.verifyNow(VerifyRequest.header(key).scope("events:read").tenantId("92"));

        assertThat(now).hasValueSatisfying(v -> assertThat(v.isGranted()).isTrue());
        assertThat(apiKeys.verifyNow(key, "events:write")).hasValueSatisfying(
                v -> assertThat(v.failure()).contains(Failure.INSUFFICIENT_SCOPE));
        assertThat(apiKeys.verifyNow(TestKeys.withSecret(key, "w".repeat(32)), null)).as("a wrong secret")
                .hasValueSatisfying(v -> assertThat(v.failure()).contains(Failure.INVALID_API_KEY));
        assertThat(apiKeys.verifyNow(VerifyRequest.header(key).tenantId("93"))).hasValueSatisfying(
                v -> assertThat(v.failure()).contains(Failure.TENANT_MISMATCH));
        assertThat(store.finds.get()).as("no store call").isEqualTo(finds);
        assertThat(hasher.verifies.get()).as("no stored-hash check").isEqualTo(hashes);
        assertThat(apiKeys.stats().verifies(ApiKeyStats.GRANTED)).isEqualTo(2);
    }

    @Test
    void whatNeedsNoKeyIsAnsweredAtOnce() {
        apiKeys = builder().build();
        assertThat(apiKeys.verifyNow(null, null)).hasValueSatisfying(
                v -> assertThat(v.failure()).contains(Failure.MISSING_API_KEY));
        assertThat(apiKeys.verifyNow("wlcro_nonsense", null)).hasValueSatisfying(
                v -> assertThat(v.failure()).contains(Failure.MALFORMED_API_KEY));
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.verifyNow("x", "event:read"))
                .withMessageContaining("requiredScope 'event:read'");
    }

    @Test
    void aKeyNotCachedIsLeftToTheBlockingVerifyWithNothingCounted() {
        ApiKeys writer = builder().build();
        String key = create(writer, KeySpec.builder("cold"));
        writer.close();
        apiKeys = builder().build();
        long before = apiKeys.stats().totalVerifies();

        assertThat(apiKeys.verifyNow(key, "events:read")).as("a store load").isEmpty();

        assertThat(store.finds.get()).isZero();
        assertThat(apiKeys.stats().totalVerifies()).as("nothing counted").isEqualTo(before);
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
        assertThat(apiKeys.verifyNow(key, "events:read")).hasValueSatisfying(v -> assertThat(v.isGranted()).isTrue());

        // A stale entry is a store load again.
        clock.advance(Duration.ofMinutes(10));
        assertThat(apiKeys.verifyNow(key, "events:read")).as("stale").isEmpty();
    }

    @Test
    void aSecretNotYetCheckedAgainstTheStoredHashIsLeftToTheBlockingVerify() {
        ApiKeys writer = builder().build();
        String key = create(writer, KeySpec.builder("cold"));
        writer.close();
        apiKeys = builder().build();
        // A wrong secret loads the entry and fails its hash check: cached, but no secret matched yet.
        assertThat(apiKeys.verify(TestKeys.withSecret(key, "w".repeat(32)), null).failure())
                .contains(Failure.INVALID_API_KEY);
        int hashes = hasher.verifies.get();

        assertThat(apiKeys.verifyNow(key, null)).as("a stored-hash check").isEmpty();
        assertThat(apiKeys.verifyNow(TestKeys.withSecret(key, "w".repeat(32)), null)).isEmpty();

        assertThat(hasher.verifies.get()).isEqualTo(hashes);
        assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
        assertThat(apiKeys.verifyNow(key, null)).isPresent();
    }

    @Test
    void aHostPolicyIsLeftToTheBlockingVerify() {
        AtomicInteger policyCalls = new AtomicInteger();
        apiKeys = builder().accessPolicy((k, r) -> {
            policyCalls.incrementAndGet();
            return Optional.empty();
        }).build();
        String key = create(apiKeys, KeySpec.builder("hot"));
        assertThat(apiKeys.verify(key, null).isGranted()).isTrue();

        assertThat(apiKeys.verifyNow(key, null)).isEmpty();
        assertThat(apiKeys.verifyNow(key, "events:write")).as("refused before the policy")
                .hasValueSatisfying(v -> assertThat(v.failure()).contains(Failure.INSUFFICIENT_SCOPE));
        assertThat(policyCalls.get()).isEqualTo(1);
    }

    @Test
    void inProcessLimitsAreCountedByVerifyNow() {
        apiKeys = builder().build();
        String key = create(apiKeys, KeySpec.builder("limited").rateLimit(RateLimit.perMinute(2))
                .quota(Quota.perDay(100)));
        assertThat(apiKeys.verify(key, null).isGranted()).isTrue();

        assertThat(apiKeys.verifyNow(key, null)).hasValueSatisfying(v -> assertThat(v.isGranted()).isTrue());
        assertThat(apiKeys.verifyNow(key, null)).hasValueSatisfying(
                v -> assertThat(v.failure()).contains(Failure.RATE_LIMITED));
    }

    @Test
    void limitsCountedOutsideTheProcessAreLeftToTheBlockingVerifyWithNothingSpent() {
        AtomicInteger acquired = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        // A meter outside this process (a fake of one): it counts the spends of rate limits and quotas apart.
        Meter shared = new Meter() {
            @Override
            public Spend spend(List<Metered> batch, long cost, long nowMillis) {
                for (Metered m : batch) {
                    (m.allowance() instanceof RateLimit ? acquired : consumed).incrementAndGet();
                }
                return Spend.GRANTED;
            }

            @Override
            public long used(Metered metered, long nowMillis) {
                return consumed.get();
            }
        };
        apiKeys = builder().meter(shared).build();
        String limited = create(apiKeys, KeySpec.builder("limited").rateLimit(RateLimit.perMinute(100)));
        String metered = create(apiKeys, KeySpec.builder("metered").quota(Quota.perDay(100)));
        String free = create(apiKeys, KeySpec.builder("free"));
        for (String key : Arrays.asList(limited, metered, free)) {
            assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
        }
        assertThat(acquired.get()).isEqualTo(1);
        assertThat(consumed.get()).isEqualTo(1);

        assertThat(apiKeys.verifyNow(limited, null)).as("a rate limit counted outside").isEmpty();
        assertThat(apiKeys.verifyNow(metered, null)).as("a quota counted outside").isEmpty();
        assertThat(apiKeys.verifyNow(free, null)).as("neither").isPresent();

        assertThat(acquired.get()).as("no token taken").isEqualTo(1);
        assertThat(consumed.get()).as("no call counted").isEqualTo(1);
    }

    @Test
    void aPresentAnswerIsTheOneVerifyGives() {
        apiKeys = builder().build();
        String key = create(apiKeys, KeySpec.builder("hot").tenantId("92"));
        assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
        int token = key.length() - KeyFormat.TOKEN_LENGTH;
        String unknown = TestKeys.withChecksum(key.substring(0, token) + "ZZZZZZZZ"
                + key.substring(token + KeyFormat.KEY_ID_LENGTH, key.length() - KeyFormat.CHECKSUM_LENGTH));
        assertThat(apiKeys.verify(unknown, null).failure()).as("now remembered as unknown")
                .contains(Failure.INVALID_API_KEY);
        String[] headers = {key, "Bearer " + key, null, "", key + "\n", key.substring(1),
            "k_test" + key.substring(5), TestKeys.withSecret(key, "w".repeat(32)), unknown};
        int answered = 0;
        for (String header : headers) {
            for (VerifyRequest request : new VerifyRequest[] {VerifyRequest.header(header),
                VerifyRequest.header(header).scope("events:write"), VerifyRequest.header(header).tenantId("93")}) {
                Optional<Verification> now = apiKeys.verifyNow(request);
                Verification then = apiKeys.verify(request);
                if (now.isPresent()) {
                    answered++;
                    assertThat(now.get().isGranted()).as(String.valueOf(request)).isEqualTo(then.isGranted());
                    assertThat(now.get().failure()).as(String.valueOf(request)).isEqualTo(then.failure());
                    assertThat(now.get().failedCheck()).as(String.valueOf(request)).isEqualTo(then.failedCheck());
                }
            }
        }
        assertThat(answered).as("every one of them answered without blocking").isEqualTo(headers.length * 3);
    }

    @Test
    void theConfigurationPagesExampleFallsBackToTheBlockingVerify() {
        String header;
        try (ApiKeys writer = builder().build()) {
            header = create(writer, KeySpec.builder("cold"));
        }
        apiKeys = builder().build();
        for (int i = 0; i < 2; i++) {
            // README:verify-now:start
            Optional<Verification> now = apiKeys.verifyNow(VerifyRequest.header(header).scope("events:read"));
            Verification v = now.isPresent() ? now.get() : apiKeys.verify(VerifyRequest.header(header).scope("events:read"));
            // README:verify-now:end
            assertThat(now.isPresent()).as("answered at once the second time").isEqualTo(i == 1);
            assertThat(v.isGranted()).isTrue();
        }
        assertThat(apiKeys.stats().verifies(ApiKeyStats.GRANTED)).as("each counted once").isEqualTo(2);
    }

    @Test
    void theChecksThatMayBlockAreMarked() {
        assertThat(Arrays.stream(Check.values()).filter(Check::mayBlock)).containsExactly(Check.KEY_EXISTS,
                Check.SECRET, Check.POLICY, Check.RATE_LIMIT, Check.QUOTA);
    }
}
