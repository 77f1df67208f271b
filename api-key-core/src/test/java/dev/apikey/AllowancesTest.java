package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Tenant;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.Metered;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call is counted against every allowance of its key and of its tenant, all or none, at the cost the request names;
 * the most constrained refuses, by name; a tenant's allowances are shared by all its keys.
 */
class AllowancesTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final LocalMeter meter = new LocalMeter();
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2()).clock(clock).meter(meter).build();

    @AfterEach
    void close() {
        apiKeys.close();
    }

    private Verification call(String key, long cost) {
        return apiKeys.verify(VerifyRequest.header(key).cost(cost));
    }

    @Test
    void aKeyWithABurstLimitAndADailyQuotaIsRefusedByTheMostConstrainedByName() {
        String key = apiKeys.create(KeySpec.builder("crm").scopes("events:read")
                .allowance(RateLimit.perSecond(3).named("burst")).allowance(Quota.perDay(5)).build()).plaintext();

        for (int i = 0; i < 3; i++) {
            assertThat(call(key, 1).isGranted()).isTrue();
        }
        Verification burst = call(key, 1);
        assertThat(burst.failure()).contains(Failure.RATE_LIMITED);
        assertThat(burst.allowance()).contains(RateLimit.perSecond(3).named("burst"));
        assertThat(burst.detail()).hasValueSatisfying(d -> assertThat(d).contains("'burst'").startsWith("This key's"));

        clock.advance(Duration.ofSeconds(2));
        assertThat(call(key, 2).isGranted()).isTrue();
        Verification daily = call(key, 1);
        assertThat(daily.failure()).contains(Failure.QUOTA_EXCEEDED);
        assertThat(daily.failedCheck()).contains(Check.QUOTA);
        assertThat(daily.allowance()).contains(Quota.perDay(5));
        assertThat(daily.detail()).hasValueSatisfying(d -> assertThat(d).contains("'daily'"));
        assertThat(daily.retryAfter()).hasValueSatisfying(r -> assertThat(r).isPositive());
        assertThat(dev.apikey.model.Problem.of(daily).headers("api")).containsEntry("RateLimit-Policy",
                "\"daily\";q=5;w=86400").containsKey("RateLimit").containsKey("Retry-After");
        assertThat(dev.apikey.model.Problem.of(burst).headers("api")).containsEntry("RateLimit-Policy",
                "\"burst\";q=3;w=1");
    }

    @Test
    void aRefusedCallSpendsFromNoAllowance() {
        IssuedKey issued = apiKeys.create(KeySpec.builder("crm").scopes("events:read")
                .allowance(RateLimit.perMinute(100)).allowance(Quota.perDay(10)).build());
        String lineage = issued.info().keyId();

        assertThat(call(issued.plaintext(), 8).isGranted()).isTrue();
        assertThat(call(issued.plaintext(), 5).failure()).as("5 more than the quota's 2 left")
                .contains(Failure.QUOTA_EXCEEDED);

        long now = clock.millis();
        assertThat(meter.used(Metered.key(lineage, Quota.perDay(10)), now)).isEqualTo(8);
        assertThat(meter.used(Metered.key(lineage, RateLimit.perMinute(100)), now)).as("the refusal took no token")
                .isEqualTo(8);
        assertThat(call(issued.plaintext(), 2).isGranted()).as("what is left is there").isTrue();
        assertThat(apiKeys.get(lineage).orElseThrow().quotaRemaining()).hasValue(0);
    }

    @Test
    void aTenantsAllowanceIsSharedByAllItsKeysAndAChangeIsSeenAtOnce() {
        String a = apiKeys.create(KeySpec.builder("a").tenantId("92").scopes("events:read").build()).plaintext();
        String b = apiKeys.create(KeySpec.builder("b").tenantId("92").scopes("events:read").build()).plaintext();
        String other = apiKeys.create(KeySpec.builder("c").tenantId("93").scopes("events:read").build()).plaintext();
        assertThat(call(a, 1).isGranted()).as("cached before the tenant has a plan").isTrue();

        Tenant plan = apiKeys.setTenantAllowances("92", List.of(Quota.perMonth(4).named("plan")));
        assertThat(plan.version()).isEqualTo(1);
        assertThat(apiKeys.tenant("92")).contains(plan);

        assertThat(call(a, 2).isGranted()).isTrue();
        assertThat(call(b, 2).isGranted()).isTrue();
        Verification refused = call(b, 1);
        assertThat(refused.failure()).contains(Failure.QUOTA_EXCEEDED);
        assertThat(refused.detail()).hasValueSatisfying(d -> assertThat(d).startsWith("The tenant has").contains("'plan'"));
        assertThat(call(a, 1).failure()).as("the other key shares it").contains(Failure.QUOTA_EXCEEDED);
        assertThat(call(other, 5).isGranted()).as("another tenant's keys do not").isTrue();

        Tenant more = apiKeys.setTenantAllowances("92", List.of(Quota.perMonth(6).named("plan")));
        assertThat(more.version()).isEqualTo(2);
        assertThat(call(a, 2).isGranted()).as("the raised plan counts on from 4").isTrue();
        assertThat(call(a, 1).failure()).contains(Failure.QUOTA_EXCEEDED);
        assertThat(apiKeys.setTenantAllowances("92", List.of())).satisfies(t -> assertThat(t.allowances()).isEmpty());
        assertThat(call(a, 100).isGranted()).as("no plan, no limit").isTrue();
    }

    @Test
    void aKeyWithoutARateLimitOfItsOwnGetsItsTenantsDefaultCountedForItselfAlone() {
        try (ApiKeys keys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).clock(clock).defaultRateLimit("92", RateLimit.perMinute(2)).build()) {
            String a = keys.create(KeySpec.builder("a").tenantId("92").scopes("events:read").build()).plaintext();
            String b = keys.create(KeySpec.builder("b").tenantId("92").scopes("events:read").build()).plaintext();
            for (String key : List.of(a, a, b, b)) {
                assertThat(keys.verify(key, null).isGranted()).as("each key has its own 2").isTrue();
            }
            assertThat(keys.verify(a, null).failure()).contains(Failure.RATE_LIMITED);
        }
    }

    @Test
    void aKeyWithAsManyAllowancesAsTheModelAllowsTheDefaultRateLimitAndAFullTenantPlanIsStillEnforced() {
        try (ApiKeys keys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).clock(clock).meter(new LocalMeter())
                .defaultRateLimit("92", RateLimit.perMinute(1_000)).build()) {
            KeySpec.Builder spec = KeySpec.builder("full").tenantId("92").scopes("events:read");
            List<Quota> plan = new java.util.ArrayList<>();
            for (int i = 0; i < KeySpec.MAX_ALLOWANCES; i++) {
                spec.allowance(Quota.perDay(3 + i).named("own" + i));
                plan.add(Quota.perMonth(100 + i).named("plan" + i));
            }
            keys.setTenantAllowances("92", List.copyOf(plan));
            String key = keys.create(spec.build()).plaintext();

            // 8 of its own, the default rate limit (it has none of its own) and the tenant's 8: one batch of 17.
            for (int i = 0; i < 3; i++) {
                assertThat(keys.verify(VerifyRequest.header(key)).isGranted()).isTrue();
            }
            Verification refused = keys.verify(VerifyRequest.header(key));
            assertThat(refused.failure()).as("the tightest of the key's quotas, not a meter failure")
                    .contains(Failure.QUOTA_EXCEEDED);
            assertThat(refused.allowance()).contains(Quota.perDay(3).named("own0"));
            assertThat(keys.stats().rateLimiterFailures()).isZero();
        }
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndChangesNothing() {
        assertThatIllegalArgumentException().isThrownBy(() -> VerifyRequest.header("x").cost(0))
                .withMessage("cost must be 1 to 1000000, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(1, Duration.ofMillis(1_500)))
                .withMessage("period must be whole seconds, was PT1.5S");
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(1, Duration.ofMillis(999)))
                .withMessage("period must be 1 second to 1 day, was PT0.999S");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.setTenantAllowances("9_2", List.of()))
                .withMessageStartingWith("tenantId");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.setTenantAllowances("92",
                List.of(Quota.perDay(1), RateLimit.perSecond(1).named("daily")))).withMessageContaining("two are named 'daily'");
        assertThat(apiKeys.tenant("92")).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("k").allowance(Quota.perDay(1))
                .allowance(Quota.perMonth(1).named("daily"))).withMessageContaining("two are named 'daily'");
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> {
            try (ApiKeys plain = ApiKeys.builder().prefix("wlcro").store(new CountingKeyStore()).scopes(TestKeys.SCOPES)
                    .build()) {
                plain.setTenantAllowances("92", List.of(Quota.perDay(1)));
            }
        }).withMessageContaining("keeps no tenant records");
    }
}
