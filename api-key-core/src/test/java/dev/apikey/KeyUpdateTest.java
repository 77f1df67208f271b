package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyNotActiveException;
import dev.apikey.model.KeyNotFoundException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.RateLimit;
import dev.apikey.model.UnknownScopeException;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.KeyEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Editing a key: what changes, that this instance sees it at once, and every refusal changing nothing. */
class KeyUpdateTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2()).clock(clock)
            .listener(new KeyEventListener() {
                @Override
                public void updated(ApiKeyInfo before, ApiKeyInfo after) {
                    events.add(before.attributes().name() + " -> " + after.attributes().name());
                }
            }).build();

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    private IssuedKey create() {
        return apiKeys.create(KeySpec.builder("crm-sync").tenantId("92").scopes("events:read")
                .expiresAt(clock.instant().plus(Duration.ofDays(30))).rateLimit(RateLimit.perMinute(1))
                .metadata("env", "prod").build());
    }

    @Test
    void anEditTakesEffectAtOnceAndKeepsTheRest() {
        IssuedKey issued = create();
        String keyId = issued.info().keyId();
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").isGranted()).isTrue();

        ApiKeyInfo after = apiKeys.update(keyId, KeyUpdate.builder().name("crm-sync-v2").scopes("webhooks:write")
                .neverExpires().allowedAddresses(List.of("192.0.2.0/24")).allowances(List.of()).build());

        assertThat(after.attributes().name()).isEqualTo("crm-sync-v2");
        assertThat(after.attributes().scopes()).containsExactly("webhooks:write");
        assertThat(after.attributes().expiresAt()).isEmpty();
        assertThat(after.attributes().allowedAddresses()).containsExactly("192.0.2.0/24");
        assertThat(after.attributes().rateLimit()).isEmpty();
        assertThat(after.attributes().metadata()).containsEntry("env", "prod");
        assertThat(after.attributes().tenantId()).contains("92");
        assertThat(apiKeys.get(keyId)).contains(after);
        assertThat(events).containsExactly("crm-sync -> crm-sync-v2");

        assertThat(apiKeys.verify(VerifyRequest.header(issued.plaintext()).scope("events:read")
                .remoteAddress("192.0.2.7")).failure()).contains(Failure.INSUFFICIENT_SCOPE);
        assertThat(apiKeys.verify(VerifyRequest.header(issued.plaintext()).scope("webhooks:write")
                .remoteAddress("192.0.2.7")).isGranted()).isTrue();
        assertThat(apiKeys.verify(VerifyRequest.header(issued.plaintext()).scope("webhooks:write")
                .remoteAddress("198.51.100.1")).failure()).contains(Failure.IP_NOT_ALLOWED);
    }

    @Test
    void badEditsAreRefusedNamingTheFieldAndChangeNothing() {
        IssuedKey issued = create();
        String keyId = issued.info().keyId();
        ApiKeyInfo before = apiKeys.get(keyId).orElseThrow();

        assertThatExceptionOfType(UnknownScopeException.class)
                .isThrownBy(() -> apiKeys.update(keyId, KeyUpdate.builder().scopes("events:raed").build()))
                .withMessageContaining("events:read");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> apiKeys.update(keyId, KeyUpdate.builder().expiresAt(clock.instant()).build()))
                .withMessageStartingWith("expiresAt must be in the future");
        assertThatExceptionOfType(KeyNotFoundException.class)
                .isThrownBy(() -> apiKeys.update("ZZZZZZZZ", KeyUpdate.builder().name("x").build()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> apiKeys.update("nope", KeyUpdate.builder().name("x").build()))
                .withMessageStartingWith("keyId ");
        assertThat(apiKeys.get(keyId)).contains(before);
        assertThat(events).isEmpty();
    }

    @Test
    void revokedExpiredAndReplacedKeysHaveTheirLimits() {
        IssuedKey revoked = create();
        apiKeys.revoke(revoked.info().keyId());
        assertThatExceptionOfType(KeyNotActiveException.class)
                .isThrownBy(() -> apiKeys.update(revoked.info().keyId(), KeyUpdate.builder().name("x").build()))
                .withMessage("key " + revoked.info().keyId() + " is revoked; only an active key can be edited");

        IssuedKey old = create();
        apiKeys.rotate(old.info().keyId(), Duration.ofHours(1));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> apiKeys.update(old.info().keyId(), KeyUpdate.builder().neverExpires().build()))
                .withMessageContaining("end of its rotation's overlap");
        assertThat(apiKeys.update(old.info().keyId(), KeyUpdate.builder().name("old one").build()).attributes().name())
                .as("a key in its overlap may still be renamed").isEqualTo("old one");

        IssuedKey expiring = create();
        clock.advance(Duration.ofDays(31));
        assertThatExceptionOfType(KeyNotActiveException.class)
                .isThrownBy(() -> apiKeys.update(expiring.info().keyId(), KeyUpdate.builder().name("x").build()))
                .satisfies(e -> assertThat(e.status()).isEqualTo(ApiKeyInfo.Status.EXPIRED));
    }

    @Test
    void theBuilderChecksEachArgumentAtOnce() {
        assertThatIllegalStateException().isThrownBy(() -> KeyUpdate.builder().build())
                .withMessageStartingWith("an update must change at least one of");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyUpdate.builder().name(""))
                .withMessageStartingWith("name ");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyUpdate.builder().scopes(List.of()).build())
                .withMessage("scopes must hold at least one scope");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyUpdate.builder().allowedAddresses(List.of("10.0.0.1/33")))
                .withMessageStartingWith("allowedAddresses: ");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyUpdate.builder()
                .allowedAddresses(Collections.nCopies(65, "10.0.0.1"))).withMessageContaining("at most 64");
        assertThat(KeyUpdate.builder().name("x").neverExpires().build()).hasToString("KeyUpdate[name, expiresAt]");
    }
}
