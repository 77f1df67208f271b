package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.KeyLimitReachedException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.OwnKeyException;
import dev.apikey.model.ScopeNotGrantableException;
import dev.apikey.model.StaleVersionException;
import dev.apikey.model.TooManyCreatesException;
import dev.apikey.spi.KeyWrite;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The core's management rules: grant ceilings, own keys, versions, the tenant cap and the creates per minute. */
class KeyManagerTest {

    private final MutableClock clock = MutableClock.at("2026-12-03T10:00:00Z");
    private final CountingKeyStore store = new CountingKeyStore();
    private ApiKeys apiKeys = build(ApiKeys.builder());

    private ApiKeys build(ApiKeysBuilder b) {
        return b.prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(Sha256Hasher.create()).clock(clock)
                .build();
    }

    @AfterEach
    void close() {
        apiKeys.close();
    }

    private ApiKeyInfo key(String tenant, String... scopes) {
        return apiKeys.create(KeySpec.builder("k").tenantId(tenant).scopes(scopes).build()).info();
    }

    private static Actor keyActor(ApiKeyInfo key) {
        return new Actor("key:" + key.hint(), GrantCeiling.scopes(key.attributes().scopes()), key.keyId());
    }

    /** Every key's id, version and status: what a refusal must leave as it was. */
    private List<String> snapshot() {
        return apiKeys.listAll().stream().map(k -> k.keyId() + "@" + k.version() + ":" + k.status()
                + k.attributes().scopes()).sorted().toList();
    }

    @Test
    void aKeyGrantsOnlyWhatItHoldsWithTheCatalogsImplications() {
        ApiKeyInfo manager = key("92", "events:*");
        KeyManager m = apiKeys.manage(keyActor(manager));
        List<String> before = snapshot();

        assertThatExceptionOfType(ScopeNotGrantableException.class)
                .isThrownBy(() -> m.create(KeySpec.builder("x").tenantId("92").scopes("events:read", "admin",
                        "webhooks:write").build()))
                .satisfies(e -> assertThat(e.scopes()).containsExactly("admin", "webhooks:write"));
        assertThat(snapshot()).isEqualTo(before);

        assertThat(m.create(KeySpec.builder("x").tenantId("92").scopes("events:read", "events:write").build()).info()
                .attributes().scopes()).containsExactly("events:read", "events:write");
    }

    @Test
    void onlyAHolderOfTheSuperScopeGrantsItAndAUserCeilingWithoutOneGrantsAllButIt() {
        KeyManager admin = apiKeys.manage(keyActor(key("92", "admin")));
        KeyManager user = apiKeys.manage(new Actor("user:alice", GrantCeiling.ordinaryScopes(), null));

        assertThat(admin.create(KeySpec.builder("x").tenantId("92").scopes("admin").build()).info().attributes()
                .scopes()).containsExactly("admin");
        assertThat(user.create(KeySpec.builder("x").tenantId("92").scopes("events:*", "webhooks:write").build())
                .info().isActive()).isTrue();
        assertThatExceptionOfType(ScopeNotGrantableException.class)
                .isThrownBy(() -> user.create(KeySpec.builder("x").tenantId("92").scopes("admin").build()))
                .satisfies(e -> assertThat(e.scopes()).containsExactly("admin"));
        assertThat(GrantCeiling.ordinaryScopes().grantable(TestKeys.SCOPES)).doesNotContain("admin")
                .contains("events:*", "events:read");
    }

    @Test
    void noEditRaisesAKeyAboveTheCeilingOrTheCallersOwnKey() {
        ApiKeyInfo manager = key("92", "events:read", "webhooks:write");
        ApiKeyInfo other = key("92", "events:read");
        ApiKeyInfo higher = key("92", "admin");
        KeyManager m = apiKeys.manage(keyActor(manager));
        List<String> before = snapshot();

        assertThatExceptionOfType(ScopeNotGrantableException.class).isThrownBy(() -> m.update(other.keyId(),
                KeyUpdate.builder().scopes("events:read", "admin").build()))
                .satisfies(e -> assertThat(e.scopes()).containsExactly("admin"));
        assertThatExceptionOfType(OwnKeyException.class).isThrownBy(() -> m.update(manager.keyId(),
                KeyUpdate.builder().scopes("events:read").build()));
        assertThatExceptionOfType(ScopeNotGrantableException.class).isThrownBy(() -> m.update(higher.keyId(),
                KeyUpdate.builder().name("renamed").build()));
        assertThatExceptionOfType(ScopeNotGrantableException.class)
                .isThrownBy(() -> m.rotate(higher.keyId(), Duration.ZERO));
        apiKeys.disable(higher.keyId());
        List<String> disabled = snapshot();
        assertThatExceptionOfType(ScopeNotGrantableException.class).isThrownBy(() -> m.enable(higher.keyId()));
        assertThat(snapshot()).isEqualTo(disabled);

        // Taking a key out of use needs no ceiling; rotating itself is what a rotation job does.
        assertThat(m.revoke(higher.keyId()).status()).isEqualTo(ApiKeyInfo.Status.REVOKED);
        assertThat(m.rotate(manager.keyId(), Duration.ofHours(1)).info().attributes().scopes())
                .containsExactly("events:read", "webhooks:write");
        assertThat(snapshot()).hasSize(before.size() + 1);
    }

    @Test
    void aChangeBasedOnAnOldVersionIsRefusedAndWritesNothing() {
        ApiKeyInfo key = key("92", "events:read");
        KeyManager alice = apiKeys.manage(Actor.HOST).ifVersion(key.version());
        KeyManager bob = apiKeys.manage(Actor.HOST).ifVersion(key.version());

        ApiKeyInfo edited = bob.update(key.keyId(), KeyUpdate.builder().name("bob's").build());
        List<String> before = snapshot();

        assertThatExceptionOfType(StaleVersionException.class)
                .isThrownBy(() -> alice.update(key.keyId(), KeyUpdate.builder().name("alice's").build()))
                .satisfies(e -> {
                    assertThat(e.expected()).isEqualTo(key.version());
                    assertThat(e.actual()).isEqualTo(edited.version());
                });
        assertThatExceptionOfType(StaleVersionException.class).isThrownBy(() -> alice.revoke(key.keyId()));
        assertThatExceptionOfType(StaleVersionException.class).isThrownBy(() -> alice.disable(key.keyId()));
        assertThatExceptionOfType(StaleVersionException.class)
                .isThrownBy(() -> alice.rotate(key.keyId(), Duration.ZERO));
        assertThat(snapshot()).isEqualTo(before);
        assertThat(apiKeys.get(key.keyId()).orElseThrow().attributes().name()).isEqualTo("bob's");
        assertThat(apiKeys.manage(Actor.HOST).ifVersion(edited.version()).revoke(key.keyId()).status())
                .isEqualTo(ApiKeyInfo.Status.REVOKED);
    }

    @Test
    void aTenantHoldsAtMostItsCapOfLiveKeysDisabledOnesIncluded() {
        apiKeys.close();
        apiKeys = build(ApiKeys.builder().maxLiveKeysPerTenant(2));
        KeyManager m = apiKeys.manage(new Actor("user:alice", GrantCeiling.everything(), null));
        KeySpec spec = KeySpec.builder("k").tenantId("92").scopes("events:read").build();
        ApiKeyInfo first = m.create(spec).info();
        m.disable(m.create(spec).info().keyId());
        key("93", "events:read");
        List<String> before = snapshot();

        assertThatExceptionOfType(KeyLimitReachedException.class).isThrownBy(() -> m.create(spec))
                .satisfies(e -> assertThat(e.limit()).isEqualTo(2));
        assertThat(snapshot()).isEqualTo(before);

        m.revoke(first.keyId());
        assertThat(m.create(spec).info().isActive()).isTrue();
        // The host's own code (imports, migrations) is not capped.
        assertThat(apiKeys.create(spec).info().isActive()).isTrue();
    }

    @Test
    void createsRacingForTheLastPlaceNeverGoOverTheCap() throws Exception {
        CyclicBarrier bothCounted = new CyclicBarrier(2);
        CyclicBarrier bothInserted = new CyclicBarrier(2);
        ThreadLocal<int[]> pages = ThreadLocal.withInitial(() -> new int[1]);
        InMemoryKeyStore memory = new InMemoryKeyStore();
        dev.apikey.spi.KeyStore racing = new dev.apikey.spi.KeyStore() {
            @Override
            public java.util.Optional<dev.apikey.spi.StoredKey> findById(String keyId) {
                return memory.findById(keyId);
            }

            @Override
            public List<dev.apikey.spi.StoredKey> findPage(dev.apikey.spi.KeyFilter filter, int limit) {
                List<dev.apikey.spi.StoredKey> page = memory.findPage(filter, limit);
                // A racer's second page ends its count before the write: both count before either writes.
                if (Thread.currentThread().getName().startsWith("racer") && ++pages.get()[0] == 2) {
                    await(bothCounted);
                }
                return page;
            }

            @Override
            public void write(List<KeyWrite> records) {
                memory.write(records);
                if (records.size() == 1 && records.get(0).key().version() == 1
                        && records.get(0).key().attributes().name().equals("racer")) {
                    await(bothInserted);
                }
            }
        };
        apiKeys.close();
        apiKeys = ApiKeys.builder().prefix("wlcro").store(racing).scopes(TestKeys.SCOPES)
                .hasher(Sha256Hasher.create()).clock(clock).maxLiveKeysPerTenant(2).build();
        key("92", "events:read");
        KeySpec racer = KeySpec.builder("racer").tenantId("92").scopes("events:read").build();
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "racer"));
        try {
            List<Future<IssuedKey>> racers = List.of(
                    pool.submit(() -> apiKeys.manage(Actor.HOST).create(racer)),
                    pool.submit(() -> apiKeys.manage(Actor.HOST).create(racer)));
            int refused = 0;
            for (Future<IssuedKey> f : racers) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(KeyLimitReachedException.class);
                    refused++;
                }
            }
            // Both wrote before either counted again: the later counter saw both and took its key back (the earlier
            // may have too); never more than the cap.
            assertThat(refused).isBetween(1, 2);
            assertThat(apiKeys.list("92").stream().filter(ApiKeyInfo::isActive)).hasSize(1 + 2 - refused);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anActorCreatesAtMostItsCreatesPerMinuteAndTheHostIsNotCounted() {
        apiKeys.close();
        apiKeys = build(ApiKeys.builder().createsPerMinute(2));
        KeyManager alice = apiKeys.manage(new Actor("user:alice", GrantCeiling.everything(), null));
        KeyManager bob = apiKeys.manage(new Actor("user:bob", GrantCeiling.everything(), null));
        KeySpec spec = KeySpec.builder("x").tenantId("92").scopes("events:read").build();
        alice.create(spec);
        alice.create(spec);
        List<String> before = snapshot();

        assertThatExceptionOfType(TooManyCreatesException.class).isThrownBy(() -> alice.create(spec))
                .satisfies(e -> assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30)));
        assertThat(snapshot()).isEqualTo(before);
        assertThat(bob.create(spec).info().isActive()).isTrue();
        assertThat(apiKeys.create(spec).info().isActive()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(alice.create(spec).info().isActive()).isTrue();
    }

    @Test
    void aKeyWithAnExpiryGivesNoKeyALongerLifeNotByCreateEditOrRotate() {
        java.time.Instant end = clock.instant().plus(Duration.ofDays(30));
        ApiKeyInfo manager = apiKeys.create(KeySpec.builder("m").tenantId("92").scopes("events:write", "events:read")
                .expiresAt(end).build()).info();
        ApiKeyInfo forever = key("92", "events:read");
        KeyManager m = apiKeys.manage(new Actor("key:" + manager.hint(), GrantCeiling.scopes(
                manager.attributes().scopes()), manager.keyId(), end));
        List<String> before = snapshot();

        assertThatExceptionOfType(dev.apikey.model.ExpiryBeyondCallerException.class)
                .isThrownBy(() -> m.create(KeySpec.builder("x").tenantId("92").scopes("events:read").build()));
        assertThatExceptionOfType(dev.apikey.model.ExpiryBeyondCallerException.class)
                .isThrownBy(() -> m.create(KeySpec.builder("x").tenantId("92").scopes("events:read")
                        .expiresAt(end.plusSeconds(1)).build()));
        assertThatExceptionOfType(dev.apikey.model.ExpiryBeyondCallerException.class)
                .isThrownBy(() -> m.rotate(forever.keyId(), Duration.ZERO));
        ApiKeyInfo shortLived = key("92", "events:read");
        assertThatExceptionOfType(dev.apikey.model.ExpiryBeyondCallerException.class)
                .isThrownBy(() -> m.update(forever.keyId(), KeyUpdate.builder().expiresAt(null).build()));
        assertThat(snapshot()).hasSize(before.size() + 1);

        assertThat(m.create(KeySpec.builder("x").tenantId("92").scopes("events:read").expiresAt(end).build()).info()
                .attributes().expiresAt()).contains(end);
        assertThat(m.update(shortLived.keyId(), KeyUpdate.builder().expiresAt(end.minusSeconds(60)).build())
                .attributes().expiresAt()).contains(end.minusSeconds(60));
        assertThat(m.rotate(manager.keyId(), Duration.ZERO).info().attributes().expiresAt()).contains(end);
    }
}
