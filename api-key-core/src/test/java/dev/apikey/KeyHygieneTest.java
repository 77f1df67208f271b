package dev.apikey;
// README:hygiene:imports:start
import dev.apikey.ApiKeys;
import dev.apikey.UnusedKeyPolicy;
import dev.apikey.model.KeyNotice;
import dev.apikey.spi.KeyEventListener;
import java.time.Duration;
// README:hygiene:imports:end
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.ScopeCatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hygiene check: expiry and rotate-by warnings once per key and horizon, across instances sharing a store;
 * the unused-key policy with its warning first, its per-tenant and per-environment idle times, and its dry run.
 */
class KeyHygieneTest {

    private static final Duration DAY = Duration.ofDays(1);

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final List<ApiKeys> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(ApiKeys::close);
    }

    private ApiKeys apiKeys(UnusedKeyPolicy policy) {
        ApiKeysBuilder b = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).clock(clock).listener(new KeyEventListener() {
                    @Override
                    public void warned(KeyNotice n) {
                        events.add(n.kind() + " " + n.key().attributes().name() + " " + n.horizon().toDays() + "d " + n.due());
                    }

                    @Override
                    public void disabled(ApiKeyInfo key, String reason) {
                        events.add("disabled " + key.attributes().name() + " " + reason);
                    }
                });
        if (policy != null) {
            b.unusedKeyPolicy(policy);
        }
        ApiKeys apiKeys = b.build();
        opened.add(apiKeys);
        return apiKeys;
    }

    private IssuedKey create(ApiKeys apiKeys, KeySpec.Builder spec) {
        return apiKeys.create(spec.scopes("events:read").build());
    }

    @Test
    void expiryWarningsComeOncePerHorizonAcrossInstances() {
        ApiKeys a = apiKeys(null);
        ApiKeys b = apiKeys(null);
        Instant expires = clock.instant().plus(Duration.ofDays(10));
        create(a, KeySpec.builder("crm-sync").expiresAt(expires));

        assertThat(a.checkHygiene().warned()).isEmpty();
        clock.advance(Duration.ofDays(3).plusHours(1));
        assertThat(a.checkHygiene().warned()).extracting(KeyNotice::horizon).containsExactly(Duration.ofDays(7));
        assertThat(b.checkHygiene().warned()).as("the other instance sees it was sent").isEmpty();
        assertThat(a.checkHygiene().warned()).isEmpty();
        clock.advance(Duration.ofDays(6));
        assertThat(b.checkHygiene().warned()).extracting(KeyNotice::horizon).containsExactly(DAY);
        assertThat(a.checkHygiene().warned()).isEmpty();
        clock.advance(Duration.ofDays(1));
        assertThat(a.checkHygiene().warned()).as("expired: no more warnings").isEmpty();

        assertThat(events).containsExactly("EXPIRES crm-sync 7d " + expires, "EXPIRES crm-sync 1d " + expires);
    }

    @Test
    void aKeyThatSkipsAHorizonGetsOnlyTheNearestAndAnExtendedExpiryWarnsAgain() {
        ApiKeys a = apiKeys(null);
        Instant expires = clock.instant().plus(Duration.ofHours(20));
        IssuedKey issued = create(a, KeySpec.builder("short").expiresAt(expires));

        a.checkHygiene();
        assertThat(events).containsExactly("EXPIRES short 1d " + expires);

        Instant later = clock.instant().plus(Duration.ofDays(5));
        a.update(issued.info().keyId(), KeyUpdate.builder().expiresAt(later).build());
        a.checkHygiene();
        assertThat(events).containsExactly("EXPIRES short 1d " + expires, "EXPIRES short 7d " + later);
    }

    @Test
    void rotateByWarnsButReplacedRevokedAndDisabledKeysDoNot() {
        ApiKeys a = apiKeys(null);
        Instant rotateBy = clock.instant().plus(Duration.ofDays(2));
        create(a, KeySpec.builder("rotate-me").rotateBy(rotateBy));
        IssuedKey replaced = create(a, KeySpec.builder("replaced"));
        a.rotate(replaced.info().keyId(), Duration.ofDays(3));
        IssuedKey revoked = create(a, KeySpec.builder("revoked").expiresAt(clock.instant().plus(DAY)));
        a.revoke(revoked.info().keyId());
        IssuedKey disabled = create(a, KeySpec.builder("disabled").expiresAt(clock.instant().plus(DAY)));
        a.disable(disabled.info().keyId());
        events.clear();

        HygieneReport report = a.checkHygiene();

        assertThat(report.warned()).extracting(KeyNotice::kind).containsExactly(KeyNotice.Kind.ROTATE_BY);
        assertThat(events).containsExactly("ROTATE_BY rotate-me 7d " + rotateBy);
    }

    @Test
    void theExpiringListShowsKeysWithinTheTime() {
        ApiKeys a = apiKeys(null);
        create(a, KeySpec.builder("soon").expiresAt(clock.instant().plus(Duration.ofDays(3))));
        create(a, KeySpec.builder("rotate-soon").rotateBy(clock.instant().plus(Duration.ofDays(6))));
        create(a, KeySpec.builder("later").expiresAt(clock.instant().plus(Duration.ofDays(30))));
        create(a, KeySpec.builder("never"));

        assertThat(a.list(KeyQuery.all().expiringWithin(Duration.ofDays(7)))).extracting(k -> k.attributes().name())
                .containsExactlyInAnyOrder("soon", "rotate-soon");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyQuery.all().expiringWithin(Duration.ofSeconds(1)))
                .withMessageStartingWith("within must be 1 minute to 3650 days");
    }

    @Test
    void anUnusedKeyIsWarnedSevenDaysAheadThenDisabledNeverRevoked() {
        ApiKeys a = apiKeys(UnusedKeyPolicy.builder().defaultIdle(Duration.ofDays(30)).build());
        IssuedKey idle = create(a, KeySpec.builder("idle"));
        IssuedKey busy = create(a, KeySpec.builder("busy"));

        clock.advance(Duration.ofDays(22));
        assertThat(a.checkHygiene().warned()).isEmpty();
        a.verify(busy.plaintext(), "events:read");
        clock.advance(DAY.plusHours(1));
        HygieneReport warned = a.checkHygiene();
        assertThat(warned.warned()).extracting(n -> n.key().attributes().name()).containsExactly("idle");
        // Checked an hour after the warning was due: the owner still gets 7 full days.
        Instant due = clock.instant().plus(Duration.ofDays(7));
        assertThat(warned.warned().get(0).due()).isEqualTo(due);
        assertThat(warned.disabled()).isEmpty();
        assertThat(a.checkHygiene().warned()).as("once").isEmpty();

        clock.advance(Duration.ofDays(7));
        HygieneReport disabled = a.checkHygiene();

        assertThat(disabled.disabled()).extracting(k -> k.attributes().name()).containsExactly("idle");
        assertThat(a.get(idle.info().keyId()).orElseThrow().status()).isEqualTo(ApiKeyInfo.Status.DISABLED);
        assertThat(a.get(busy.info().keyId()).orElseThrow().status()).isEqualTo(ApiKeyInfo.Status.ACTIVE);
        assertThat(a.verify(idle.plaintext(), "events:read").failure()).contains(Failure.DISABLED_API_KEY);
        assertThat(events).containsExactly("UNUSED idle 7d " + due,
                "disabled idle unused");

        a.enable(idle.info().keyId());
        assertThat(a.checkHygiene().disabled()).as("an enabled key is not disabled again at once").isEmpty();
    }

    @Test
    void aKeyFoundIdleTooLongIsWarnedFirstAndGetsItsSevenDays() {
        ApiKeys a = apiKeys(null);
        IssuedKey old = create(a, KeySpec.builder("old"));
        clock.advance(Duration.ofDays(100));
        ApiKeys withPolicy = apiKeys(UnusedKeyPolicy.builder().defaultIdle(Duration.ofDays(30)).build());

        HygieneReport first = withPolicy.checkHygiene();
        assertThat(first.warned()).extracting(KeyNotice::due).containsExactly(clock.instant().plus(Duration.ofDays(7)));
        assertThat(first.disabled()).isEmpty();
        clock.advance(Duration.ofDays(6));
        assertThat(withPolicy.checkHygiene().disabled()).isEmpty();
        clock.advance(DAY);
        assertThat(withPolicy.checkHygiene().disabled()).extracting(ApiKeyInfo::keyId)
                .containsExactly(old.info().keyId());
    }

    @Test
    void tenantBeatsEnvironmentBeatsDefaultAndNewKeysAreSpared() {
        UnusedKeyPolicy policy = UnusedKeyPolicy.builder().defaultIdle(Duration.ofDays(365))
                .environment("prod", Duration.ofDays(60)).tenant("92", Duration.ofDays(20)).build();
        assertThat(policy.idleTimeFor("92", "prod")).contains(Duration.ofDays(20));
        assertThat(policy.idleTimeFor("93", "prod")).contains(Duration.ofDays(60));
        assertThat(policy.idleTimeFor(null, "dev")).contains(Duration.ofDays(365));
        assertThat(UnusedKeyPolicy.builder().environment("prod", Duration.ofDays(60)).build().idleTimeFor(null, "dev"))
                .isEmpty();

        ApiKeys a = apiKeys(policy);
        create(a, KeySpec.builder("tenant-92").tenantId("92").environment("prod"));
        create(a, KeySpec.builder("prod").environment("prod"));
        clock.advance(Duration.ofDays(14));
        create(a, KeySpec.builder("new-92").tenantId("92"));

        assertThat(a.checkHygiene().warned()).extracting(n -> n.key().attributes().name()).containsExactly("tenant-92");
        clock.advance(Duration.ofDays(40));
        assertThat(a.checkHygiene().warned()).extracting(n -> n.key().attributes().name())
                .containsExactlyInAnyOrder("prod", "new-92");
    }

    @Test
    void aDryRunOnlyReports() {
        ApiKeys a = apiKeys(UnusedKeyPolicy.builder().defaultIdle(Duration.ofDays(30)).dryRun(true).build());
        IssuedKey idle = create(a, KeySpec.builder("idle"));
        clock.advance(Duration.ofDays(40));

        HygieneReport report = a.checkHygiene();

        assertThat(report.dryRun()).isTrue();
        assertThat(report.disabled()).extracting(k -> k.attributes().name()).containsExactly("idle");
        assertThat(report.warned()).extracting(KeyNotice::kind).containsExactly(KeyNotice.Kind.UNUSED);
        assertThat(events).isEmpty();
        assertThat(a.get(idle.info().keyId()).orElseThrow().status()).isEqualTo(ApiKeyInfo.Status.ACTIVE);
        assertThat(a.verify(idle.plaintext(), "events:read").isGranted()).isTrue();
    }

    /** What a host sends warnings with. */
    interface Mailer {
        void send(String to, String text);
    }

    @Test
    void theReadmeSetupMailsTheOwnerOnceAndDisablesIdleKeys() {
        ScopeCatalog scopes = TestKeys.SCOPES;
        Mailer mailer = (to, text) -> events.add(to + ": " + text);
        // README:hygiene:start
        ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(scopes)
                .expiryWarnings(Duration.ofDays(7), Duration.ofDays(1))      // the default
                .unusedKeyPolicy(UnusedKeyPolicy.builder()
                        .environment("prod", Duration.ofDays(90))             // warned at 83 days, disabled at 90
                        .tenant("92", Duration.ofDays(30))
                        .build())
                .listener(new KeyEventListener() {
                    @Override
                    public void warned(KeyNotice notice) {
                        // Once per key and horizon across all instances: mail the owner.
                        mailer.send(notice.key().attributes().owner().orElse("security@example.com"),
                                notice.kind() + " " + notice.key().hint() + " at " + notice.due());
                    }
                })
                .build();
        // README:hygiene:end
        opened.add(apiKeys);
        // The README's instance runs on the system clock: the key was made 24 days ago by one on the test clock.
        // In milliseconds, as the instance's clock reads time: a due date has no finer part to compare.
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        clock.set(start.minus(Duration.ofDays(24)));
        IssuedKey issued = apiKeys(null).create(KeySpec.builder("crm").tenantId("92").owner("team-crm@example.com")
                .scopes("events:read").expiresAt(start.plus(Duration.ofDays(60))).build());

        apiKeys.checkHygiene();
        apiKeys.checkHygiene();

        assertThat(events).hasSize(1);
        String prefix = "team-crm@example.com: UNUSED " + issued.info().hint() + " at ";
        assertThat(events.get(0)).startsWith(prefix);
        assertThat(Instant.parse(events.get(0).substring(prefix.length())))
                .isBetween(start.plus(Duration.ofDays(7)), Instant.now().plus(Duration.ofDays(7)));
    }

    @Test
    void badPolicySettingsAreRefusedNamingTheRule() {
        assertThatIllegalArgumentException().isThrownBy(() -> UnusedKeyPolicy.builder().defaultIdle(Duration.ofDays(7)))
                .withMessage("defaultIdle must be 8 to 3650 days (the warning comes 7 days ahead), was PT168H");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> UnusedKeyPolicy.builder().environment("pr od", Duration.ofDays(30)))
                .withMessageStartingWith("environment must be 1 to 32 of [A-Za-z0-9_-]");
        assertThatIllegalArgumentException().isThrownBy(() -> UnusedKeyPolicy.builder().tenant("", Duration.ofDays(30)))
                .withMessageStartingWith("tenantId ");
        assertThatIllegalStateException().isThrownBy(() -> UnusedKeyPolicy.builder().build())
                .withMessageContaining("needs a defaultIdle, environment or tenant rule");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ApiKeys.builder().expiryWarnings(Duration.ofSeconds(5)))
                .withMessageStartingWith("expiryWarnings must be");
        assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.builder().hygieneInterval(Duration.ZERO))
                .withMessageStartingWith("hygieneInterval must be");
    }

    @Test
    void aStoreThatCannotRememberNoticesTurnsWarningsOffWithoutFailingTheScheduler() {
        CountingKeyStore plain = new CountingKeyStore();
        try (ApiKeys a = ApiKeys.builder().prefix("wlcro").store(plain).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).clock(clock).build()) {
            a.create(KeySpec.builder("soon").scopes("events:read").expiresAt(clock.instant().plus(DAY)).build());
            assertThatExceptionOfType(UnsupportedOperationException.class)
                    .isThrownBy(a::checkHygiene).withMessageContaining("keeps no NoticeLog");
        }
    }
}
