package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After too many wrong secrets from one address an id is throttled for that address: answered 429 without
 * hashing, never 401 for the right secret, which keeps working elsewhere and after the cool-down.
 */
class FailedAttemptsTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final CountingKeyStore store = new CountingKeyStore();
    private final CountingHasher hasher = new CountingHasher(TestKeys.cheapArgon2());
    private ApiKeys apiKeys;
    private String key;

    @BeforeEach
    void setUp() {
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(hasher).clock(clock)
                .failedAttemptLimit(100).failedAttemptCooldown(Duration.ofMinutes(15))
                .cacheMaxStaleness(Duration.ofSeconds(30)).build();
        key = apiKeys.create(KeySpec.builder("target").tenantId("92").scopes("events:read").build()).plaintext();
    }

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    private String wrong(int i) {
        return TestKeys.withSecret(key, String.format("%032d", i));
    }

    @Test
    void afterTheLimitWrongSecretsAreThrottledWithoutHashingUntilTheCoolDownEnds() {
        for (int i = 0; i < 100; i++) {
            assertThat(apiKeys.verify(wrong(i), null).failure()).contains(Failure.INVALID_API_KEY);
        }
        assertThat(hasher.verifies.get()).isEqualTo(100);

        for (int i = 100; i < 1100; i++) {
            Verification v = apiKeys.verify(wrong(i), null);
            assertThat(v.failure()).contains(Failure.TOO_MANY_FAILED_ATTEMPTS);
            assertThat(v.failedCheck()).contains(Check.SECRET);
        }
        assertThat(hasher.verifies.get()).isEqualTo(100);

        clock.advance(Duration.ofMinutes(15));
        apiKeys.verify(wrong(2000), null);
        assertThat(hasher.verifies.get()).isEqualTo(101);
    }

    /** The attack the demo was probed with: 100 wrong secrets on an id this instance has not verified. */
    @Test
    void noOneCanLockTheRightSecretOutFromTheKeysPublicId() {
        java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ApiKeys fresh = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(hasher)
                .clock(clock).failedAttemptLimit(100).failedAttemptCooldown(Duration.ofMinutes(1))
                .listener(new dev.apikey.spi.KeyEventListener() {
                    @Override
                    public void throttled(String keyHint, String remoteAddress, long untilEpochMillis) {
                        events.add(keyHint + " " + remoteAddress + " " + java.time.Instant.ofEpochMilli(untilEpochMillis));
                    }
                }).build()) {
            for (int i = 0; i < 250; i++) {
                fresh.verify(VerifyRequest.header(wrong(i)).remoteAddress("198.51.100.7"));
            }

            Verification sameAddress = fresh.verify(VerifyRequest.header(key).remoteAddress("198.51.100.7"));
            assertThat(sameAddress.failure()).as("throttled, not rejected").contains(Failure.TOO_MANY_FAILED_ATTEMPTS);
            assertThat(sameAddress.failure().orElseThrow().httpStatus()).isEqualTo(429);
            assertThat(sameAddress.retryAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(
                    Duration.ofSeconds(1), Duration.ofMinutes(1)));
            assertThat(fresh.verify(VerifyRequest.header(key).remoteAddress("203.0.113.9")).isGranted())
                    .as("the holder at another address").isTrue();
            assertThat(events).as("one event per throttle").hasSize(1);
            assertThat(events.get(0)).startsWith("wlcro_92_").contains("198.51.100.7");
        }
    }

    @Test
    void theRightSecretGetsThroughWhenTheThrottleEnds() {
        for (int i = 0; i < 100; i++) {
            apiKeys.verify(wrong(i), null);
        }
        assertThat(apiKeys.verify(key, null).failure()).contains(Failure.TOO_MANY_FAILED_ATTEMPTS);

        clock.advance(Duration.ofMinutes(15));

        assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
    }

    @Test
    void anIpv6SourceIsItsSlash64() {
        for (int i = 0; i < 100; i++) {
            apiKeys.verify(VerifyRequest.header(wrong(i)).remoteAddress("2001:db8:1:2::" + Integer.toHexString(i + 1)));
        }
        assertThat(apiKeys.verify(VerifyRequest.header(key).remoteAddress("2001:db8:1:2:ffff::1")).failure())
                .contains(Failure.TOO_MANY_FAILED_ATTEMPTS);
        assertThat(apiKeys.verify(VerifyRequest.header(key).remoteAddress("2001:db8:1:3::1")).isGranted()).isTrue();
    }

    @Test
    void theRightSecretStillVerifiesDuringALockOutEvenAfterTheCacheReloaded() {
        assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
        clock.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 150; i++) {
            apiKeys.verify(wrong(i), null);
        }
        clock.advance(Duration.ofSeconds(31));
        int hashes = hasher.verifies.get();

        assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
        assertThat(hasher.verifies.get()).isEqualTo(hashes);
    }

    @Test
    void aRightSecretResetsTheCount() {
        for (int i = 0; i < 99; i++) {
            apiKeys.verify(wrong(i), null);
        }
        assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
        // Forget the verified secret (cache and retention), so wrong secrets are hashed again.
        clock.advance(Duration.ofHours(25));
        for (int i = 100; i < 200; i++) {
            apiKeys.verify(wrong(i), null);
        }

        assertThat(hasher.verifies.get()).as("99 wrong, 1 right, 100 wrong: none skipped").isEqualTo(200);
        apiKeys.verify(wrong(300), null);
        assertThat(hasher.verifies.get()).as("now throttled").isEqualTo(200);
    }
}
