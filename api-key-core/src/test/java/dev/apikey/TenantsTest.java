package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyLimitReachedException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.ScopeNotInPlanException;
import dev.apikey.model.Tenant;
import dev.apikey.model.Verification;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tenants first-class (issue 26 §5): a suspended tenant's keys are all refused with {@code tenant_suspended} until it
 * is resumed, on this instance at once and on another sharing the store through the change feed; a plan's scopes bound
 * what its keys are created with and granted; the record's cap of live keys replaces the builder's.
 */
class TenantsTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final ApiKeys apiKeys = build(store);

    private static ApiKeys build(InMemoryKeyStore store) {
        // A staleness of an hour: only the change feed can bring another instance's change within the test.
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2())
                .cacheMaxStaleness(Duration.ofHours(1)).changeFeedPollInterval(Duration.ofMillis(50)).build();
    }

    @AfterEach
    void close() {
        apiKeys.close();
    }

    private String key(String tenant, String... scopes) {
        return apiKeys.create(KeySpec.builder("k").tenantId(tenant).scopes(scopes).build()).plaintext();
    }

    @Test
    void suspendingATenantRefusesEveryKeyOfItAtOnceAndResumingRestoresThemUntouched() {
        String a = key("92", "events:read");
        String b = key("92", "events:write");
        String other = key("93", "events:read");
        assertThat(apiKeys.verify(a, "events:read").isGranted()).isTrue();
        ApiKeyInfo before = apiKeys.list("92").get(0);

        Tenant suspended = apiKeys.tenants().suspend("92");

        assertThat(suspended.status()).isEqualTo(Tenant.Status.SUSPENDED);
        for (String k : List.of(a, b)) {
            Verification v = apiKeys.verify(k, null);
            assertThat(v.failure()).contains(Failure.TENANT_SUSPENDED);
            assertThat(v.failedCheck()).contains(Check.TENANT_ACTIVE);
            assertThat(v.failure().orElseThrow().httpStatus()).isEqualTo(403);
        }
        assertThat(apiKeys.verify(other, "events:read").isGranted()).as("another tenant's key").isTrue();
        assertThat(apiKeys.verify(TestKeys.withSecret(a, "w".repeat(32)), null).failure())
                .as("a wrong secret says nothing of the tenant").contains(Failure.INVALID_API_KEY);

        apiKeys.tenants().resume("92");

        assertThat(apiKeys.verify(a, "events:read").isGranted()).isTrue();
        assertThat(apiKeys.verify(b, "events:write").isGranted()).isTrue();
        assertThat(apiKeys.get(before.keyId()).orElseThrow()).as("the key itself was not changed")
                .satisfies(after -> assertThat(after.version()).isEqualTo(before.version()))
                .satisfies(after -> assertThat(after.status()).isEqualTo(ApiKeyInfo.Status.ACTIVE))
                .satisfies(after -> assertThat(after.attributes()).isEqualTo(before.attributes()));
        assertThat(apiKeys.tenants().get("92").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aDisabledKeyOfASuspendedTenantIsRefusedAsDisabledTheEarlierCheck() {
        String k = key("92", "events:read");
        apiKeys.disable(apiKeys.list("92").get(0).keyId());
        apiKeys.tenants().suspend("92");
        assertThat(apiKeys.verify(k, null).failure()).contains(Failure.DISABLED_API_KEY);
    }

    @Test
    void aSuspensionReachesAnotherInstanceSharingTheStoreThroughTheChangeFeed() {
        String k = key("92", "events:read");
        try (ApiKeys other = build(store)) {
            assertThat(other.verify(k, "events:read").isGranted()).as("cached on the other instance").isTrue();

            apiKeys.tenants().suspend("92");
            Await.until("the other instance refuses the suspended tenant's key",
                    () -> other.verify(k, "events:read").failure().filter(Failure.TENANT_SUSPENDED::equals)
                            .isPresent());

            apiKeys.tenants().resume("92");
            Await.until("the other instance grants it again", () -> other.verify(k, "events:read").isGranted());
        }
    }

    @Test
    void aScopeTakenOutOfThePlanIsNoLongerGrantedAndSaysSo() {
        String k = key("92", "events:read", "events:write");
        assertThat(apiKeys.verify(k, "events:write").isGranted()).isTrue();

        apiKeys.tenants().setPlanScopes("92", List.of("events:read", "webhooks:write"));

        Verification refused = apiKeys.verify(k, "events:write");
        assertThat(refused.failure()).contains(Failure.SCOPE_NOT_IN_PLAN);
        assertThat(refused.failedCheck()).contains(Check.PLAN);
        Verification granted = apiKeys.verify(k, "events:read");
        assertThat(granted.isGranted()).isTrue();
        assertThat(granted.principal().orElseThrow().hasScope("events:write")).as("the principal lacks it too")
                .isFalse();
        assertThat(granted.principal().orElseThrow().scopes()).containsExactly("events:read");
        assertThat(apiKeys.verify(k, "webhooks:write").failure()).as("in the plan, not held by the key")
                .contains(Failure.INSUFFICIENT_SCOPE);

        apiKeys.tenants().setPlanScopes("92", List.of());
        assertThat(apiKeys.verify(k, "events:write").isGranted()).as("no plan: no restriction").isTrue();
    }

    @Test
    void aPlanWithAWildcardIncludesTheScopesItImplies() {
        apiKeys.tenants().setPlanScopes("92", List.of("events:*"));
        String k = key("92", "events:read");
        assertThat(apiKeys.verify(k, "events:read").isGranted()).isTrue();
        assertThatExceptionOfType(ScopeNotInPlanException.class).isThrownBy(() -> key("92", "webhooks:write"));
    }

    @Test
    void aKeyWithAScopeOutsideThePlanIsNotCreatedEditedOrRotatedAndTheRefusalNamesTheScopes() {
        String k = key("92", "events:read", "events:write");
        String keyId = apiKeys.list("92").get(0).keyId();
        apiKeys.tenants().setPlanScopes("92", List.of("events:read"));

        assertThatExceptionOfType(ScopeNotInPlanException.class)
                .isThrownBy(() -> key("92", "events:read", "webhooks:write", "integrations:read"))
                .satisfies(e -> assertThat(e.scopes()).containsExactly("integrations:read", "webhooks:write"))
                .satisfies(e -> assertThat(e.tenantId()).isEqualTo("92"))
                .withMessageContaining("webhooks:write");
        assertThat(apiKeys.list("92")).as("nothing was created").hasSize(1);

        assertThatExceptionOfType(ScopeNotInPlanException.class).isThrownBy(() -> apiKeys.update(keyId,
                KeyUpdate.builder().scopes("events:read", "webhooks:write").build()))
                .satisfies(e -> assertThat(e.scopes()).containsExactly("webhooks:write"));
        assertThatExceptionOfType(ScopeNotInPlanException.class)
                .isThrownBy(() -> apiKeys.rotate(keyId, Duration.ZERO))
                .satisfies(e -> assertThat(e.scopes()).containsExactly("events:write"));
        assertThat(apiKeys.get(keyId).orElseThrow().version()).as("nothing was written").isEqualTo(1);

        apiKeys.update(keyId, KeyUpdate.builder().scopes("events:read").build());
        assertThat(apiKeys.rotate(keyId, Duration.ZERO).info().attributes().scopes()).containsExactly("events:read");
        assertThat(key("93", "webhooks:write")).as("another tenant has no plan").isNotNull();
        assertThat(apiKeys.verify(k, "events:read").failure()).as("the rotated key ended with no overlap")
                .contains(Failure.EXPIRED_API_KEY);
    }

    @Test
    void theRecordsCapOfLiveKeysReplacesTheBuildersForThatTenant() {
        KeyManager manager = apiKeys.manage(Actor.HOST);
        apiKeys.tenants().setMaxLiveKeys("92", 2);
        manager.create(KeySpec.builder("a").tenantId("92").scopes("events:read").build());
        manager.create(KeySpec.builder("b").tenantId("92").scopes("events:read").build());

        assertThatExceptionOfType(KeyLimitReachedException.class)
                .isThrownBy(() -> manager.create(KeySpec.builder("c").tenantId("92").scopes("events:read").build()))
                .satisfies(e -> assertThat(e.limit()).isEqualTo(2));
        assertThat(apiKeys.list("92")).hasSize(2);
        assertThat(apiKeys.tenants().maxLiveKeys("92")).isEqualTo(2);
        assertThat(apiKeys.tenants().maxLiveKeys("93")).as("no record: the builder's").isEqualTo(1_000);

        apiKeys.tenants().setMaxLiveKeys("92", 0);
        manager.create(KeySpec.builder("c").tenantId("92").scopes("events:read").build());
        assertThat(apiKeys.list("92")).hasSize(3);
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndChangeNothing() {
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.tenants().setPlanScopes("92", List.of("nope")))
                .withMessageContaining("planScopes").withMessageContaining("nope");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.tenants().setPlanScopes("92",
                List.of("bad scope"))).withMessageContaining("planScopes");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.tenants().setMaxLiveKeys("92", -1))
                .withMessageContaining("maxLiveKeys");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.tenants().setMaxLiveKeys("92", 1_000_001))
                .withMessageContaining("maxLiveKeys");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.tenants().suspend("9_2"))
                .withMessageContaining("tenantId");
        assertThat(apiKeys.tenants().get("92")).isEmpty();
    }

    @Test
    void aChangeThatChangesNothingWritesNothingAndOneUpdateChangesSeveralMembersAtOnce() {
        Tenant t = apiKeys.tenants().update("92", r -> r.withPlanScopes(Set.of("events:read")).withMaxLiveKeys(5)
                .withStatus(Tenant.Status.SUSPENDED));
        assertThat(t.version()).isEqualTo(1);
        assertThat(t.planScopes()).containsExactly("events:read");
        assertThat(t.maxLiveKeys()).isEqualTo(5);
        assertThat(t.suspended()).isTrue();
        assertThat(apiKeys.tenants().suspend("92")).isEqualTo(t);
    }

    @Test
    void aTenantsRecordReadBeforeASuspensionIsNotKeptAfterIt() throws Exception {
        GatedTenantStore gated = new GatedTenantStore();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (ApiKeys own = ApiKeys.builder().prefix("wlcro").store(gated).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).cacheMaxStaleness(Duration.ofHours(1)).build()) {
            String k = own.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
            own.tenants().setMaxLiveKeys("92", 5);
            java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
            gated.held = read;
            // A verify loads the key and reads the tenant's record (active), then is held before it uses it ...
            java.util.concurrent.Future<Verification> first = pool.submit(() -> own.verify(k, "events:read"));
            assertThat(read.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the record was read").isTrue();
            // ... while the tenant is suspended through this instance.
            own.tenants().suspend("92");
            gated.release.countDown();
            first.get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(own.verify(k, "events:read").failure()).as("the record read before is not kept")
                    .contains(Failure.TENANT_SUSPENDED);
        } finally {
            pool.shutdownNow();
        }
    }
}
