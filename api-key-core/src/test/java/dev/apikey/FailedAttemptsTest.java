package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** After too many wrong secrets an id is answered without hashing, yet its own secret keeps working. */
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
    void afterTheLimitWrongSecretsAreRefusedWithoutHashingUntilTheCoolDownEnds() {
        for (int i = 0; i < 100; i++) {
            assertThat(apiKeys.verify(wrong(i), null).failure()).contains(Failure.INVALID_API_KEY);
        }
        assertThat(hasher.verifies.get()).isEqualTo(100);

        for (int i = 100; i < 1100; i++) {
            assertThat(apiKeys.verify(wrong(i), null).failure()).contains(Failure.INVALID_API_KEY);
        }
        assertThat(hasher.verifies.get()).isEqualTo(100);

        clock.advance(Duration.ofMinutes(15));
        apiKeys.verify(wrong(2000), null);
        assertThat(hasher.verifies.get()).isEqualTo(101);
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
        assertThat(hasher.verifies.get()).as("now locked out").isEqualTo(200);
    }
}
