package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.ApiKeyException;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.ApiKeyVerificationException;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every failure code, produced through the public API. */
class VerifyFailuresTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private CountingKeyStore store;
    private CountingHasher hasher;
    private ApiKeys apiKeys;
    private String key;

    @BeforeEach
    void setUp() {
        store = new CountingKeyStore();
        hasher = new CountingHasher(TestKeys.cheapArgon2());
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(hasher).clock(clock)
                .build();
        key = apiKeys.create(KeySpec.builder("crm-sync-prod").tenantId("92").scopes("events:read").build()).plaintext();
    }

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    private Failure failureOf(Verification v) {
        assertThat(v.isGranted()).as("granted").isFalse();
        assertThat(v.principal()).isEmpty();
        return v.failure().orElseThrow();
    }

    @Test
    void grantsTheKeyAsSentInEitherHeaderForm() {
        for (String header : new String[] {key, "Bearer " + key, "bearer  " + key, " \t" + key + " ", "BEARER\t" + key}) {
            Verification v = apiKeys.verify(header, "events:read");
            assertThat(v.isGranted()).as(header.replace(key, "<key>")).isTrue();
            ApiKeyPrincipal p = v.principal().orElseThrow();
            assertThat(p.tenantId()).contains("92");
            assertThat(p.name()).isEqualTo("crm-sync-prod");
            assertThat(p.scopes()).containsExactly("events:read");
            assertThat(p.hint()).startsWith("wlcro_92_").hasSize("wlcro_92_".length() + 8);
            assertThat(v.failure()).isEmpty();
        }
    }

    @Test
    void missingApiKeyWhenHeaderAbsentBlankOrBareScheme() {
        for (String header : new String[] {null, "", "   ", "\t", "Bearer", "bearer  "}) {
            Verification v = apiKeys.verify(header, "events:read");
            assertThat(failureOf(v)).isEqualTo(Failure.MISSING_API_KEY);
            assertThat(Failure.MISSING_API_KEY.httpStatus()).isEqualTo(401);
        }
    }

    @Test
    void malformedRequestForControlCharactersSeveralKeysOtherSchemesAndOverlongHeaders() {
        String[] headers = {
            key + "\n", key.substring(0, 10) + "\r\n" + key.substring(10), key + "\u0000", key + "\u007f",
            key + "," + key, key + " " + key, "Bearer " + key + " " + key, "Basic " + key, "Token " + key,
            "Bearer" + "x".repeat(300), "a".repeat(257)
        };
        for (String header : headers) {
            assertThat(failureOf(apiKeys.verify(header, "events:read"))).isEqualTo(Failure.MALFORMED_REQUEST);
        }
        assertThat(Failure.MALFORMED_REQUEST.httpStatus()).isEqualTo(400);
    }

    @Test
    void malformedApiKeyForWrongShapeAlphabetOrChecksum() {
        String flipped = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        String[] headers = {
            "nonsense", key.substring(1 + key.indexOf('_')), key.substring(0, key.length() - 1), key + "x",
            flipped, key.replace('_', '-'), "\u201c" + key + "\u201d", key.substring(0, 20) + "!" + key.substring(21)
        };
        for (String header : headers) {
            assertThat(failureOf(apiKeys.verify(header, "events:read"))).as(header).isEqualTo(Failure.MALFORMED_API_KEY);
        }
    }

    @Test
    void wrongEnvironmentForAWellFormedKeyOfAnotherPrefix() {
        ApiKeys test = ApiKeys.builder().prefix("k_test").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).build();
        String testKey = test.create(KeySpec.builder("sandbox").scopes("events:read").build()).plaintext();
        ApiKeys live = ApiKeys.builder().prefix("k_live").store(store).scopes(TestKeys.SCOPES).hasher(hasher).build();

        assertThat(failureOf(live.verify(testKey, "events:read"))).isEqualTo(Failure.WRONG_ENVIRONMENT);
        assertThat(failureOf(live.verify(key, null))).isEqualTo(Failure.WRONG_ENVIRONMENT);
    }

    @Test
    void invalidApiKeyAlikeForUnknownIdAndWrongSecret() {
        String unknownId = TestKeys.withChecksum(key.substring(0, 9) + "ZZZZZZZZ" + TestKeys.secretOf(key));
        String wrongSecret = TestKeys.withSecret(key, "x".repeat(32));

        Verification unknown = apiKeys.verify(unknownId, "events:read");
        Verification wrong = apiKeys.verify(wrongSecret, "events:read");

        assertThat(failureOf(unknown)).isEqualTo(Failure.INVALID_API_KEY);
        assertThat(failureOf(wrong)).isEqualTo(Failure.INVALID_API_KEY);
        assertThat(unknown.detail()).isEqualTo(wrong.detail());
        assertThat(unknown.retryAfter()).isEqualTo(wrong.retryAfter());
        // Only the operator-facing check tells them apart.
        assertThat(unknown.failedCheck()).contains(Check.KEY_EXISTS);
        assertThat(wrong.failedCheck()).contains(Check.SECRET);
    }

    @Test
    void invalidApiKeyWhenTheTenantSegmentIsForgedWithAValidChecksum() {
        String otherTenant = TestKeys.withHead(key, "wlcro_93");
        String noTenant = TestKeys.withHead(key, "wlcro");

        assertThat(failureOf(apiKeys.verify(otherTenant, "events:read"))).isEqualTo(Failure.INVALID_API_KEY);
        assertThat(failureOf(apiKeys.verify(noTenant, "events:read"))).isEqualTo(Failure.INVALID_API_KEY);
        assertThat(hasher.verifies.get()).as("forged tenants are refused before hashing").isZero();
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
        assertThat(failureOf(apiKeys.verify(otherTenant, "events:read"))).as("and once the key is cached")
                .isEqualTo(Failure.INVALID_API_KEY);
        assertThat(failureOf(apiKeys.verify(noTenant, "events:read"))).isEqualTo(Failure.INVALID_API_KEY);
    }

    @Test
    void revokedApiKeyOnlyWhenTheSecretMatches() {
        String keyId = apiKeys.verify(key, null).principal().orElseThrow().keyId();
        apiKeys.revoke(keyId);

        assertThat(failureOf(apiKeys.verify(key, "events:read"))).isEqualTo(Failure.REVOKED_API_KEY);
        assertThat(failureOf(apiKeys.verify(TestKeys.withSecret(key, "y".repeat(32)), "events:read")))
                .isEqualTo(Failure.INVALID_API_KEY);
    }

    @Test
    void expiredApiKeyAtTheExpiryInstantNotAMillisecondBefore() {
        Instant expiry = clock.instant().plus(Duration.ofDays(30));
        String expiring = apiKeys.create(KeySpec.builder("short-lived").tenantId("92").scopes("events:read")
                .expiresAt(expiry).build()).plaintext();

        clock.set(expiry.minusMillis(1));
        assertThat(apiKeys.verify(expiring, "events:read").isGranted()).isTrue();

        clock.set(expiry);
        assertThat(failureOf(apiKeys.verify(expiring, "events:read"))).isEqualTo(Failure.EXPIRED_API_KEY);
        assertThat(failureOf(apiKeys.verify(TestKeys.withSecret(expiring, "z".repeat(32)), null)))
                .isEqualTo(Failure.INVALID_API_KEY);
    }

    @Test
    void tenantMismatchWhenTheResourceBelongsToAnotherTenant() {
        assertThat(apiKeys.verify(VerifyRequest.header(key).scope("events:read").tenantId("92")).isGranted()).isTrue();
        Verification v = apiKeys.verify(VerifyRequest.header(key).scope("events:read").tenantId("93"));
        assertThat(failureOf(v)).isEqualTo(Failure.TENANT_MISMATCH);
        assertThat(Failure.TENANT_MISMATCH.httpStatus()).isEqualTo(403);
    }

    @Test
    void insufficientScopeNamesTheMissingScope() {
        Verification v = apiKeys.verify(key, "webhooks:write");

        assertThat(failureOf(v)).isEqualTo(Failure.INSUFFICIENT_SCOPE);
        assertThat(v.missingScope()).contains("webhooks:write");
        assertThat(v.detail()).hasValueSatisfying(d -> assertThat(d).contains("'webhooks:write'"));
    }

    @Test
    void storeUnavailableWhenTheStoreFailsOnAMissNeverInvalid() {
        store.down = true;

        Verification v = apiKeys.verify(key, "events:read");

        assertThat(failureOf(v)).isEqualTo(Failure.STORE_UNAVAILABLE);
        assertThat(Failure.STORE_UNAVAILABLE.httpStatus()).isEqualTo(503);
        assertThat(Failure.STORE_UNAVAILABLE.isTransient()).isTrue();
        assertThat(v.retryAfter()).isPresent();
    }

    @Test
    void overloadedWhenEveryHashSlotIsTakenNeverAQueue() throws Exception {
        ApiKeys narrow = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(hasher)
                .clock(clock).hashConcurrency(1).hashQueueTimeout(Duration.ZERO).build();
        String other = narrow.create(KeySpec.builder("other").tenantId("92").scopes("events:read").build()).plaintext();
        CountDownLatch gate = new CountDownLatch(1);
        hasher.verifyGate = gate;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Verification> first = pool.submit(() -> narrow.verify(key, "events:read"));
            while (hasher.verifies.get() == 0) {
                Thread.onSpinWait();
            }
            Verification v = narrow.verify(other, "events:read");

            assertThat(failureOf(v)).isEqualTo(Failure.OVERLOADED);
            assertThat(v.retryAfter()).contains(Duration.ofSeconds(1));
            gate.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).isGranted()).isTrue();
            assertThat(narrow.verify(other, "events:read").isGranted()).isTrue();
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void verifyOrThrowThrowsOneExceptionTypeCarryingTheFailure() {
        assertThat(apiKeys.verifyOrThrow(key, "events:read").tenantId()).contains("92");
        assertThatExceptionOfType(ApiKeyVerificationException.class)
                .isThrownBy(() -> apiKeys.verifyOrThrow(key, "admin"))
                .satisfies(e -> assertThat(e.failure()).isEqualTo(Failure.INSUFFICIENT_SCOPE))
                .isInstanceOf(ApiKeyException.class);
    }

    @Test
    void anUndeclaredRequiredScopeIsAHostBugAndThrows() {
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.verify(key, "event:read"))
                .withMessageContaining("requiredScope 'event:read' is not declared");
    }

    @Test
    void everyFailureHasACodeStatusTitleDetailAndResolution() {
        for (Failure f : Failure.builtIns()) {
            assertThat(f.code()).matches("[a-z_]+");
            assertThat(f.httpStatus()).isIn(400, 401, 403, 429, 503);
            assertThat(f.title()).isNotBlank();
            assertThat(f.detail()).isNotBlank();
            assertThat(f.resolution()).isNotBlank();
        }
    }
}
