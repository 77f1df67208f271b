package dev.apikey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeyEvent;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.EventFilter;
import dev.apikey.spi.KeyHistory;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import dev.apikey.spi.VersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store with a {@link KeyHistory} must do, as a JUnit 5 test class to extend (beside
 * {@link KeyStoreContract}): events written with their change, all or nothing; appended alone; read back field for
 * field, newest first (by time, then id, descending), by key, by tenant and by time, paged; deleted oldest first by
 * the purge; and, through {@link ApiKeys}, a change's event read by {@code ApiKeys.history()}.
 *
 * <pre>{@code
 * class MongoKeyHistoryContractTest extends KeyHistoryContract {
 *     protected KeyStore newStore() {
 *         return new MongoKeyStore(freshCollection());   // empty for each test, a KeyHistory
 *     }
 * }
 * }</pre>
 */
public abstract class KeyHistoryContract {

    /** A fixed time the cases build their events around, with milliseconds. */
    protected static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123Z");

    private KeyStore store;
    private KeyHistory history;
    private int next;

    /** Extended by a test class per store. */
    protected KeyHistoryContract() {
    }

    /**
     * {@return a new, empty store that is a {@link KeyHistory}}; called before each case
     */
    protected abstract KeyStore newStore();

    /** Makes the store for a case. */
    @BeforeEach
    void createStore() {
        store = newStore();
        assertThat(store).as("the store under the history contract").isInstanceOf(KeyHistory.class);
        history = (KeyHistory) store;
    }

    private static StoredKey key(String id, String tenant) {
        KeySpec.Builder spec = KeySpec.builder("k-" + id).scopes("events:read");
        if (tenant != null) {
            spec.tenantId(tenant);
        }
        return StoredKey.builder(id).secretHash("sha256$" + "0".repeat(64)).attributes(spec.build()).createdAt(T0)
                .build();
    }

    /** An event with a new id that sorts after the ones before. */
    private KeyEvent event(StoredKey key, KeyEvent.Type type, Instant at) {
        return new KeyEvent(String.format("%032x", ++next), key.keyId(), key.lineage(), key.tenantId(), type,
                "user:alice", at, List.of(), Map.of());
    }

    @Test
    void anEventWrittenWithItsChangeReadsBackFieldForField() {
        StoredKey k = key("AAAAAAAA", "92");
        KeyEvent created = new KeyEvent(String.format("%032x", ++next), k.keyId(), k.lineage(), "92",
                KeyEvent.Type.EDITED, "key:wlcro_92_AAAAAAAA", T0,
                List.of(new KeyEvent.Change("name", "crm", "crm \"sync\" ü"), new KeyEvent.Change("owner", null, "bob"),
                        new KeyEvent.Change("metadata", null, null)),
                Map.of("reason", "manual", "source", "https://example.com/a?b=c&d"));

        history.write(List.of(KeyWrite.insert(k)), List.of(created));

        assertThat(store.findById(k.keyId())).isPresent();
        assertThat(history.findEvents(EventFilter.key(k.keyId()), 10)).containsExactly(created);
    }

    @Test
    void aWriteThatFailsWritesNeitherTheChangeNorItsEvents() {
        StoredKey k = key("AAAAAAAA", "92");
        history.write(List.of(KeyWrite.insert(k)), List.of(event(k, KeyEvent.Type.CREATED, T0)));

        assertThatExceptionOfType(VersionConflictException.class).isThrownBy(() -> history.write(
                List.of(KeyWrite.replace(k.withRevokedAt(T0), 7)), List.of(event(k, KeyEvent.Type.REVOKED, T0))));
        StoredKey other = key("BBBBBBBB", "92");
        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> history.write(
                List.of(KeyWrite.insert(other), KeyWrite.insert(k)), List.of(event(other, KeyEvent.Type.CREATED, T0))));

        assertThat(history.findEvents(EventFilter.all(), 10)).extracting(KeyEvent::type)
                .containsExactly(KeyEvent.Type.CREATED);
        assertThat(store.findById(k.keyId()).orElseThrow().revokedAt()).isNull();
        assertThat(store.findById(other.keyId())).isEmpty();
    }

    @Test
    void eventsComeNewestFirstByKeyByTenantAndByTime() {
        StoredKey a = key("AAAAAAAA", "92");
        StoredKey b = key("BBBBBBBB", "93");
        StoredKey none = key("CCCCCCCC", null);
        history.write(List.of(KeyWrite.insert(a), KeyWrite.insert(b), KeyWrite.insert(none)),
                List.of(event(a, KeyEvent.Type.CREATED, T0), event(b, KeyEvent.Type.CREATED, T0),
                        event(none, KeyEvent.Type.CREATED, T0)));
        history.append(List.of(event(a, KeyEvent.Type.WARNED, T0.plusSeconds(60))));
        history.append(List.of(event(b, KeyEvent.Type.WARNED, T0.plusSeconds(120)),
                event(a, KeyEvent.Type.WARNED, T0.plusSeconds(180))));

        List<KeyEvent> all = history.findEvents(EventFilter.all(), 100);
        assertThat(all).hasSize(6).isSortedAccordingTo(EventFilter.NEWEST_FIRST);
        assertThat(all.subList(3, 6)).as("one time: by id, descending").extracting(KeyEvent::keyId)
                .containsExactly("CCCCCCCC", "BBBBBBBB", "AAAAAAAA");
        assertThat(history.findEvents(EventFilter.key("AAAAAAAA"), 100)).extracting(KeyEvent::at)
                .containsExactly(T0.plusSeconds(180), T0.plusSeconds(60), T0);
        assertThat(history.findEvents(EventFilter.tenants(Set.of("93")), 100)).extracting(KeyEvent::keyId)
                .containsOnly("BBBBBBBB").hasSize(2);
        assertThat(history.findEvents(EventFilter.tenants(Set.of("92", "93")), 100)).as("tenant-less keys are not "
                + "a tenant's").extracting(KeyEvent::keyId).doesNotContain("CCCCCCCC").hasSize(5);
        assertThat(history.findEvents(EventFilter.tenants(Set.of()), 100)).isEmpty();
        assertThat(history.findEvents(EventFilter.all().between(T0.plusSeconds(60), T0.plusSeconds(180)), 100))
                .as("from inclusive, to exclusive").extracting(KeyEvent::at)
                .containsExactly(T0.plusSeconds(120), T0.plusSeconds(60));
        assertThat(history.findEvents(EventFilter.all(), 2)).containsExactlyElementsOf(all.subList(0, 2));
    }

    @Test
    void pagesGoOnAfterTheLastEventOfThePageBefore() {
        StoredKey a = key("AAAAAAAA", "92");
        List<KeyEvent> written = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            written.add(event(a, KeyEvent.Type.WARNED, T0.plusMillis(i / 2)));
        }
        history.append(written);

        List<KeyEvent> read = new ArrayList<>();
        EventFilter filter = EventFilter.key(a.keyId());
        List<KeyEvent> page = history.findEvents(filter, 3);
        while (!page.isEmpty()) {
            read.addAll(page);
            page = history.findEvents(filter.after(page.get(page.size() - 1)), 3);
        }

        assertThat(read).hasSize(7).doesNotHaveDuplicates().isSortedAccordingTo(EventFilter.NEWEST_FIRST);
        assertThatIllegalArgumentException().isThrownBy(() -> history.findEvents(filter, 0));
    }

    @Test
    void thePurgeDeletesOldEventsOldestFirstAndAtMostAsManyAsAsked() {
        StoredKey a = key("AAAAAAAA", "92");
        List<KeyEvent> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(event(a, KeyEvent.Type.WARNED, T0.plus(Duration.ofDays(i))));
        }
        history.append(written);

        assertThat(history.purgeBefore(T0.plus(Duration.ofDays(3)), 2)).isEqualTo(2);
        assertThat(history.purgeBefore(T0.plus(Duration.ofDays(3)), 100)).isEqualTo(1);
        assertThat(history.findEvents(EventFilter.all(), 10)).extracting(KeyEvent::at)
                .containsExactly(T0.plus(Duration.ofDays(4)), T0.plus(Duration.ofDays(3)));
    }

    @Test
    void aChangeThroughApiKeysIsReadBackThroughItsHistory() {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(KeyStoreContract.SCOPES).build()) {
            String id = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build()).info()
                    .keyId();
            apiKeys.revoke(id);

            assertThat(apiKeys.history().ofKey(id)).extracting(KeyEvent::type)
                    .containsExactly(KeyEvent.Type.REVOKED, KeyEvent.Type.CREATED);
            assertThat(apiKeys.history().ofTenant("92", null, null)).hasSize(2);
        }
    }
}
