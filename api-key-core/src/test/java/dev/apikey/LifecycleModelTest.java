package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyAlreadyRotatedException;
import dev.apikey.model.KeyNotActiveException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random sequences of create, rotate, revoke, time passing and verify agree with a simple model. */
class LifecycleModelTest {

    /** One step: what to do, to which key (index modulo the keys so far), and a size in minutes. */
    record Step(int action, int target, int minutes) {
    }

    /** What the model believes about one key. */
    static final class ModelKey {
        final String plaintext;
        final String keyId;
        Instant expires;
        boolean revoked;
        boolean replaced;

        ModelKey(IssuedKey issued) {
            this.plaintext = issued.plaintext();
            this.keyId = issued.info().keyId();
            this.expires = issued.info().attributes().expiresAt().orElse(null);
        }

        Failure expected(Instant now) {
            if (revoked) {
                return Failure.REVOKED_API_KEY;
            }
            return expires != null && !now.isBefore(expires) ? Failure.EXPIRED_API_KEY : null;
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.integers().between(0, 4)
                .flatMap(a -> Arbitraries.integers().between(0, 50)
                        .flatMap(t -> Arbitraries.integers().between(0, 240).map(m -> new Step(a, t, m))))
                .list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 150)
    void lifecycleAgreesWithTheModel(@ForAll("steps") List<Step> steps) {
        MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("k_live").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(Sha256Hasher.create()).clock(clock).build()) {
            List<ModelKey> keys = new ArrayList<>();
            for (Step step : steps) {
                Instant now = clock.instant();
                if (step.action() == 0 || keys.isEmpty()) {
                    KeySpec.Builder spec = KeySpec.builder("k" + keys.size()).tenantId("t1").scopes("events:read");
                    if (step.minutes() % 2 == 1) {
                        spec.expiresAt(now.plus(Duration.ofMinutes(step.minutes())));
                    }
                    keys.add(new ModelKey(apiKeys.create(spec.build())));
                    continue;
                }
                ModelKey key = keys.get(step.target() % keys.size());
                switch (step.action()) {
                    case 1:
                        apiKeys.revoke(key.keyId);
                        key.revoked = true;
                        break;
                    case 2:
                        Duration overlap = Duration.ofMinutes(step.minutes());
                        if (key.expected(now) != null) {
                            assertThatExceptionOfType(KeyNotActiveException.class)
                                    .isThrownBy(() -> apiKeys.rotate(key.keyId, overlap));
                        } else if (key.replaced) {
                            assertThatExceptionOfType(KeyAlreadyRotatedException.class)
                                    .isThrownBy(() -> apiKeys.rotate(key.keyId, overlap));
                        } else {
                            keys.add(new ModelKey(apiKeys.rotate(key.keyId, overlap)));
                            Instant end = now.plus(overlap);
                            key.expires = key.expires != null && key.expires.isBefore(end) ? key.expires : end;
                            key.replaced = true;
                        }
                        break;
                    case 3:
                        clock.advance(Duration.ofMinutes(step.minutes()));
                        break;
                    default:
                        break;
                }
                for (ModelKey k : keys) {
                    Verification v = apiKeys.verify(k.plaintext, "events:read");
                    Failure expected = k.expected(clock.instant());
                    assertThat(v.failure().orElse(null)).as("%s after %s", k.keyId, step).isEqualTo(expected);
                    assertThat(apiKeys.isActive(k.keyId)).isEqualTo(expected == null);
                    ApiKeyInfo.Status status = apiKeys.get(k.keyId).orElseThrow().status();
                    if (expected == null) {
                        assertThat(status).isEqualTo(k.replaced ? ApiKeyInfo.Status.EXPIRING : ApiKeyInfo.Status.ACTIVE);
                    }
                }
            }
        }
    }
}
