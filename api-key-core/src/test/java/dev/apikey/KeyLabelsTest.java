package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeySpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Environment, owner and rotate-by as first-class fields, and the list filters that use them. */
class KeyLabelsTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2()).clock(clock).build();

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    @Test
    void labelsAreKeptAndListed() {
        Instant rotateBy = clock.instant().plus(Duration.ofDays(90));
        IssuedKey key = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").environment("prod")
                .owner("team-crm@example.com").rotateBy(rotateBy).build());

        ApiKeyInfo listed = apiKeys.list("92").get(0);
        assertThat(listed.attributes().environment()).contains("prod");
        assertThat(listed.attributes().owner()).contains("team-crm@example.com");
        assertThat(listed.attributes().rotateBy()).contains(rotateBy);
        assertThat(listed).isEqualTo(apiKeys.get(key.info().keyId()).orElseThrow());
    }

    @Test
    void rotationCarriesTheLabelsAndMovesTheRotateByDate() {
        IssuedKey key = apiKeys.create(KeySpec.builder("crm").scopes("events:read").environment("prod").owner("ops")
                .rotateBy(clock.instant().plus(Duration.ofDays(90))).build());
        clock.advance(Duration.ofDays(80));

        ApiKeyInfo rotated = apiKeys.rotate(key.info().keyId(), Duration.ofDays(1)).info();

        assertThat(rotated.attributes().environment()).contains("prod");
        assertThat(rotated.attributes().owner()).contains("ops");
        assertThat(rotated.attributes().rotateBy()).contains(clock.instant().plus(Duration.ofDays(90)));
    }

    @Test
    void listFindsKeysPastTheirRotateByDate() {
        apiKeys.create(KeySpec.builder("soon").scopes("events:read").rotateBy(clock.instant().plusSeconds(60)).build());
        apiKeys.create(KeySpec.builder("later").scopes("events:read").rotateBy(clock.instant().plusSeconds(600))
                .build());
        apiKeys.create(KeySpec.builder("never").scopes("events:read").build());

        assertThat(apiKeys.list(KeyQuery.all().rotateByPassed())).isEmpty();
        clock.advance(Duration.ofSeconds(60));
        assertThat(apiKeys.list(KeyQuery.all().rotateByPassed())).extracting(k -> k.attributes().name()).containsExactly("soon");
    }

    @Test
    void listFindsKeysUnusedSinceADate() {
        IssuedKey used = apiKeys.create(KeySpec.builder("used").tenantId("92").scopes("events:read").build());
        apiKeys.create(KeySpec.builder("idle").tenantId("92").scopes("events:read").build());
        apiKeys.create(KeySpec.builder("other-tenant").tenantId("93").scopes("events:read").build());
        Instant since = clock.instant();
        apiKeys.verify(used.plaintext(), null);

        assertThat(apiKeys.list(KeyQuery.tenant("92").unusedSince(since))).extracting(k -> k.attributes().name())
                .containsExactly("idle");
        assertThat(apiKeys.list(KeyQuery.all().unusedSince(since))).extracting(k -> k.attributes().name())
                .containsExactlyInAnyOrder("idle", "other-tenant");
    }

    @Test
    void badLabelsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("x").environment("pro d"))
                .withMessageStartingWith("environment");
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("x").owner("a\tb"))
                .withMessageStartingWith("owner");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyQuery.tenant("bad tenant"))
                .withMessageStartingWith("tenantId");
    }
}
