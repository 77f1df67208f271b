package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyNotActiveException;
import dev.apikey.model.KeyNotFoundException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.Verification;
import dev.apikey.spi.KeyEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Disable and enable: the refusal, said only after the secret matched; at once; events once; what stays final. */
class DisableTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2()).clock(clock)
            .listener(new KeyEventListener() {
                @Override
                public void disabled(ApiKeyInfo key, String reason) {
                    events.add("disabled " + key.keyId() + " " + reason);
                }

                @Override
                public void enabled(ApiKeyInfo key) {
                    events.add("enabled " + key.keyId());
                }
            }).build();

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    private IssuedKey create() {
        return apiKeys.create(KeySpec.builder("crm-sync").tenantId("92").scopes("events:read")
                .expiresAt(clock.instant().plus(Duration.ofDays(30))).build());
    }

    @Test
    void aDisabledKeyIsRefusedAtOnceAndAnEnabledOneWorksAgain() {
        IssuedKey issued = create();
        String keyId = issued.info().keyId();
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").isGranted()).isTrue();

        clock.advance(Duration.ofSeconds(1));
        ApiKeyInfo disabled = apiKeys.disable(keyId);

        assertThat(disabled.status()).isEqualTo(ApiKeyInfo.Status.DISABLED);
        assertThat(disabled.disabledAt()).contains(clock.instant());
        assertThat(disabled.isActive()).isFalse();
        Verification refused = apiKeys.verify(issued.plaintext(), "events:read");
        assertThat(refused.failure()).contains(Failure.DISABLED_API_KEY);
        assertThat(refused.failedCheck()).contains(Check.DISABLED);
        assertThat(Failure.DISABLED_API_KEY.httpStatus()).isEqualTo(401);
        assertThat(Failure.DISABLED_API_KEY.resolution()).startsWith("Ask your admin to enable it");

        ApiKeyInfo enabled = apiKeys.enable(keyId);

        assertThat(enabled.status()).isEqualTo(ApiKeyInfo.Status.ACTIVE);
        assertThat(enabled.disabledAt()).isEmpty();
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").isGranted()).isTrue();
        assertThat(events).containsExactly("disabled " + keyId + " manual", "enabled " + keyId);
    }

    @Test
    void theDisabledCodeIsSaidOnlyAfterTheSecretMatched() {
        IssuedKey issued = create();
        apiKeys.disable(issued.info().keyId());
        String wrongSecret = TestKeys.withSecret(issued.plaintext(), "0".repeat(TestKeys.secretOf(issued.plaintext())
                .length()));

        assertThat(apiKeys.verify(wrongSecret, "events:read").failure()).contains(Failure.INVALID_API_KEY);
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").failure()).contains(Failure.DISABLED_API_KEY);
        assertThat(apiKeys.verify(issued.plaintext(), null).failure()).as("before scope and address checks")
                .contains(Failure.DISABLED_API_KEY);
    }

    @Test
    void switchingTwiceChangesNothingAndSendsNoSecondEvent() {
        IssuedKey issued = create();
        String keyId = issued.info().keyId();
        ApiKeyInfo first = apiKeys.disable(keyId);
        clock.advance(Duration.ofMinutes(1));

        assertThat(apiKeys.disable(keyId).disabledAt()).isEqualTo(first.disabledAt());
        apiKeys.enable(keyId);
        assertThat(apiKeys.enable(keyId).status()).isEqualTo(ApiKeyInfo.Status.ACTIVE);
        assertThat(events).hasSize(2);
    }

    @Test
    void aDisabledKeyCanBeEditedAndRevokedButNotRotated() {
        IssuedKey issued = create();
        String keyId = issued.info().keyId();
        apiKeys.disable(keyId);

        assertThat(apiKeys.update(keyId, KeyUpdate.builder().name("renamed").build()).status())
                .isEqualTo(ApiKeyInfo.Status.DISABLED);
        assertThatExceptionOfType(KeyNotActiveException.class)
                .isThrownBy(() -> apiKeys.rotate(keyId, Duration.ofDays(1)))
                .withMessage("key " + keyId + " is disabled; only an active key can be rotated: enable it first")
                .satisfies(e -> assertThat(e.status()).isEqualTo(ApiKeyInfo.Status.DISABLED));
        assertThat(apiKeys.revoke(keyId).status()).isEqualTo(ApiKeyInfo.Status.REVOKED);
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").failure()).contains(Failure.REVOKED_API_KEY);
    }

    @Test
    void revokedExpiredAndUnknownKeysAreRefusedAndNothingChanges() {
        IssuedKey revoked = create();
        apiKeys.revoke(revoked.info().keyId());
        IssuedKey expiring = create();
        clock.advance(Duration.ofDays(31));

        for (IssuedKey k : List.of(revoked, expiring)) {
            String keyId = k.info().keyId();
            ApiKeyInfo before = apiKeys.get(keyId).orElseThrow();
            assertThatExceptionOfType(KeyNotActiveException.class).isThrownBy(() -> apiKeys.disable(keyId))
                    .withMessageContaining("only an active key can be disabled");
            assertThatExceptionOfType(KeyNotActiveException.class).isThrownBy(() -> apiKeys.enable(keyId))
                    .withMessageContaining("only an active key can be enabled");
            assertThat(apiKeys.get(keyId)).contains(before);
        }
        assertThatExceptionOfType(KeyNotFoundException.class).isThrownBy(() -> apiKeys.disable("AAAAAAAA"));
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> apiKeys.enable("nope"))
                .withMessageStartingWith("keyId ");
        assertThat(events).isEmpty();
    }

    @Test
    void listsShowDisabledKeysAsSuch() {
        IssuedKey issued = create();
        apiKeys.disable(issued.info().keyId());

        assertThat(apiKeys.list("92")).extracting(ApiKeyInfo::status).containsExactly(ApiKeyInfo.Status.DISABLED);
        assertThat(apiKeys.isActive(issued.info().keyId())).isFalse();
    }
}
