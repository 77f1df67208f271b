package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.apikey.ApiKeys;
import dev.apikey.Failure;
import dev.apikey.IssuedKey;
import dev.apikey.KeySpec;
import dev.apikey.KeyUpdate;
import dev.apikey.RateLimit;
import dev.apikey.ScopeCatalog;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyChanges;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link KeyStore} must do. Each store runs this same suite: in memory, H2 and PostgreSQL.
 * {@link #newStore()} returns an empty store for each test.
 */
abstract class KeyStoreContract {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123Z");
    static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events")
            .scope("webhooks:write", "Write webhooks").superScope("admin", "All").build();

    KeyStore store;

    /** A fresh, empty store. */
    abstract KeyStore newStore();

    @BeforeEach
    void setUp() {
        store = newStore();
    }

    static StoredKey key(String id) {
        return StoredKey.builder(id).tenantId("92").name("crm-sync-prod").secretHash("$sha256$c2FsdA$" + id)
                .scopes(Set.of("events:read", "webhooks:write")).createdAt(T0).build();
    }

    @Test
    void insertedKeysComeBackWithEveryField() {
        StoredKey full = key("AAAAAAAA").toBuilder().name("Zürich — café ☕").expiresAt(T0.plusSeconds(3600))
                .lastUsedAt(T0.plusSeconds(5)).metadata(Map.of("env", "prod", "note", "Grüße \"quoted\""))
                .environment("prod").owner("team-crm@example.com").rotateBy(T0.plusSeconds(86400))
                .allowedAddresses(List.of("203.0.113.0/24", "2001:db8::/32")).rateLimit(RateLimit.perMinute(600))
                .quota(dev.apikey.Quota.perMonth(1_000_000)).build();
        StoredKey bare = StoredKey.builder("BBBBBBBB").name("bare").secretHash("$sha256$x$y").scopes(Set.of("admin"))
                .createdAt(T0).build();

        store.insert(full);
        store.insert(bare);

        assertThat(store.findById("AAAAAAAA")).contains(full);
        assertThat(store.findById("BBBBBBBB")).contains(bare);
        assertThat(store.findById("CCCCCCCC")).isEmpty();
    }

    @Test
    void aDuplicateIdIsRefusedAndTheFirstKeyStays() {
        store.insert(key("AAAAAAAA"));

        assertThatExceptionOfType(DuplicateKeyException.class)
                .isThrownBy(() -> store.insert(key("AAAAAAAA").toBuilder().name("other").build()))
                .satisfies(e -> assertThat(e.keyId()).isEqualTo("AAAAAAAA"));
        assertThat(store.findById("AAAAAAAA").orElseThrow().name()).isEqualTo("crm-sync-prod");
    }

    @Test
    void findByTenantAndFindAll() {
        store.insert(key("AAAAAAAA"));
        store.insert(key("BBBBBBBB"));
        store.insert(key("CCCCCCCC").toBuilder().tenantId("93").build());
        store.insert(key("DDDDDDDD").toBuilder().tenantId(null).build());

        assertThat(store.findByTenant("92")).extracting(StoredKey::keyId).containsExactlyInAnyOrder("AAAAAAAA",
                "BBBBBBBB");
        assertThat(store.findByTenant("94")).isEmpty();
        assertThat(store.findAll()).hasSize(4);
    }

    @Test
    void revokeKeepsTheFirstRevocationTime() {
        store.insert(key("AAAAAAAA"));

        assertThat(store.revoke("AAAAAAAA", T0.plusSeconds(10)).orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(store.revoke("AAAAAAAA", T0.plusSeconds(20)).orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(store.revoke("ZZZZZZZZ", T0)).isEmpty();
    }

    @Test
    void anEditSetsOnlyTheEditableFieldsAndMovesTheKeyOnTheChangeFeed() {
        StoredKey before = key("AAAAAAAA").toBuilder().expiresAt(T0.plusSeconds(3600)).metadata(Map.of("env", "prod"))
                .owner("team-crm").rateLimit(RateLimit.perMinute(60)).build();
        store.insert(before);
        long position = store.changeFeedPosition().orElseThrow();
        StoredKey edited = before.toBuilder().name("renamed").scopes(Set.of("admin")).expiresAt(null)
                .allowedAddresses(List.of("203.0.113.0/24")).rateLimit(null)
                // Not editable: these must stay as stored.
                .owner("someone-else").secretHash("$sha256$x$y").tenantId("93").build();

        StoredKey after = store.update(edited).orElseThrow();

        assertThat(after).isEqualTo(before.toBuilder().name("renamed").scopes(Set.of("admin")).expiresAt(null)
                .allowedAddresses(List.of("203.0.113.0/24")).rateLimit(null).build());
        assertThat(store.findById("AAAAAAAA")).contains(after);
        assertThat(store.changesSince(position).keyIds()).containsExactly("AAAAAAAA");
    }

    @Test
    void anEditOfARevokedOrMissingKeyChangesNothing() {
        store.insert(key("AAAAAAAA"));
        StoredKey revoked = store.revoke("AAAAAAAA", T0.plusSeconds(10)).orElseThrow();

        assertThat(store.update(revoked.toBuilder().name("renamed").build())).isEmpty();
        assertThat(store.update(key("ZZZZZZZZ"))).isEmpty();

        assertThat(store.findById("AAAAAAAA")).contains(revoked);
        assertThat(store.findById("ZZZZZZZZ")).isEmpty();
    }

    @Test
    void disableKeepsTheFirstTimeEnableClearsItAndBothMoveTheKeyOnTheChangeFeed() {
        store.insert(key("AAAAAAAA"));
        long start = store.changeFeedPosition().orElseThrow();

        StoredKey disabled = store.setDisabled("AAAAAAAA", T0.plusSeconds(10)).orElseThrow();
        assertThat(disabled).isEqualTo(key("AAAAAAAA").withDisabledAt(T0.plusSeconds(10)));
        assertThat(store.setDisabled("AAAAAAAA", T0.plusSeconds(20)).orElseThrow().disabledAt())
                .isEqualTo(T0.plusSeconds(10));
        KeyChanges afterDisable = store.changesSince(start);
        assertThat(afterDisable.keyIds()).containsExactly("AAAAAAAA");

        assertThat(store.setDisabled("AAAAAAAA", null).orElseThrow()).isEqualTo(key("AAAAAAAA"));
        assertThat(store.changesSince(afterDisable.position()).keyIds()).containsExactly("AAAAAAAA");
        long enabled = store.changeFeedPosition().orElseThrow();
        assertThat(store.setDisabled("AAAAAAAA", null).orElseThrow().disabledAt()).isNull();
        assertThat(store.changesSince(enabled).keyIds()).as("enabling an enabled key changes nothing").isEmpty();
        assertThat(store.setDisabled("ZZZZZZZZ", T0)).isEmpty();
    }

    @Test
    void aRevokedKeyIsNeitherDisabledNorEnabled() {
        store.insert(key("AAAAAAAA"));
        store.setDisabled("AAAAAAAA", T0.plusSeconds(5));
        StoredKey revoked = store.revoke("AAAAAAAA", T0.plusSeconds(10)).orElseThrow();

        assertThat(store.setDisabled("AAAAAAAA", null)).contains(revoked);
        assertThat(store.findById("AAAAAAAA").orElseThrow().disabledAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aNoticeIsRecordedOnceAndEveryCallerGetsTheFirstTime() {
        store.insert(key("AAAAAAAA"));

        assertThat(store.recordNotice("AAAAAAAA", "expires:2026-12-01T00:00:00Z:P7D", T0)).isEmpty();
        assertThat(store.recordNotice("AAAAAAAA", "expires:2026-12-01T00:00:00Z:P7D", T0)).as("same time, not first")
                .contains(T0);
        assertThat(store.recordNotice("AAAAAAAA", "expires:2026-12-01T00:00:00Z:P7D", T0.plusSeconds(60)))
                .contains(T0);
        assertThat(store.recordNotice("AAAAAAAA", "expires:2026-12-01T00:00:00Z:P1D", T0.plusSeconds(60)))
                .isEmpty();
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> store.recordNotice("AAAAAAAA", "has space", T0))
                .withMessage("notice must be 1 to 200 printable ASCII characters");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> store.recordNotice("AAAAAAAA", "x".repeat(201), T0));
    }

    @Test
    void dueAndUnusedKeysAreFoundByTheirDates() {
        Instant now = T0.plus(Duration.ofDays(100));
        store.insert(key("EXPIRING").toBuilder().expiresAt(now.plus(Duration.ofDays(3))).build());
        store.insert(key("ROTATEBY").toBuilder().rotateBy(now.plus(Duration.ofDays(5))).lastUsedAt(now).build());
        store.insert(key("FARAWAYY").toBuilder().expiresAt(now.plus(Duration.ofDays(30))).lastUsedAt(now).build());
        store.insert(key("EXPIREDD").toBuilder().expiresAt(now.minusSeconds(1)).build());
        store.insert(key("REVOKEDD").toBuilder().expiresAt(now.plus(Duration.ofDays(1))).build());
        store.revoke("REVOKEDD", T0);
        store.insert(key("DISABLED").toBuilder().lastUsedAt(T0.plus(Duration.ofDays(1))).build());
        store.setDisabled("DISABLED", T0.plus(Duration.ofDays(2)));
        store.insert(key("NEWWWWWW").toBuilder().createdAt(now.minus(Duration.ofDays(1))).build());
        store.insert(key("USEDLATE").toBuilder().lastUsedAt(now.minus(Duration.ofDays(1))).build());
        store.insert(key("IDLEIDLE").toBuilder().lastUsedAt(T0.plus(Duration.ofDays(2))).build());

        assertThat(store.findDueBefore(now, now.plus(Duration.ofDays(7)))).extracting(StoredKey::keyId)
                .containsExactlyInAnyOrder("EXPIRING", "ROTATEBY");
        assertThat(store.findUnusedSince(now.minus(Duration.ofDays(30)), now)).extracting(StoredKey::keyId)
                .containsExactlyInAnyOrder("EXPIRING", "IDLEIDLE");
    }

    @Test
    void aDisableThroughOneInstanceIsRefusedByAnotherWithinAPollOrTwoAndAnEnableBringsItBack()
            throws InterruptedException {
        try (ApiKeys a = apiKeys(); ApiKeys b = apiKeys()) {
            IssuedKey issued = a.create(KeySpec.builder("shared").tenantId("92").scopes("events:read").build());
            assertThat(b.verify(issued.plaintext(), "events:read").isGranted()).isTrue();

            a.disable(issued.info().keyId());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (b.verify(issued.plaintext(), "events:read").isGranted() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(b.verify(issued.plaintext(), "events:read").failure()).contains(Failure.DISABLED_API_KEY);

            a.enable(issued.info().keyId());
            deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!b.verify(issued.plaintext(), "events:read").isGranted() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(b.verify(issued.plaintext(), "events:read").isGranted()).isTrue();
        }
    }

    @Test
    void rotateInsertsTheReplacementAndShortensTheOldKeyAtomically() {
        store.insert(key("AAAAAAAA"));

        assertThat(store.rotate("AAAAAAAA", T0.plusSeconds(60), key("BBBBBBBB"))).isTrue();

        assertThat(store.findById("AAAAAAAA").orElseThrow().expiresAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.findById("AAAAAAAA").orElseThrow().replacedBy()).isEqualTo("BBBBBBBB");
        assertThat(store.findById("BBBBBBBB")).contains(key("BBBBBBBB"));
    }

    @Test
    void aReplacedKeyIsNotRotatedAgain() {
        store.insert(key("AAAAAAAA"));
        assertThat(store.rotate("AAAAAAAA", T0.plusSeconds(60), key("BBBBBBBB"))).isTrue();

        assertThat(store.rotate("AAAAAAAA", T0.plusSeconds(5), key("CCCCCCCC"))).isFalse();

        assertThat(store.findAll()).extracting(StoredKey::keyId).containsExactlyInAnyOrder("AAAAAAAA", "BBBBBBBB");
        StoredKey old = store.findById("AAAAAAAA").orElseThrow();
        assertThat(old.replacedBy()).isEqualTo("BBBBBBBB");
        assertThat(old.expiresAt()).as("the first overlap stays").isEqualTo(T0.plusSeconds(60));
        assertThat(store.rotate("BBBBBBBB", T0.plusSeconds(60), key("CCCCCCCC"))).as("the newest rotates").isTrue();
    }

    @Test
    void rotateOfAnUnknownOrRevokedKeyChangesNothing() {
        store.insert(key("AAAAAAAA"));
        store.revoke("AAAAAAAA", T0);

        assertThat(store.rotate("AAAAAAAA", T0.plusSeconds(60), key("BBBBBBBB"))).isFalse();
        assertThat(store.rotate("ZZZZZZZZ", T0.plusSeconds(60), key("CCCCCCCC"))).isFalse();
        assertThat(store.findAll()).extracting(StoredKey::keyId).containsExactly("AAAAAAAA");
        assertThat(store.findById("AAAAAAAA").orElseThrow().expiresAt()).isNull();
    }

    @Test
    void aRotationWhoseReplacementIdExistsRollsBackEntirely() {
        store.insert(key("AAAAAAAA"));
        store.insert(key("BBBBBBBB"));

        assertThatExceptionOfType(DuplicateKeyException.class)
                .isThrownBy(() -> store.rotate("AAAAAAAA", T0.plusSeconds(60), key("BBBBBBBB")));
        assertThat(store.findById("AAAAAAAA").orElseThrow().expiresAt()).as("old key untouched").isNull();
    }

    @Test
    void replaceHashIsACompareAndSet() {
        store.insert(key("AAAAAAAA"));
        String old = key("AAAAAAAA").secretHash();

        assertThat(store.replaceHash("AAAAAAAA", "$sha256$wrong$x", "$argon2id$new")).isFalse();
        assertThat(store.replaceHash("AAAAAAAA", old, "$argon2id$new")).isTrue();
        assertThat(store.findById("AAAAAAAA").orElseThrow().secretHash()).isEqualTo("$argon2id$new");
    }

    @Test
    void lastUseIsRecordedInOneBatchAndNeverMovesBackwards() {
        store.insert(key("AAAAAAAA"));
        store.insert(key("BBBBBBBB"));
        store.recordLastUsed(Map.of("AAAAAAAA", T0.plusSeconds(100), "BBBBBBBB", T0.plusSeconds(50), "ZZZZZZZZ", T0));

        store.recordLastUsed(Map.of("AAAAAAAA", T0.plusSeconds(90), "BBBBBBBB", T0.plusSeconds(60)));

        assertThat(store.findById("AAAAAAAA").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(100));
        assertThat(store.findById("BBBBBBBB").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.findById("ZZZZZZZZ")).isEmpty();
    }

    @Test
    void theChangeFeedListsCreatedRevokedAndRotatedKeys() {
        long start = store.changeFeedPosition().orElseThrow();
        store.insert(key("AAAAAAAA"));
        store.insert(key("BBBBBBBB"));
        KeyChanges first = store.changesSince(start);
        assertThat(first.keyIds()).containsExactlyInAnyOrder("AAAAAAAA", "BBBBBBBB");

        store.revoke("AAAAAAAA", T0);
        store.rotate("BBBBBBBB", T0.plusSeconds(5), key("CCCCCCCC"));
        store.recordLastUsed(Map.of("CCCCCCCC", T0));
        KeyChanges second = store.changesSince(first.position());

        assertThat(second.keyIds()).containsExactlyInAnyOrder("AAAAAAAA", "BBBBBBBB", "CCCCCCCC");
        assertThat(second.position()).isGreaterThan(first.position());
        assertThat(store.changesSince(second.position()).keyIds()).isEmpty();
    }

    @Test
    void aRevokeThroughOneInstanceIsRefusedByAnotherWithinAPollOrTwo() throws InterruptedException {
        try (ApiKeys a = apiKeys(); ApiKeys b = apiKeys()) {
            IssuedKey issued = a.create(KeySpec.builder("shared").tenantId("92").scopes("events:read").build());
            assertThat(b.verify(issued.plaintext(), "events:read").isGranted()).isTrue();

            a.revoke(issued.info().keyId());

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (b.verify(issued.plaintext(), "events:read").isGranted() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(b.verify(issued.plaintext(), "events:read").failure()).contains(Failure.REVOKED_API_KEY);
        }
    }

    @Test
    void anEditThroughOneInstanceIsSeenByAnotherWithinAPollOrTwo() throws InterruptedException {
        try (ApiKeys a = apiKeys(); ApiKeys b = apiKeys()) {
            IssuedKey issued = a.create(KeySpec.builder("shared").tenantId("92").scopes("events:read").build());
            assertThat(b.verify(issued.plaintext(), "events:read").isGranted()).isTrue();

            a.update(issued.info().keyId(), KeyUpdate.builder().scopes("webhooks:write").build());

            assertThat(a.verify(issued.plaintext(), "events:read").failure()).as("this instance at once")
                    .contains(Failure.INSUFFICIENT_SCOPE);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (b.verify(issued.plaintext(), "events:read").isGranted() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(b.verify(issued.plaintext(), "events:read").failure()).contains(Failure.INSUFFICIENT_SCOPE);
            assertThat(b.verify(issued.plaintext(), "webhooks:write").isGranted()).isTrue();
        }
    }

    ApiKeys apiKeys() {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(SCOPES).hasher(Sha256Hasher.create())
                .cacheMaxStaleness(Duration.ofMinutes(10)).changeFeedPollInterval(Duration.ofMillis(100)).build();
    }

    @Test
    void aPageHoldsTheFilteredKeysInByteOrderAfterTheCursor() {
        Instant now = T0.plusSeconds(86_400 * 400L);
        List<StoredKey> keys = PageKeys.varied(400, 30, now, "92", "93", null);
        keys.forEach(store::insert);

        for (Set<String> tenants : java.util.Arrays.asList(Set.of("92"), Set.of("92", "93"), Set.<String>of(),
                null)) {
            for (dev.apikey.spi.KeyFilter filter : PageKeys.filters(now, tenants)) {
                List<String> expected = keys.stream().filter(filter::matches).map(StoredKey::keyId).sorted().toList();
                assertThat(store.findPage(filter, 1000)).as(filter.toString()).extracting(StoredKey::keyId)
                        .containsExactlyElementsOf(expected);
                assertThat(store.findPage(filter, 3)).as(filter.toString()).extracting(StoredKey::keyId)
                        .containsExactlyElementsOf(expected.subList(0, Math.min(3, expected.size())));
            }
        }
        assertThat(keys).extracting(StoredKey::keyId).anyMatch(id -> Character.isLowerCase(id.charAt(0)))
                .anyMatch(id -> Character.isUpperCase(id.charAt(0)));
        assertThat(store.findPage(new dev.apikey.spi.KeyFilter(null, null, null, null, null, null, false, null, null,
                now), 1000)).as("every key, whole").containsExactlyInAnyOrderElementsOf(keys);
    }
}
