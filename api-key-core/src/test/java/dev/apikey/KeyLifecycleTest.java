package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyAlreadyRotatedException;
import dev.apikey.model.KeyNotActiveException;
import dev.apikey.model.KeyNotFoundException;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.KeyStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyLifecycleTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private CountingKeyStore store;
    private ApiKeys apiKeys;

    @BeforeEach
    void setUp() {
        store = new CountingKeyStore();
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2())
                .clock(clock).build();
    }

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    private IssuedKey create(String name, String tenant) {
        return apiKeys.create(KeySpec.builder(name).tenantId(tenant).scopes("events:read", "webhooks:write")
                .metadata("env", "prod").metadata("owner", "team-crm").build());
    }

    @Test
    void createReturnsThePlaintextOnceAndStoresOnlyAHash() {
        IssuedKey issued = create("crm-sync-prod", "92");
        ApiKeyInfo info = issued.info();

        assertThat(issued.plaintext()).matches("wlcro_92_[0-9A-Za-z]{46}");
        assertThat(info.keyId()).isEqualTo(issued.plaintext().substring(9, 17));
        assertThat(info.hint()).isEqualTo("wlcro_92_" + info.keyId());
        assertThat(info.attributes().tenantId()).contains("92");
        assertThat(info.attributes().name()).isEqualTo("crm-sync-prod");
        assertThat(info.attributes().scopes()).containsExactly("events:read", "webhooks:write");
        assertThat(info.attributes().metadata()).containsExactly(Map.entry("env", "prod"), Map.entry("owner", "team-crm"));
        assertThat(info.createdAt()).isEqualTo(clock.instant());
        assertThat(info.attributes().expiresAt()).isEmpty();
        assertThat(info.revokedAt()).isEmpty();
        assertThat(info.isActive()).isTrue();
        String stored = store.delegate.findById(info.keyId()).orElseThrow().secretHash();
        assertThat(stored).startsWith("$argon2id$").doesNotContain(TestKeys.secretOf(issued.plaintext()));
        assertThat(apiKeys.verify(issued.plaintext(), "webhooks:write").isGranted()).isTrue();
    }

    @Test
    void tenantLessKeysHaveNoTenantSegment() {
        IssuedKey issued = apiKeys.create(KeySpec.builder("single").scopes("admin").build());

        assertThat(issued.plaintext()).matches("wlcro_[0-9A-Za-z]{46}");
        assertThat(issued.info().attributes().tenantId()).isEmpty();
        assertThat(apiKeys.verify(issued.plaintext(), "events:write").principal().orElseThrow().tenantId()).isEmpty();
    }

    @Test
    void getAndListByTenant() {
        IssuedKey a = create("a", "92");
        IssuedKey b = create("b", "92");
        create("c", "93");

        assertThat(apiKeys.get(a.info().keyId())).contains(a.info());
        assertThat(apiKeys.get("ZZZZZZZZ")).isEmpty();
        assertThat(apiKeys.list("92")).extracting(k -> k.attributes().name()).containsExactlyInAnyOrder("a", "b");
        assertThat(apiKeys.list("94")).isEmpty();
        assertThat(apiKeys.listAll()).hasSize(3);
        assertThat(apiKeys.isActive(b.info().keyId())).isTrue();
        assertThat(apiKeys.isActive("ZZZZZZZZ")).isFalse();
    }

    @Test
    void revokeRecordsTheTimeOnceAndRefusesTheKey() {
        IssuedKey issued = create("crm", "92");
        String id = issued.info().keyId();
        Instant first = clock.instant();

        ApiKeyInfo revoked = apiKeys.revoke(id);
        clock.advance(Duration.ofHours(1));
        ApiKeyInfo again = apiKeys.revoke(id);

        assertThat(revoked.revokedAt()).contains(first);
        assertThat(again.revokedAt()).contains(first);
        assertThat(revoked.status()).isEqualTo(ApiKeyInfo.Status.REVOKED);
        assertThat(apiKeys.isActive(id)).isFalse();
        assertThat(apiKeys.verify(issued.plaintext(), null).failure()).contains(Failure.REVOKED_API_KEY);
        assertThatExceptionOfType(KeyNotFoundException.class).isThrownBy(() -> apiKeys.revoke("ZZZZZZZZ"))
                .withMessage("no key with id ZZZZZZZZ");
    }

    @Test
    void rotateIssuesASiblingAndRetiresTheOldKeyAfterTheOverlap() {
        IssuedKey old = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read")
                .expiresAt(clock.instant().plus(Duration.ofDays(90))).metadata("env", "prod").build());
        clock.advance(Duration.ofDays(10));

        IssuedKey rotated = apiKeys.rotate(old.info().keyId(), Duration.ofHours(24));

        ApiKeyInfo info = rotated.info();
        assertThat(info.keyId()).isNotEqualTo(old.info().keyId());
        assertThat(info.attributes().tenantId()).contains("92");
        assertThat(info.attributes().name()).isEqualTo("crm");
        assertThat(info.attributes().scopes()).isEqualTo(old.info().attributes().scopes());
        assertThat(info.attributes().metadata()).isEqualTo(old.info().attributes().metadata());
        assertThat(info.attributes().expiresAt()).as("the old key's date, not its lifetime from now")
                .isEqualTo(old.info().attributes().expiresAt());
        assertThat(apiKeys.get(old.info().keyId()).orElseThrow().attributes().expiresAt())
                .contains(clock.instant().plus(Duration.ofHours(24)));

        assertThat(apiKeys.verify(old.plaintext(), "events:read").isGranted()).isTrue();
        assertThat(apiKeys.verify(rotated.plaintext(), "events:read").isGranted()).isTrue();
        clock.advance(Duration.ofHours(24));
        assertThat(apiKeys.verify(old.plaintext(), "events:read").failure()).contains(Failure.EXPIRED_API_KEY);
        assertThat(apiKeys.verify(rotated.plaintext(), "events:read").isGranted()).isTrue();
    }

    @Test
    void aKeyInItsOverlapIsExpiringAndOnlyTheNewestKeyRotates() {
        IssuedKey first = apiKeys.create(KeySpec.builder("crm").scopes("events:read").build());
        IssuedKey second = apiKeys.rotate(first.info().keyId(), Duration.ofDays(2));
        ApiKeyInfo replaced = apiKeys.get(first.info().keyId()).orElseThrow();
        assertThat(replaced.status()).isEqualTo(ApiKeyInfo.Status.EXPIRING);
        assertThat(replaced.isActive()).isTrue();
        assertThat(replaced.replacedBy()).contains(second.info().keyId());
        assertThat(second.info().status()).isEqualTo(ApiKeyInfo.Status.ACTIVE);
        assertThat(second.info().attributes().expiresAt()).as("the replacement does not inherit the overlap").isEmpty();

        assertThatExceptionOfType(KeyAlreadyRotatedException.class)
                .isThrownBy(() -> apiKeys.rotate(first.info().keyId(), Duration.ofHours(1)))
                .withMessage("key " + first.info().keyId() + " was rotated already: " + second.info().keyId()
                        + " replaced it and it works until " + replaced.attributes().expiresAt().orElseThrow() + "; rotate "
                        + second.info().keyId() + " instead")
                .satisfies(e -> assertThat(e.replacedBy()).isEqualTo(second.info().keyId()));
        assertThat(TestKeys.all(store.delegate)).as("no second successor").hasSize(2);
        assertThat(apiKeys.get(first.info().keyId()).orElseThrow().attributes().expiresAt()).isEqualTo(replaced.attributes().expiresAt());

        IssuedKey third = apiKeys.rotate(second.info().keyId(), Duration.ofHours(1));
        assertThat(third.info().attributes().expiresAt()).isEmpty();
        assertThat(apiKeys.verify(first.plaintext(), "events:read").isGranted()).isTrue();
        clock.advance(Duration.ofDays(2));
        assertThat(apiKeys.get(first.info().keyId()).orElseThrow().status()).isEqualTo(ApiKeyInfo.Status.EXPIRED);
        assertThat(apiKeys.verify(third.plaintext(), "events:read").isGranted()).isTrue();
    }

    @Test
    void rotateNeverExtendsTheOldKeyBeyondItsOwnExpiry() {
        Instant expiry = clock.instant().plus(Duration.ofHours(2));
        IssuedKey old = apiKeys.create(KeySpec.builder("crm").scopes("events:read").expiresAt(expiry).build());

        apiKeys.rotate(old.info().keyId(), Duration.ofDays(7));

        assertThat(apiKeys.get(old.info().keyId()).orElseThrow().attributes().expiresAt()).contains(expiry);
    }

    @Test
    void rotateRefusesRevokedExpiredAndUnknownKeys() {
        IssuedKey revoked = create("r", "92");
        apiKeys.revoke(revoked.info().keyId());
        IssuedKey expiring = apiKeys.create(KeySpec.builder("e").scopes("events:read")
                .expiresAt(clock.instant().plusSeconds(5)).build());
        clock.advance(Duration.ofSeconds(5));

        assertThatExceptionOfType(KeyNotActiveException.class)
                .isThrownBy(() -> apiKeys.rotate(revoked.info().keyId(), Duration.ZERO))
                .satisfies(e -> assertThat(e.status()).isEqualTo(ApiKeyInfo.Status.REVOKED));
        assertThatExceptionOfType(KeyNotActiveException.class)
                .isThrownBy(() -> apiKeys.rotate(expiring.info().keyId(), Duration.ZERO))
                .withMessageContaining("is expired");
        assertThatExceptionOfType(KeyNotFoundException.class)
                .isThrownBy(() -> apiKeys.rotate("ZZZZZZZZ", Duration.ZERO));
        assertThat(TestKeys.all(store.delegate)).hasSize(2);
    }

    @Test
    void badArgumentsAreRefusedWithTheArgumentAndRuleNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("")).withMessageStartingWith("name");
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("x".repeat(101)))
                .withMessage("name must be 1 to 100 characters, was 101");
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("evil\nname"))
                .withMessageContaining("printable");
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder(" padded"))
                .withMessageContaining("whitespace");
        assertThatNullPointerException().isThrownBy(() -> KeySpec.builder(null));
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("n").tenantId("9_2"))
                .withMessageStartingWith("tenantId");
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("n").metadata("bad key", "v"))
                .withMessageContaining("metadata key");
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("n").metadata("k", "\u0007"))
                .withMessageContaining("metadata value of 'k'");
        assertThatIllegalStateException().isThrownBy(() -> KeySpec.builder("n").build())
                .withMessageContaining("at least one scope");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.create(KeySpec.builder("n").scopes("admin")
                .expiresAt(clock.instant()).build())).withMessageStartingWith("expiresAt must be in the future");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.get("short")).withMessageStartingWith("keyId");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.list("")).withMessageStartingWith("tenantId");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.rotate("AAAAAAAA", Duration.ofSeconds(-1)))
                .withMessageStartingWith("overlap");
        assertThat(TestKeys.all(store.delegate)).isEmpty();
    }

    @Test
    void theBuilderNamesWhatIsMissingOrWrong() {
        assertThatIllegalStateException().isThrownBy(() -> ApiKeys.builder().build())
                .withMessage("ApiKeys needs prefix, store, scopes");
        assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.builder().prefix("k__live"))
                .withMessageStartingWith("prefix");
        assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.builder().prefix("1abc"))
                .withMessage("prefix must start with a letter");
        assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.builder().cacheMaxStaleness(Duration.ZERO))
                .withMessageStartingWith("cacheMaxStaleness");
        assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.builder().hashConcurrency(0))
                .withMessageStartingWith("hashConcurrency");
    }

    @Test
    void aFailedCreateLeavesNothingBehindAndSaysWhy() {
        store.down = true;

        assertThatExceptionOfType(KeyStoreException.class)
                .isThrownBy(() -> create("crm", "92"));

        store.down = false;
        assertThat(TestKeys.all(store.delegate)).isEmpty();
    }
}
