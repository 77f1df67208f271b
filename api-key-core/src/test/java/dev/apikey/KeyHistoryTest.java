package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.KeyEvent;
import dev.apikey.model.KeyEvent.Type;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.spi.EventFilter;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every key's history through {@link ApiKeys#history()}: each change recorded with its actor, time and key, in the
 * change's own write; an edit with what changed; the instance's own work (hash upgrades, warnings, leak reports) as
 * the system; no secret or hash in any of it; paging, retention, and a store without a history.
 */
class KeyHistoryTest {

    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final List<ApiKeys> opened = new ArrayList<>();
    private final Actor alice = new Actor("user:alice", GrantCeiling.everything(), null);

    @AfterEach
    void closeAll() {
        opened.forEach(ApiKeys::close);
    }

    private ApiKeys apiKeys(KeyStore keyStore) {
        ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(keyStore).scopes(TestKeys.SCOPES).clock(clock)
                .historyRetention(Duration.ofDays(30)).build();
        opened.add(apiKeys);
        return apiKeys;
    }

    @Test
    void everyChangeIsRecordedWithItsActorTimeAndKey() {
        ApiKeys apiKeys = apiKeys(store);
        KeyManager manager = apiKeys.manage(alice);
        IssuedKey issued = manager.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build());
        String id = issued.info().keyId();
        clock.advance(Duration.ofMinutes(1));
        manager.update(id, KeyUpdate.builder().name("crm-sync").scopes("events:read", "webhooks:write")
                .metadata("team", "sales").build());
        clock.advance(Duration.ofMinutes(1));
        manager.disable(id);
        clock.advance(Duration.ofMinutes(1));
        manager.enable(id);
        clock.advance(Duration.ofMinutes(1));
        IssuedKey next = manager.rotate(id, Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(1));
        apiKeys.revoke(next.info().keyId());

        List<KeyEvent> old = apiKeys.history().ofKey(id);
        assertThat(old).extracting(KeyEvent::type)
                .containsExactly(Type.ROTATED, Type.ENABLED, Type.DISABLED, Type.EDITED, Type.CREATED);
        assertThat(old).extracting(KeyEvent::actor).containsOnly("user:alice");
        assertThat(old).extracting(KeyEvent::tenantId).containsOnly("92");
        assertThat(old).extracting(KeyEvent::keyId).containsOnly(id);
        assertThat(old.get(4).at()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(old.get(0).at()).isEqualTo(Instant.parse("2026-12-01T10:04:00Z"));
        assertThat(old.get(0).details()).containsEntry("new_key_id", next.info().keyId())
                .containsEntry("overlap_ends", "2026-12-01T11:04:00Z");
        assertThat(old.get(2).details()).containsEntry("reason", "manual");
        assertThat(old.get(3).changes()).containsExactly(
                new KeyEvent.Change("name", "crm", "crm-sync"),
                new KeyEvent.Change("scopes", "events:read", "events:read, webhooks:write"),
                new KeyEvent.Change("metadata", null, null));

        List<KeyEvent> successor = apiKeys.history().ofKey(next.info().keyId());
        assertThat(successor).extracting(KeyEvent::type).containsExactly(Type.REVOKED, Type.CREATED);
        assertThat(successor.get(0).actor()).as("the host's own call").isEqualTo("host");
        assertThat(successor.get(1).details()).containsEntry("replaces", id);
        assertThat(successor).extracting(KeyEvent::lineageId).containsOnly(id);

        assertThat(apiKeys.history().ofTenant("92", null, null)).hasSize(7);
        assertThat(apiKeys.history().ofTenant("92", Instant.parse("2026-12-01T10:01:00Z"),
                Instant.parse("2026-12-01T10:03:00Z"))).extracting(KeyEvent::type)
                .containsExactly(Type.DISABLED, Type.EDITED);
        assertThat(apiKeys.history().ofTenant("93", null, null)).isEmpty();
        assertThat(apiKeys.history().between(Instant.parse("2026-12-01T10:04:00Z"), null)).extracting(KeyEvent::type)
                .containsExactly(Type.REVOKED, Type.CREATED, Type.ROTATED);
    }

    @Test
    void aChangeThatChangesNothingRecordsNothing() {
        ApiKeys apiKeys = apiKeys(store);
        String id = apiKeys.create(KeySpec.builder("crm").scopes("events:read").build()).info().keyId();
        apiKeys.revoke(id);
        apiKeys.revoke(id);
        String other = apiKeys.create(KeySpec.builder("b").scopes("events:read").build()).info().keyId();
        apiKeys.update(other, KeyUpdate.builder().name("b").build());

        assertThat(apiKeys.history().ofKey(id)).extracting(KeyEvent::type).containsExactly(Type.REVOKED, Type.CREATED);
        assertThat(apiKeys.history().page(EventFilter.all(), null, 100).events()).hasSize(3);
    }

    @Test
    void aLeakReportIsRecordedWithTheRevokeInOneWriteAndAloneWhenFlagged() {
        ApiKeys apiKeys = apiKeys(store);
        IssuedKey revoked = apiKeys.create(KeySpec.builder("a").scopes("events:read").build());
        IssuedKey flagged = apiKeys.create(KeySpec.builder("b").scopes("events:read").build());

        apiKeys.reportLeak(revoked.plaintext(), "https://github.com/acme/app/blob/main/.env", true);
        apiKeys.reportLeak(revoked.plaintext(), "again", true);
        apiKeys.reportLeak(flagged.plaintext(), null, false);

        List<KeyEvent> events = apiKeys.history().ofKey(revoked.info().keyId());
        assertThat(events).extracting(KeyEvent::type)
                .as("one process's events of one millisecond come newest first too")
                .containsExactly(Type.LEAK_REPORTED, Type.REVOKED, Type.LEAK_REPORTED, Type.CREATED);
        assertThat(events).filteredOn(e -> e.type() == Type.REVOKED).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "leaked"));
        assertThat(events).filteredOn(e -> e.type() == Type.LEAK_REPORTED).extracting(e -> e.details().get("action"))
                .containsExactlyInAnyOrder("revoked", "revoked_already");
        assertThat(apiKeys.history().ofKey(flagged.info().keyId()).get(0).details())
                .containsEntry("action", "flagged").doesNotContainKey("source");
    }

    @Test
    void hashUpgradesAndWarningsAreTheSystemsAndNoSecretOrHashIsEverInTheHistory() {
        String plaintext;
        try (ApiKeys argon = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).clock(clock)
                .hasher(TestKeys.cheapArgon2()).build()) {
            plaintext = argon.create(KeySpec.builder("old-hash").scopes("events:read")
                    .expiresAt(clock.instant().plus(Duration.ofHours(12))).build()).plaintext();
        }
        String id = KeyFormatOf.id(plaintext);
        String argonHash = store.findById(id).orElseThrow().secretHash();
        ApiKeys apiKeys = apiKeys(store);
        assertThat(apiKeys.verify(plaintext, null).isGranted()).isTrue();
        Await.until("the hash upgrade's event", () -> apiKeys.history().ofKey(id).size() == 2);
        clock.advance(Duration.ofMinutes(1));
        apiKeys.checkHygiene();

        List<KeyEvent> events = apiKeys.history().ofKey(id);
        assertThat(events).extracting(KeyEvent::type).containsExactly(Type.WARNED, Type.REHASHED, Type.CREATED);
        assertThat(events.get(1).actor()).isEqualTo(KeyEvent.SYSTEM);
        assertThat(events.get(1).details()).containsEntry("algorithm", "sha256");
        assertThat(events.get(0).details()).containsEntry("notice", "expires").containsEntry("horizon", "PT24H");
        String newHash = store.findById(id).orElseThrow().secretHash();
        assertThat(events.toString() + events.stream().map(e -> e.details() + " " + e.changes()).toList())
                .doesNotContain(TestKeys.secretOf(plaintext)).doesNotContain(plaintext)
                .doesNotContain(argonHash).doesNotContain(newHash);
    }

    @Test
    void pagesComeNewestFirstAndTheCursorGoesOnWhereThePageEnded() {
        ApiKeys apiKeys = apiKeys(store);
        for (int i = 0; i < 5; i++) {
            apiKeys.create(KeySpec.builder("k" + i).tenantId("92").scopes("events:read").build());
            // Two events in one millisecond too: the id orders them.
            apiKeys.create(KeySpec.builder("k" + i + "b").tenantId("92").scopes("events:read").build());
            clock.advance(Duration.ofSeconds(1));
        }
        List<KeyEvent> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            KeyHistoryReader.Page page = apiKeys.history().page(EventFilter.all(), cursor, 3);
            seen.addAll(page.events());
            cursor = page.nextCursor().orElse(null);
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(10).doesNotHaveDuplicates().isSortedAccordingTo(EventFilter.NEWEST_FIRST);
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.history().page(EventFilter.all(), "1.x", 3))
                .withMessageContaining("cursor");
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.history().page(EventFilter.all(), null, 501))
                .withMessageContaining("limit must be 1 to 500");
    }

    @Test
    void eventsOlderThanTheRetentionArePurged() {
        ApiKeys apiKeys = apiKeys(store);
        String old = apiKeys.create(KeySpec.builder("old").scopes("events:read").build()).info().keyId();
        clock.advance(Duration.ofDays(20));
        String recent = apiKeys.create(KeySpec.builder("new").scopes("events:read").build()).info().keyId();
        clock.advance(Duration.ofDays(11));

        assertThat(apiKeys.history().purgeExpired()).isEqualTo(1);
        assertThat(apiKeys.history().ofKey(old)).isEmpty();
        assertThat(apiKeys.history().ofKey(recent)).hasSize(1);
        assertThat(apiKeys.get(old)).as("the key itself stays").isPresent();
        assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.builder().historyRetention(Duration.ofHours(1)))
                .withMessageContaining("historyRetention must be between PT24H and PT87600H");
    }

    @Test
    void theDailyPurgeRunsOnTheInstancesSchedulerOnlyWhereTheStoreKeepsAHistory() {
        java.util.concurrent.ScheduledThreadPoolExecutor host = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        host.setRemoveOnCancelPolicy(true);
        try {
            // The purge is the one task due in about ten minutes, then once a day.
            java.util.function.LongSupplier purges = () -> host.getQueue().stream()
                    .map(r -> (java.util.concurrent.ScheduledFuture<?>) r)
                    .filter(f -> f.getDelay(java.util.concurrent.TimeUnit.MINUTES) >= 9
                            && f.getDelay(java.util.concurrent.TimeUnit.MINUTES) <= 10)
                    .count();
            ApiKeys kept = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).scheduler(host)
                    .build();
            assertThat(purges.getAsLong()).isEqualTo(1);
            kept.close();
            assertThat(purges.getAsLong()).as("cancelled by close").isZero();
            try (ApiKeys none = ApiKeys.builder().prefix("wlcro").store(new PlainStore(store)).scopes(TestKeys.SCOPES)
                    .scheduler(host).build()) {
                assertThat(purges.getAsLong()).as("no history, no purge").isZero();
            }
        } finally {
            host.shutdownNow();
        }
    }

    @Test
    void aWriteThatFailsRecordsNoEvent() {
        ApiKeys apiKeys = apiKeys(store);
        String id = apiKeys.create(KeySpec.builder("crm").scopes("events:read").build()).info().keyId();
        StoredKey stored = store.findById(id).orElseThrow();

        assertThatExceptionOfType(dev.apikey.spi.VersionConflictException.class).isThrownBy(() -> store.write(
                List.of(KeyWrite.replace(stored.withRevokedAt(clock.instant()), stored.version() + 1)),
                List.of(KeyHistoryWriter.event(stored, Type.REVOKED, "user:alice", clock.instant(),
                        java.util.Map.of()))));
        assertThat(apiKeys.history().ofKey(id)).extracting(KeyEvent::type).containsExactly(Type.CREATED);
    }

    @Test
    void aStoreWithoutAHistoryWorksAsBeforeAndSaysItKeepsNone() {
        ApiKeys apiKeys = apiKeys(new PlainStore(store));
        String id = apiKeys.create(KeySpec.builder("crm").scopes("events:read").build()).info().keyId();
        ApiKeyInfo revoked = apiKeys.revoke(id);

        assertThat(revoked.status()).isEqualTo(ApiKeyInfo.Status.REVOKED);
        assertThat(apiKeys.history().isKept()).isFalse();
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> apiKeys.history().ofKey(id))
                .withMessageContaining("keeps no history");
        assertThat(store.findEvents(EventFilter.all(), 10)).as("written around the history").isEmpty();
    }

    /** A third-party store of before: the key SPI only. */
    private record PlainStore(KeyStore delegate) implements KeyStore {
        @Override
        public Optional<StoredKey> findById(String keyId) {
            return delegate.findById(keyId);
        }

        @Override
        public List<StoredKey> findPage(KeyFilter filter, int limit) {
            return delegate.findPage(filter, limit);
        }

        @Override
        public void write(List<KeyWrite> writes) {
            delegate.write(writes);
        }
    }

    /** The key id of a plaintext key. */
    private static final class KeyFormatOf {
        static String id(String plaintext) {
            return dev.apikey.model.KeyFormat.of("wlcro").parse(plaintext).orElseThrow().keyId();
        }
    }
}
