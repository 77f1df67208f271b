package dev.apikey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apikey.ApiKeys;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Tenant;
import dev.apikey.model.Verification;
import dev.apikey.spi.ChangeFeed;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyChanges;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.NoticeLog;
import dev.apikey.spi.StoredKey;
import dev.apikey.spi.TenantStore;
import dev.apikey.spi.VersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link KeyStore} must do, as a JUnit 5 test class to extend: this project runs it on its in-memory
 * store, H2 and PostgreSQL, and a store of your own (MongoDB, DynamoDB, Spanner) runs the same cases in your build.
 * Optional capabilities ({@link ChangeFeed}, {@link NoticeLog}) are tested where the store has them and skipped,
 * saying so, where it has not.
 *
 * <pre>{@code
 * class MongoKeyStoreContractTest extends KeyStoreContract {
 *     protected KeyStore newStore() {
 *         return new MongoKeyStore(freshCollection());   // empty for each test
 *     }
 * }
 * }</pre>
 *
 * The cases: every field comes back as written; a duplicate id is refused and changes nothing; pages are filtered by
 * {@link KeyFilter#matches} and cut in key id byte order; a replace at the expected version writes, at another (or
 * of a key that is gone) throws {@link VersionConflictException} and writes nothing; of racing replaces at one
 * version exactly one wins; a write of several records is all or nothing; the last use is a side write that never
 * moves back and changes no version; and, through two {@link ApiKeys} on one store, a revoke, a disable and an edit
 * on one are seen by the other within a poll or two.
 */
public abstract class KeyStoreContract {

    /** A fixed time the cases build their keys around, with milliseconds (stores keep millisecond precision). */
    protected static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123Z");
    /** The scopes the cases use; other tests of a store may use them too. */
    public static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events")
            .scope("webhooks:write", "Write webhooks").superScope("admin", "All").build();

    /** The store under test, made by {@link #newStore()} before each case. */
    protected KeyStore store;

    /** Extended by a test class per store. */
    protected KeyStoreContract() {
    }

    /** {@return a fresh, empty store} Called before each case. */
    protected abstract KeyStore newStore();

    /** Makes the store of the case. */
    @BeforeEach
    protected void setUpStore() {
        store = newStore();
    }

    /**
     * Closes the store if it is {@link AutoCloseable}.
     *
     * @throws Exception if closing it fails
     */
    @AfterEach
    protected void closeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /**
     * {@return a plain key of tenant 92 at version 1}
     *
     * @param id the key id
     */
    protected static StoredKey key(String id) {
        return StoredKey.builder(id).secretHash("$sha256$c2FsdA$" + id).createdAt(T0)
                .attributes(KeySpec.builder("crm-sync-prod").tenantId("92").scopes("events:read", "webhooks:write")
                        .build()).build();
    }

    /**
     * {@return the key at another version, every other field the same}
     *
     * @param k       the key
     * @param version the version
     */
    protected static StoredKey atVersion(StoredKey k, long version) {
        return StoredKey.builder(k.keyId()).secretHash(k.secretHash()).attributes(k.attributes())
                .createdAt(k.createdAt()).revokedAt(k.revokedAt()).disabledAt(k.disabledAt())
                .replacedBy(k.replacedBy()).lastUsedAt(k.lastUsedAt()).lineageId(k.lineageId()).version(version)
                .build();
    }

    private static StoredKey renamed(StoredKey k, String name) {
        return k.withAttributes(k.attributes().toBuilder().name(name).build());
    }

    private List<StoredKey> all() {
        return store.findPage(new KeyFilter(null, null, null, null, null, null, false, null, null, T0), 10_000);
    }

    @Test
    void insertedKeysComeBackWithEveryField() {
        StoredKey full = StoredKey.builder("AAAAAAAA").secretHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
                .createdAt(T0).lastUsedAt(T0.plusSeconds(5)).lineageId("ZZZZZZZZ")
                .attributes(KeySpec.builder("Zürich — café ☕").tenantId("92").scopes("events:read", "admin")
                        .expiresAt(T0.plusSeconds(3600)).environment("prod").owner("team-crm@example.com")
                        .rotateBy(T0.plusSeconds(86400)).metadata(Map.of("env", "prod", "note", "Grüße \"quoted\""))
                        .allowedAddresses("203.0.113.0/24", "2001:db8::/32").allowedCountries("de", "CH")
                        .allowance(RateLimit.perSecond(10).named("burst")).allowance(Quota.perMonth(1_000_000))
                        .build())
                .build();
        StoredKey bare = StoredKey.builder("BBBBBBBB").secretHash("$sha256$x$y").createdAt(T0)
                .attributes(KeySpec.builder("bare").scopes("admin").build()).build();

        store.insert(full);
        store.insert(bare);

        assertThat(store.findById("AAAAAAAA")).contains(full);
        assertThat(store.findById("BBBBBBBB")).contains(bare);
        assertThat(store.findById("CCCCCCCC")).isEmpty();
    }

    @Test
    void aTenantsRecordComesBackWithItsAllowancesAndCountriesAtItsVersion() {
        assumeTrue(store instanceof TenantStore, "the store keeps no tenant records");
        TenantStore tenants = (TenantStore) store;
        Tenant first = new Tenant("92", List.of(Quota.perDay(50).named("plan")), Set.of("de", "AT"), 1);
        tenants.writeTenant(first, 0);
        assertThat(tenants.findTenant("92")).contains(first);
        assertThat(tenants.findTenant("92").orElseThrow().allowedCountries()).containsExactly("AT", "DE");
        Tenant second = first.withAllowedCountries(Set.of());
        tenants.writeTenant(second, 1);
        assertThat(tenants.findTenant("92")).contains(second);
        assertThatExceptionOfType(VersionConflictException.class)
                .isThrownBy(() -> tenants.writeTenant(second.withAllowedCountries(Set.of("CH")), 1));
        assertThat(tenants.findTenant("92")).as("a stale write changes nothing").contains(second);
        assertThat(tenants.findTenant("93")).isEmpty();
    }

    @Test
    void aTenantsStatusPlanAndCapComeBackAndAnOlderRecordIsActiveWithoutAPlan() {
        assumeTrue(store instanceof TenantStore, "the store keeps no tenant records");
        TenantStore tenants = (TenantStore) store;
        Tenant plain = new Tenant("92", List.of(), 1);
        tenants.writeTenant(plain, 0);
        assertThat(tenants.findTenant("92")).contains(plain);
        assertThat(plain.status()).isEqualTo(Tenant.Status.ACTIVE);
        Tenant full = plain.withStatus(Tenant.Status.SUSPENDED).withPlanScopes(Set.of("events:read", "events:*"))
                .withMaxLiveKeys(20);
        tenants.writeTenant(full, 1);
        Tenant read = tenants.findTenant("92").orElseThrow();
        assertThat(read).isEqualTo(full);
        assertThat(read.planScopes()).containsExactly("events:*", "events:read");
        assertThat(read.suspended()).isTrue();
        assertThat(read.maxLiveKeys()).isEqualTo(20);
        Tenant resumed = read.withStatus(Tenant.Status.ACTIVE).withPlanScopes(Set.of()).withMaxLiveKeys(0);
        tenants.writeTenant(resumed, read.version());
        assertThat(tenants.findTenant("92")).contains(resumed);
    }

    @Test
    void theChangeFeedListsChangedTenantsBesideKeys() {
        assumeTrue(store instanceof TenantStore && store instanceof ChangeFeed,
                "the store keeps no tenant records or has no change feed");
        TenantStore tenants = (TenantStore) store;
        ChangeFeed feed = (ChangeFeed) store;
        long start = feed.changeFeedPosition();
        tenants.writeTenant(new Tenant("92", List.of(), 1), 0);
        store.insert(key("AAAAAAAA"));
        KeyChanges first = feed.changesSince(start);
        assertThat(first.tenantIds()).containsExactly("92");
        assertThat(first.keyIds()).containsExactly("AAAAAAAA");
        tenants.writeTenant(new Tenant("92", List.of(), 1).withStatus(Tenant.Status.SUSPENDED), 1);
        KeyChanges second = feed.changesSince(first.position());
        assertThat(second.tenantIds()).containsExactly("92");
        assertThat(second.keyIds()).isEmpty();
        assertThat(feed.changeFeedPosition()).as("a tenant's change moves the feed's end").isEqualTo(second.position());
        assertThat(feed.changesSince(second.position()).tenantIds()).isEmpty();
    }

    @Test
    void aDuplicateIdIsRefusedAndTheFirstKeyStays() {
        store.insert(key("AAAAAAAA"));

        assertThatExceptionOfType(DuplicateKeyException.class)
                .isThrownBy(() -> store.insert(atVersion(renamed(key("AAAAAAAA"), "other"), 1)))
                .satisfies(e -> assertThat(e.keyId()).isEqualTo("AAAAAAAA"));
        assertThat(store.findById("AAAAAAAA").orElseThrow().attributes().name()).isEqualTo("crm-sync-prod");
    }

    @Test
    void aReplaceAtTheExpectedVersionWritesAndAtAnotherChangesNothing() {
        store.insert(key("AAAAAAAA"));
        StoredKey v2 = renamed(key("AAAAAAAA"), "renamed");

        store.replace(v2, 1);
        assertThat(store.findById("AAAAAAAA")).contains(v2);

        assertThatExceptionOfType(VersionConflictException.class)
                .isThrownBy(() -> store.replace(renamed(key("AAAAAAAA"), "lost"), 1))
                .satisfies(e -> assertThat(e.keyId()).isEqualTo("AAAAAAAA"));
        assertThatExceptionOfType(VersionConflictException.class)
                .as("a replace of a key that is not there").isThrownBy(() -> store.replace(renamed(key("ZZZZZZZZ"), "x"), 1));
        assertThat(store.findById("AAAAAAAA")).contains(v2);
        assertThat(store.findById("ZZZZZZZZ")).isEmpty();
    }

    @Test
    void ofRacingReplacesAtOneVersionExactlyOneWins() throws Exception {
        store.insert(key("AAAAAAAA"));
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String name = "writer-" + i;
                outcomes.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        store.replace(renamed(key("AAAAAAAA"), name), 1);
                        return true;
                    } catch (VersionConflictException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> outcome : outcomes) {
                won += outcome.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
            StoredKey stored = store.findById("AAAAAAAA").orElseThrow();
            assertThat(stored.version()).isEqualTo(2);
            assertThat(stored.attributes().name()).startsWith("writer-");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWriteOfSeveralRecordsIsAllOrNothing() {
        store.insert(key("AAAAAAAA"));
        store.insert(key("BBBBBBBB"));
        StoredKey rotatedAway = key("AAAAAAAA").rotatedTo("CCCCCCCC", T0.plusSeconds(60));

        assertThatExceptionOfType(DuplicateKeyException.class).as("the second record's id exists")
                .isThrownBy(() -> store.write(List.of(KeyWrite.replace(rotatedAway, 1), KeyWrite.insert(key("BBBBBBBB")))));
        assertThat(store.findById("AAAAAAAA")).as("the first record rolled back").contains(key("AAAAAAAA"));

        assertThatExceptionOfType(VersionConflictException.class).as("the second record's version moved")
                .isThrownBy(() -> store.write(List.of(KeyWrite.insert(key("CCCCCCCC")), KeyWrite.replace(rotatedAway, 7))));
        assertThat(store.findById("CCCCCCCC")).as("the insert rolled back").isEmpty();

        store.write(List.of(KeyWrite.replace(rotatedAway, 1), KeyWrite.insert(key("CCCCCCCC"))));
        assertThat(store.findById("AAAAAAAA")).contains(rotatedAway);
        assertThat(store.findById("CCCCCCCC")).contains(key("CCCCCCCC"));
    }

    @Test
    void aWriteNamesEachKeyOnceAndHoldsAtLeastOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> store.write(List.of()))
                .withMessage("writes must hold at least one record");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.write(List.of(KeyWrite.insert(key("AAAAAAAA")), KeyWrite.insert(key("AAAAAAAA")))))
                .withMessage("writes must name each key id once");
        assertThat(all()).isEmpty();
    }

    @Test
    void aReplaceLeavesTheStoredLastUse() {
        store.insert(key("AAAAAAAA"));
        store.recordLastUsed(Map.of("AAAAAAAA", T0.plusSeconds(100)));

        store.replace(renamed(key("AAAAAAAA"), "renamed"), 1);

        StoredKey stored = store.findById("AAAAAAAA").orElseThrow();
        assertThat(stored.attributes().name()).isEqualTo("renamed");
        assertThat(stored.lastUsedAt()).isEqualTo(T0.plusSeconds(100));
    }

    @Test
    void lastUseIsRecordedInOneBatchNeverMovesBackwardsAndChangesNoVersion() {
        store.insert(key("AAAAAAAA"));
        store.insert(key("BBBBBBBB"));
        store.recordLastUsed(Map.of("AAAAAAAA", T0.plusSeconds(100), "BBBBBBBB", T0.plusSeconds(50), "ZZZZZZZZ", T0));

        store.recordLastUsed(Map.of("AAAAAAAA", T0.plusSeconds(90), "BBBBBBBB", T0.plusSeconds(60)));

        assertThat(store.findById("AAAAAAAA").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(100));
        assertThat(store.findById("BBBBBBBB").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.findById("BBBBBBBB").orElseThrow().version()).isEqualTo(1);
        assertThat(store.findById("ZZZZZZZZ")).isEmpty();
    }

    @Test
    void aPageHoldsTheFilteredKeysInByteOrderAfterTheCursor() {
        Instant now = T0.plusSeconds(86_400 * 400L);
        List<StoredKey> keys = SampleKeys.varied(400, 30, now, "92", "93", null);
        keys.forEach(store::insert);

        for (Set<String> tenants : Arrays.asList(Set.of("92"), Set.of("92", "93"), Set.<String>of(), null)) {
            for (KeyFilter filter : SampleKeys.filters(now, tenants)) {
                List<String> expected = keys.stream().filter(filter::matches).map(StoredKey::keyId).sorted().toList();
                assertThat(store.findPage(filter, 1000)).as(filter.toString()).extracting(StoredKey::keyId)
                        .containsExactlyElementsOf(expected);
                assertThat(store.findPage(filter, 3)).as(filter.toString()).extracting(StoredKey::keyId)
                        .containsExactlyElementsOf(expected.subList(0, Math.min(3, expected.size())));
            }
        }
        assertThat(keys).extracting(StoredKey::keyId).anyMatch(id -> Character.isLowerCase(id.charAt(0)))
                .anyMatch(id -> Character.isUpperCase(id.charAt(0)));
        assertThat(store.findPage(new KeyFilter(null, null, null, null, null, null, false, null, null, now), 1000))
                .as("every key, whole").containsExactlyInAnyOrderElementsOf(keys);
        assertThatIllegalArgumentException().isThrownBy(() -> store.findPage(SampleKeys.filters(now, null).get(0), 0));
    }

    @Test
    void pagesInEveryOrderFollowTheReferenceOrderWithoutValuesLast() {
        Instant now = T0.plusSeconds(86_400 * 400L);
        List<StoredKey> keys = SampleKeys.varied(300, 31, now, "92", "93", null);
        keys.forEach(store::insert);

        for (Set<String> tenants : Arrays.asList(Set.of("92"), null)) {
            for (KeyFilter filter : SampleKeys.sorted(now, tenants)) {
                List<String> expected = keys.stream().filter(filter::matches).sorted(filter.order())
                        .map(StoredKey::keyId).toList();
                assertThat(store.findPage(filter, 1000)).as(filter.toString()).extracting(StoredKey::keyId)
                        .containsExactlyElementsOf(expected);
                // Page by page from the keyset of each page's last row: the pages join up to the whole, in order.
                List<String> paged = new ArrayList<>();
                KeyFilter page = filter;
                for (int i = 0; i < 200; i++) {
                    List<StoredKey> rows = store.findPage(page, 7);
                    rows.forEach(k -> paged.add(k.keyId()));
                    if (rows.size() < 7) {
                        break;
                    }
                    page = filter.after(rows.get(rows.size() - 1));
                }
                assertThat(paged).as("paged " + filter).containsExactlyElementsOf(expected);
            }
        }
        KeyFilter byLastUse = SampleKeys.sorted(now, null).get(2 * KeyFilter.Sort.LAST_USED.ordinal() + 1);
        List<StoredKey> desc = store.findPage(byLastUse, 1000);
        assertThat(desc.get(0).lastUsedAt()).as("most recently used first").isNotNull();
        assertThat(desc.get(desc.size() - 1).lastUsedAt()).as("never used last, descending too").isNull();
    }

    @Test
    void theChangeFeedListsInsertedAndChangedKeysButNotUsesOrHashUpgrades() {
        assumeTrue(store instanceof ChangeFeed, store + " has no ChangeFeed (optional)");
        ChangeFeed feed = (ChangeFeed) store;
        long start = feed.changeFeedPosition();
        store.insert(key("AAAAAAAA"));
        store.insert(key("BBBBBBBB"));
        KeyChanges first = feed.changesSince(start);
        assertThat(first.keyIds()).containsExactlyInAnyOrder("AAAAAAAA", "BBBBBBBB");

        store.replace(key("AAAAAAAA").withRevokedAt(T0), 1);
        store.write(List.of(KeyWrite.replace(key("BBBBBBBB").rotatedTo("CCCCCCCC", T0.plusSeconds(5)), 1),
                KeyWrite.insert(key("CCCCCCCC"))));
        KeyChanges second = feed.changesSince(first.position());
        assertThat(second.keyIds()).containsExactlyInAnyOrder("AAAAAAAA", "BBBBBBBB", "CCCCCCCC");
        assertThat(second.position()).isGreaterThan(first.position());

        store.recordLastUsed(Map.of("CCCCCCCC", T0));
        store.replace(key("CCCCCCCC").withSecretHash("$argon2id$upgraded"), 1);
        assertThat(feed.changesSince(second.position()).keyIds()).as("a use and a hash upgrade are no changes")
                .isEmpty();
        assertThat(store.findById("CCCCCCCC").orElseThrow().secretHash()).isEqualTo("$argon2id$upgraded");
    }

    @Test
    void aNoticeIsRecordedOnceAndEveryCallerGetsTheFirstTime() {
        assumeTrue(store instanceof NoticeLog, store + " has no NoticeLog (optional)");
        NoticeLog notices = (NoticeLog) store;
        store.insert(key("AAAAAAAA"));

        assertThat(notices.recordNotice("AAAAAAAA", "expires:2026-12-01T00:00:00Z:P7D", T0)).isEmpty();
        assertThat(notices.recordNotice("AAAAAAAA", "expires:2026-12-01T00:00:00Z:P7D", T0)).as("same time, not first")
                .contains(T0);
        assertThat(notices.recordNotice("AAAAAAAA", "expires:2026-12-01T00:00:00Z:P7D", T0.plusSeconds(60)))
                .contains(T0);
        assertThat(notices.recordNotice("AAAAAAAA", "expires:2026-12-01T00:00:00Z:P1D", T0.plusSeconds(60)))
                .isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> notices.recordNotice("AAAAAAAA", "has space", T0))
                .withMessage("notice must be 1 to 200 printable ASCII characters");
        assertThatIllegalArgumentException().isThrownBy(() -> notices.recordNotice("AAAAAAAA", "x".repeat(201), T0));
    }

    /** {@return an {@link ApiKeys} on the store under test, polling its change feed often} */
    private ApiKeys apiKeys() {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(SCOPES).hasher(Sha256Hasher.create())
                .cacheMaxStaleness(Duration.ofMinutes(10)).changeFeedPollInterval(Duration.ofMillis(100)).build();
    }

    /** Asks until the answer is what it should be, for at most five seconds, and returns that answer. */
    private static Verification within5s(Supplier<Verification> ask, java.util.function.Predicate<Verification> done) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(ask::get, done::test);
    }

    @Test
    void aRevokeDisableAndEditThroughOneInstanceAreSeenByAnotherWithinAPollOrTwo() {
        assumeTrue(store instanceof ChangeFeed, store + " has no ChangeFeed (optional): other instances see changes "
                + "only when their cached copies go stale");
        try (ApiKeys a = apiKeys(); ApiKeys b = apiKeys()) {
            IssuedKey issued = a.create(KeySpec.builder("shared").tenantId("92").scopes("events:read").build());
            String id = issued.info().keyId();
            assertThat(b.verify(issued.plaintext(), "events:read").isGranted()).isTrue();

            a.update(id, KeyUpdate.builder().scopes("webhooks:write").build());
            assertThat(a.verify(issued.plaintext(), "events:read").failure()).as("this instance at once")
                    .contains(Failure.INSUFFICIENT_SCOPE);
            assertThat(within5s(() -> b.verify(issued.plaintext(), "events:read"), v -> !v.isGranted()).failure())
                    .contains(Failure.INSUFFICIENT_SCOPE);

            a.disable(id);
            assertThat(within5s(() -> b.verify(issued.plaintext(), "webhooks:write"), v -> !v.isGranted()).failure())
                    .contains(Failure.DISABLED_API_KEY);
            a.enable(id);
            assertThat(within5s(() -> b.verify(issued.plaintext(), "webhooks:write"), Verification::isGranted)
                    .isGranted()).isTrue();

            a.revoke(id);
            assertThat(within5s(() -> b.verify(issued.plaintext(), "webhooks:write"), v -> !v.isGranted()).failure())
                    .contains(Failure.REVOKED_API_KEY);
        }
    }

    @Test
    void aTenantSuspendedAndItsPlanChangedThroughOneInstanceAreSeenByAnotherWithinAPollOrTwo() {
        assumeTrue(store instanceof ChangeFeed && store instanceof TenantStore, store + " has no ChangeFeed or keeps "
                + "no tenant records (both optional)");
        try (ApiKeys a = apiKeys(); ApiKeys b = apiKeys()) {
            IssuedKey issued = a.create(KeySpec.builder("shared").tenantId("92").scopes("events:read", "webhooks:write")
                    .build());
            assertThat(b.verify(issued.plaintext(), "events:read").isGranted()).as("cached on b").isTrue();

            a.tenants().suspend("92");
            assertThat(a.verify(issued.plaintext(), "events:read").failure()).as("this instance at once")
                    .contains(Failure.TENANT_SUSPENDED);
            // Within the change feed's bound (2 s); five here, for a loaded build machine.
            assertThat(within5s(() -> b.verify(issued.plaintext(), "events:read"), v -> !v.isGranted()).failure())
                    .contains(Failure.TENANT_SUSPENDED);

            a.tenants().update("92", t -> t.withStatus(Tenant.Status.ACTIVE).withPlanScopes(Set.of("events:read")));
            assertThat(within5s(() -> b.verify(issued.plaintext(), "events:read"), Verification::isGranted)
                    .isGranted()).as("resumed: the key untouched").isTrue();
            assertThat(within5s(() -> b.verify(issued.plaintext(), "webhooks:write"), v -> !v.isGranted()).failure())
                    .contains(Failure.SCOPE_NOT_IN_PLAN);
        }
    }
}
