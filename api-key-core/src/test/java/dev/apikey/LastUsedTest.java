package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeySpec;
import dev.apikey.model.VerifyRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** lastUsedAt: recorded in memory on grants, written in batches, never on the request thread's account. */
class LastUsedTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final CountingKeyStore store = new CountingKeyStore();
    private ApiKeys apiKeys;

    @BeforeEach
    void setUp() {
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2())
                .clock(clock).lastUsedFlushInterval(Duration.ofHours(1)).build();
    }

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    private IssuedKey create(String name) {
        return apiKeys.create(KeySpec.builder(name).tenantId("92").scopes("events:read").build());
    }

    private Instant storedLastUse(IssuedKey k) {
        return store.delegate.findById(k.info().keyId()).orElseThrow().lastUsedAt();
    }

    @Test
    void grantsAreFlushedAsOneBatchWithOneTimePerKey() {
        IssuedKey a = create("a");
        IssuedKey b = create("b");
        IssuedKey unused = create("unused");
        for (int i = 0; i < 5; i++) {
            apiKeys.verify(a.plaintext(), "events:read");
            apiKeys.verify(b.plaintext(), "events:read");
            clock.advance(Duration.ofSeconds(2));
        }
        Instant lastA = clock.instant().minusSeconds(2);
        assertThat(store.lastUsedBatches).isEmpty();
        assertThat(apiKeys.get(a.info().keyId()).orElseThrow().lastUsedAt()).as("seen in memory").contains(lastA);

        apiKeys.flushLastUsed();

        assertThat(store.lastUsedBatches).hasSize(1);
        assertThat(store.lastUsedBatches.get(0)).containsOnlyKeys(a.info().keyId(), b.info().keyId());
        assertThat(storedLastUse(a)).isEqualTo(lastA);
        assertThat(storedLastUse(unused)).isNull();

        apiKeys.flushLastUsed();
        assertThat(store.lastUsedBatches).as("nothing new, nothing written").hasSize(1);
    }

    @Test
    void refusedVerifiesNeverTouchIt() {
        IssuedKey a = create("a");
        apiKeys.verify(TestKeys.withSecret(a.plaintext(), "n".repeat(32)), null);
        apiKeys.verify(a.plaintext(), "admin");
        apiKeys.verify(VerifyRequest.header(a.plaintext()).scope("events:read").tenantId("93"));

        apiKeys.flushLastUsed();

        assertThat(storedLastUse(a)).isNull();
        assertThat(apiKeys.get(a.info().keyId()).orElseThrow().lastUsedAt()).isEmpty();
    }

    @Test
    void aFailingStoreWriteNeverFailsAVerifyAndIsRetriedAtTheNextFlush() {
        IssuedKey a = create("a");
        assertThat(apiKeys.verify(a.plaintext(), null).isGranted()).isTrue();
        Instant used = clock.instant();
        store.down = true;

        apiKeys.flushLastUsed();
        assertThat(apiKeys.verify(a.plaintext(), null).isGranted()).as("cached key, store down").isTrue();
        store.down = false;
        apiKeys.flushLastUsed();

        assertThat(storedLastUse(a)).isEqualTo(used);
    }

    @Test
    void closeFlushes() {
        IssuedKey a = create("a");
        apiKeys.verify(a.plaintext(), null);

        apiKeys.close();

        assertThat(storedLastUse(a)).isEqualTo(clock.instant());
    }

    @Test
    void theStoredTimeNeverMovesBackwards() {
        IssuedKey a = create("a");
        Instant later = clock.instant().plusSeconds(3600);
        store.delegate.recordLastUsed(Map.of(a.info().keyId(), later));
        apiKeys.verify(a.plaintext(), null);

        apiKeys.flushLastUsed();

        assertThat(storedLastUse(a)).isEqualTo(later);
    }

    @Test
    void usesOfAKeyEvictedBeforeTheFlushAreKept() {
        IssuedKey a = create("a");
        apiKeys.verify(a.plaintext(), null);
        Instant used = clock.instant();
        apiKeys.revoke(a.info().keyId());

        apiKeys.flushLastUsed();

        assertThat(storedLastUse(a)).isEqualTo(used);
    }

    @Test
    void theRotationOverlapShowsWhetherTheOldKeyIsStillUsed() {
        IssuedKey old = create("crm");
        IssuedKey fresh = apiKeys.rotate(old.info().keyId(), Duration.ofHours(24));
        clock.advance(Duration.ofHours(1));
        apiKeys.verify(old.plaintext(), null);
        Instant oldUse = clock.instant();
        clock.advance(Duration.ofHours(1));
        apiKeys.verify(fresh.plaintext(), null);
        apiKeys.flushLastUsed();

        assertThat(apiKeys.get(old.info().keyId()).orElseThrow().lastUsedAt()).contains(oldUse);
        assertThat(apiKeys.list(KeyQuery.tenant("92").unusedSince(oldUse.plusSeconds(1))))
                .extracting(ApiKeyInfo::keyId).containsExactly(old.info().keyId());
    }

    @Test
    void theBackgroundFlushWritesWithoutBeingAsked() throws InterruptedException {
        ApiKeys background = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).lastUsedFlushInterval(Duration.ofMillis(100)).build();
        IssuedKey a = background.create(KeySpec.builder("a").scopes("events:read").build());
        background.verify(a.plaintext(), null);
        try {
            // Asserted before close(), which flushes anyway: only the background flush can make this true.
            Await.until("the background flush wrote the last use", () -> storedLastUse(a) != null);
        } finally {
            background.close();
        }
    }
}
