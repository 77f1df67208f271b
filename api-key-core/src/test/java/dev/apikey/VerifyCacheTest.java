package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the cache promises: hits skip store and hash, staleness is bounded, outages are ridden out. */
class VerifyCacheTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private CountingKeyStore store;
    private CountingHasher hasher;
    private ApiKeys apiKeys;
    private String key;
    private String keyId;

    @BeforeEach
    void setUp() {
        store = new CountingKeyStore();
        hasher = new CountingHasher(TestKeys.cheapArgon2());
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(hasher).clock(clock)
                .cacheMaxStaleness(Duration.ofSeconds(30)).negativeCacheTtl(Duration.ofSeconds(2)).build();
        IssuedKey issued = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build());
        key = issued.plaintext();
        keyId = issued.info().keyId();
    }

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    @Test
    void aCacheHitNeedsNeitherStoreNorHash() {
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
        int finds = store.finds.get();
        int verifies = hasher.verifies.get();

        for (int i = 0; i < 1000; i++) {
            assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
        }

        assertThat(store.finds.get()).isEqualTo(finds);
        assertThat(hasher.verifies.get()).isEqualTo(verifies);
    }

    @Test
    void aWrongSecretOnACachedIdIsRefusedWithoutHashing() {
        apiKeys.verify(key, "events:read");
        int verifies = hasher.verifies.get();

        Verification v = apiKeys.verify(TestKeys.withSecret(key, "w".repeat(32)), "events:read");

        assertThat(v.failure()).contains(Failure.INVALID_API_KEY);
        assertThat(hasher.verifies.get()).isEqualTo(verifies);
    }

    @Test
    void unknownIdsAreRememberedBrieflyThenAskedAgain() {
        String unknown = TestKeys.withChecksum("wlcro_92_00000000" + "s".repeat(32));
        apiKeys.verify(unknown, null);
        apiKeys.verify(unknown, null);
        assertThat(store.finds.get()).isEqualTo(1);

        clock.advance(Duration.ofMillis(2001));
        apiKeys.verify(unknown, null);

        assertThat(store.finds.get()).isEqualTo(2);
        assertThat(hasher.verifies.get()).isZero();
    }

    @Test
    void aKeyCreatedAfterItsIdWasNegativelyCachedVerifiesAtOnce() throws Exception {
        // Two generators with the same seed: the first tells which key the second will issue.
        String predicted;
        try (ApiKeys oracle = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(hasher).secureRandom(seeded()).build()) {
            predicted = oracle.create(KeySpec.builder("new").scopes("events:read").build()).plaintext();
        }
        try (ApiKeys other = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(hasher)
                .clock(clock).secureRandom(seeded()).negativeCacheTtl(Duration.ofSeconds(60)).build()) {
            assertThat(other.verify(predicted, null).failure()).contains(Failure.INVALID_API_KEY);
            int finds = store.finds.get();
            assertThat(other.verify(predicted, null).failure()).contains(Failure.INVALID_API_KEY);
            assertThat(store.finds.get()).as("the unknown id is in the negative cache").isEqualTo(finds);

            String created = other.create(KeySpec.builder("new").scopes("events:read").build()).plaintext();

            assertThat(created).isEqualTo(predicted);
            // The lifecycle forgets the id it just wrote, so the negative entry cannot hide the new key.
            assertThat(other.verify(created, null).isGranted()).isTrue();
        }
    }

    private static java.security.SecureRandom seeded() throws java.security.NoSuchAlgorithmException {
        java.security.SecureRandom random = java.security.SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(42);
        return random;
    }

    @Test
    void aRevokeThroughAnotherInstanceIsSeenOnceTheStalenessWindowEnds() {
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
        dev.apikey.spi.StoredKey stored = store.delegate.findById(keyId).orElseThrow();
        store.delegate.replace(stored.withRevokedAt(clock.instant()), stored.version());

        clock.advance(Duration.ofSeconds(29));
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();

        clock.advance(Duration.ofSeconds(2));
        assertThat(apiKeys.verify(key, "events:read").failure()).contains(Failure.REVOKED_API_KEY);
    }

    @Test
    void cachedKeysKeepVerifyingThroughAStoreOutageForTheStalenessWindow() {
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
        store.down = true;

        clock.advance(Duration.ofSeconds(29));
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();

        clock.advance(Duration.ofSeconds(2));
        assertThat(apiKeys.verify(key, "events:read").failure()).contains(Failure.STORE_UNAVAILABLE);

        store.down = false;
        // The failed load is not tried again for a second, however many requests come (issue 30).
        assertThat(apiKeys.verify(key, "events:read").failure()).contains(Failure.STORE_UNAVAILABLE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
    }

    @Test
    void aFailedLoadIsNotCachedAsUnknown() {
        store.down = true;
        assertThat(apiKeys.verify(key, null).failure()).contains(Failure.STORE_UNAVAILABLE);
        store.down = false;
        clock.advance(Duration.ofSeconds(1));

        assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
    }

    @Test
    void expiryIsJudgedByTheClockEvenForCachedKeys() {
        Instant expiry = clock.instant().plusSeconds(10);
        String expiring = apiKeys.create(KeySpec.builder("soon").scopes("events:read").expiresAt(expiry).build())
                .plaintext();
        assertThat(apiKeys.verify(expiring, null).isGranted()).isTrue();

        clock.set(expiry);

        assertThat(apiKeys.verify(expiring, null).failure()).contains(Failure.EXPIRED_API_KEY);
    }
}
