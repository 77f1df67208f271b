package dev.apikey;

import dev.apikey.model.Check;
import dev.apikey.model.KeySpec;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

// README:policy:imports:start
import dev.apikey.ApiKeys;
import dev.apikey.model.Failure;
import java.util.Optional;
// README:policy:imports:end
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The host's own check: after scope, before the rate limit, its failure answered like a built-in one. */
class AccessPolicyTest {

    static final Failure NO_API_ACCESS = Failure.of("plan_without_api_access", 403, "Plan without API access",
            "Your plan does not include API access.", "Upgrade your plan in Settings > Billing.");

    private final AtomicReference<VerifyRequest> seen = new AtomicReference<>();
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2())
            .accessPolicy((key, request) -> {
                seen.set(request);
                if ("boom".equals(key.name())) {
                    throw new IllegalStateException("plan service down");
                }
                return "free".equals(key.metadata().get("plan")) ? Optional.of(NO_API_ACCESS) : Optional.empty();
            })
            .build();

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    private String create(String name, String plan, RateLimit limit) {
        KeySpec.Builder spec = KeySpec.builder(name).tenantId("92").scopes("events:read").metadata("plan", plan);
        if (limit != null) {
            spec.rateLimit(limit);
        }
        return apiKeys.create(spec.build()).plaintext();
    }

    /** The host's plan service, as the example in docs/CONFIGURATION.md names it. */
    interface Plans {
        boolean includesApi(String tenantId);
    }

    private static ApiKeys readmeExample(dev.apikey.spi.KeyStore store, ScopeCatalog scopes, Plans plans) {
        // README:policy:start
        Failure noApiAccess = Failure.of("plan_without_api_access", 403, "Plan without API access",
                "Your plan does not include API access.", "Upgrade your plan in Settings > Billing.");
        ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(scopes)
                .accessPolicy((key, request) -> plans.includesApi(key.tenantId().orElse(null))
                        ? Optional.empty() : Optional.of(noApiAccess))
                .build();
        // README:policy:end
        return apiKeys;
    }

    @Test
    void theReadmeExampleRefusesTenantsWithoutApiAccess() {
        try (ApiKeys readme = readmeExample(new InMemoryKeyStore(), TestKeys.SCOPES, "92"::equals)) {
            String paying = readme.create(KeySpec.builder("p").tenantId("92").scopes("events:read").build()).plaintext();
            String free = readme.create(KeySpec.builder("f").tenantId("93").scopes("events:read").build()).plaintext();

            assertThat(readme.verify(paying, "events:read").isGranted()).isTrue();
            assertThat(readme.verify(free, "events:read").failure()).contains(NO_API_ACCESS);
        }
    }

    @Test
    void theHostsFailureIsTheOutcomeWithItsCheck() {
        String key = create("free-tier", "free", null);

        Verification v = apiKeys.verify(VerifyRequest.header(key).scope("events:read").remoteAddress("192.0.2.1"));

        assertThat(v.failure()).contains(NO_API_ACCESS);
        assertThat(v.failedCheck()).contains(Check.POLICY);
        assertThat(v.detail()).contains("Your plan does not include API access.");
        assertThat(seen.get().scope()).contains("events:read");
        assertThat(seen.get().remoteAddress()).contains("192.0.2.1");
        assertThat(apiKeys.stats().verifies("plan_without_api_access")).isEqualTo(1);
        assertThat(apiKeys.verify(create("paid", "pro", null), "events:read").isGranted()).isTrue();
    }

    @Test
    void scopeIsCheckedFirstAndAPolicyRefusalTakesNoRateLimitToken() {
        String key = create("free-tier", "free", RateLimit.perMinute(1));
        assertThat(apiKeys.verify(key, "webhooks:write").failure()).contains(Failure.INSUFFICIENT_SCOPE);
        for (int i = 0; i < 3; i++) {
            assertThat(apiKeys.verify(key, "events:read").failure()).contains(NO_API_ACCESS);
        }
        assertThat(apiKeys.stats().rateLimited()).isZero();
    }

    @Test
    void aThrowingPolicyNeverGrantsAndIsAnsweredWithItsOwnCode() {
        String key = create("boom", "pro", null);

        Verification v = apiKeys.verify(key, null);

        // Its own code: an operator paged for store_unavailable would look at the wrong system.
        assertThat(v.failure().map(Failure::code)).contains("policy_unavailable");
        assertThat(v.failure()).contains(Failure.POLICY_UNAVAILABLE);
        assertThat(v.failedCheck()).contains(Check.POLICY);
        assertThat(v.retryAfter()).isPresent();
        assertThat(Failure.POLICY_UNAVAILABLE.httpStatus()).isEqualTo(503);
        assertThat(Failure.POLICY_UNAVAILABLE.isTransient()).isTrue();
        assertThat(Failure.POLICY_UNAVAILABLE.isBuiltIn()).isTrue();
        assertThat(apiKeys.stats().verifies("policy_unavailable")).isEqualTo(1);
        assertThat(apiKeys.stats().verifies("store_unavailable")).isZero();
    }

    @Test
    void hostFailuresAreCheckedNamingTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> Failure.of("Bad-Code", 403, "t", "d", "r"))
                .withMessageStartingWith("code ");
        assertThatIllegalArgumentException().isThrownBy(() -> Failure.of("invalid_api_key", 403, "t", "d", "r"))
                .withMessageContaining("built-in");
        assertThatIllegalArgumentException().isThrownBy(() -> Failure.of("plan", 200, "t", "d", "r"))
                .withMessageStartingWith("httpStatus ");
        assertThatIllegalArgumentException().isThrownBy(() -> Failure.of("plan", 403, "t\n", "d", "r"))
                .withMessageStartingWith("title ");
        assertThat(NO_API_ACCESS.isBuiltIn()).isFalse();
        assertThat(Failure.builtIns()).contains(Failure.NON_CANONICAL_PATH, Failure.API_KEY_IN_URL)
                .doesNotContain(NO_API_ACCESS);
    }
}
