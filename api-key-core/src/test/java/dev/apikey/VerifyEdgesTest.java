package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The verify engine at edges its other tests pass by: rounding of waits, the catalog's first scope, the policy's view. */
class VerifyEdgesTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");

    private ApiKeysBuilder builder() {
        return ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).clock(clock);
    }

    @Test
    void aThrottledAttemptIsToldTheWholeSecondsLeftRoundedUp() {
        try (ApiKeys apiKeys = builder().failedAttemptLimit(3).failedAttemptCooldown(Duration.ofMinutes(15)).build()) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();
            for (int i = 0; i < 3; i++) {
                apiKeys.verify(TestKeys.withSecret(key, String.format("%032d", i)), null);
            }
            assertThat(apiKeys.verify(key, null).retryAfter()).contains(Duration.ofMinutes(15));
            clock.advance(Duration.ofMillis(500));
            assertThat(apiKeys.verify(key, null).retryAfter()).contains(Duration.ofMinutes(15));
            clock.advance(Duration.ofMillis(500));
            assertThat(apiKeys.verify(key, null).retryAfter()).contains(Duration.ofSeconds(899));
        }
    }

    @Test
    void aRateLimitedRequestIsToldTheWholeSecondsUntilItsNextToken() {
        try (ApiKeys apiKeys = builder().build()) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").rateLimit(RateLimit.perMinute(1))
                    .build()).plaintext();
            assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
            assertThat(apiKeys.verify(key, null).retryAfter()).contains(Duration.ofMinutes(1));
        }
    }

    @Test
    void theScopeRememberedFromTheLastVerifyNeverAnswersForAnother() {
        try (ApiKeys apiKeys = builder().build()) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();
            String sameText = new String("events:read".toCharArray());
            for (int i = 0; i < 3; i++) {
                assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
                assertThat(apiKeys.verify(key, "webhooks:write").failure()).contains(Failure.INSUFFICIENT_SCOPE);
                assertThat(apiKeys.verify(key, sameText).isGranted()).isTrue();
                assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> apiKeys.verify(key, "events:delete"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events:delete");
            assertThat(apiKeys.verify(key, "webhooks:write").missingScope()).contains("webhooks:write");
        }
    }

    @Test
    void theCatalogsFirstScopeIsCheckedLikeAnyOther() {
        try (ApiKeys apiKeys = builder().build()) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("webhooks:write").build()).plaintext();
            Verification v = apiKeys.verify(key, "events:read");
            assertThat(v.failure()).contains(Failure.INSUFFICIENT_SCOPE);
            assertThat(v.missingScope()).contains("events:read");
        }
    }

    @Test
    void everyOutcomeIsCountedTheFirstBuiltInCodeIncluded() {
        try (ApiKeys apiKeys = builder().build()) {
            apiKeys.verify((String) null, null);
            apiKeys.verify("Basic x", null);
            assertThat(apiKeys.stats().verifies(Failure.MISSING_API_KEY.code())).isEqualTo(1);
            assertThat(apiKeys.stats().verifies(Failure.MALFORMED_REQUEST.code())).isEqualTo(1);
        }
    }

    @Test
    void aPolicyCalledFromTheTwoArgumentVerifySeesTheRequestAsAsked() {
        AtomicReference<VerifyRequest> seen = new AtomicReference<>();
        try (ApiKeys apiKeys = builder().accessPolicy((k, request) -> {
            seen.set(request);
            return Optional.empty();
        }).build()) {
            String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
            assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
            assertThat(seen.get().scope()).contains("events:read");
            assertThat(seen.get().tenantId()).isEmpty();
            assertThat(seen.get().headerValue()).isEqualTo(key);
        }
    }

    @Test
    void aTransientPolicyFailureSaysWhenToRetryAndAPermanentOneDoesNot() {
        Failure busy = Failure.of("plan_service_busy", 503, "Plan service busy", "Try again shortly.", "Retry later.");
        Failure closed = Failure.of("plan_closed", 403, "Plan closed", "This plan has no API access.", "Upgrade.");
        try (ApiKeys apiKeys = builder().accessPolicy((k, request) ->
                Optional.of("busy".equals(k.name()) ? busy : closed)).build()) {
            String busyKey = apiKeys.create(KeySpec.builder("busy").scopes("events:read").build()).plaintext();
            String closedKey = apiKeys.create(KeySpec.builder("closed").scopes("events:read").build()).plaintext();
            Verification retry = apiKeys.verify(busyKey, null);
            assertThat(retry.failure()).contains(busy);
            assertThat(retry.retryAfter()).contains(Duration.ofSeconds(5));
            Verification refused = apiKeys.verify(closedKey, null);
            assertThat(refused.failure()).contains(closed);
            assertThat(refused.retryAfter()).isEmpty();
        }
    }
}
