package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeyAlreadyRotatedException;
import dev.apikey.model.KeyChangedException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The rules of a key's life are decided in the core and written as versioned replaces: a change that loses a race to
 * another change of the same key reads the key again and decides anew, and one that keeps losing is reported, never
 * written over what it did not see.
 */
class VersionedChangesTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    /** A store that lets another writer in just before the next writes: the race a second instance wins. */
    private static final class RacedStore implements KeyStore {
        final InMemoryKeyStore delegate = new InMemoryKeyStore();
        final AtomicInteger writes = new AtomicInteger();
        volatile int racesLeft;
        volatile Consumer<InMemoryKeyStore> other = s -> { };

        @Override
        public Optional<StoredKey> findById(String keyId) {
            return delegate.findById(keyId);
        }

        @Override
        public List<StoredKey> findPage(KeyFilter filter, int limit) {
            return delegate.findPage(filter, limit);
        }

        @Override
        public void write(List<KeyWrite> records) {
            writes.incrementAndGet();
            if (racesLeft > 0) {
                racesLeft--;
                other.accept(delegate);
            }
            delegate.write(records);
        }
    }

    private ApiKeys apiKeys(KeyStore store) {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2())
                .clock(clock).listener(new KeyEventListener() {
                    @Override
                    public void revoked(ApiKeyInfo key) {
                        events.add("revoked " + key.keyId());
                    }

                    @Override
                    public void updated(ApiKeyInfo before, ApiKeyInfo after) {
                        events.add("updated " + after.attributes().name());
                    }
                }).build();
    }

    private static void renameBehindTheBack(InMemoryKeyStore s, String keyId, String name) {
        StoredKey k = s.findById(keyId).orElseThrow();
        s.replace(k.withAttributes(k.attributes().toBuilder().name(name).build()), k.version());
    }

    @Test
    void aKeyStartsAtVersionOneAndEachChangeOfStateOrAttributesCountsOneUp() {
        RacedStore store = new RacedStore();
        try (ApiKeys a = apiKeys(store)) {
            IssuedKey issued = a.create(KeySpec.builder("crm").scopes("events:read").build());
            String id = issued.info().keyId();
            assertThat(issued.info().version()).isEqualTo(1);

            assertThat(a.update(id, KeyUpdate.builder().owner("team-crm").build()).version()).isEqualTo(2);
            assertThat(a.update(id, KeyUpdate.builder().owner("team-crm").build()).version())
                    .as("an edit that changes nothing writes nothing").isEqualTo(2);
            assertThat(a.disable(id).version()).isEqualTo(3);
            assertThat(a.enable(id).version()).isEqualTo(4);
            a.verify(issued.plaintext(), "events:read");
            a.flushLastUsed();
            assertThat(a.get(id).orElseThrow().version()).as("a use is a side write").isEqualTo(4);
            assertThat(a.revoke(id).version()).isEqualTo(5);
            assertThat(a.revoke(id).version()).as("a second revoke changes nothing").isEqualTo(5);
        }
    }

    @Test
    void anEditThatLostARaceIsAppliedToTheKeyAsTheWinnerLeftIt() {
        RacedStore store = new RacedStore();
        try (ApiKeys a = apiKeys(store)) {
            String id = a.create(KeySpec.builder("crm").scopes("events:read").build()).info().keyId();
            store.other = s -> {
                StoredKey k = s.findById(id).orElseThrow();
                s.replace(k.withAttributes(k.attributes().toBuilder().owner("someone").build()), k.version());
            };
            store.racesLeft = 1;

            ApiKeyInfo after = a.update(id, KeyUpdate.builder().name("crm-v2").build());

            assertThat(after.attributes().name()).isEqualTo("crm-v2");
            assertThat(after.attributes().owner()).as("the winner's change stays").contains("someone");
            assertThat(after.version()).isEqualTo(3);
            assertThat(store.findById(id).orElseThrow()).usingRecursiveComparison().ignoringFields("secretHash")
                    .isEqualTo(store.delegate.findById(id).orElseThrow());
        }
    }

    @Test
    void aRevokeThatLostARaceToAnotherRevokeChangesNothingAndSaysSoOnce() {
        RacedStore store = new RacedStore();
        try (ApiKeys a = apiKeys(store)) {
            String id = a.create(KeySpec.builder("crm").scopes("events:read").build()).info().keyId();
            store.other = s -> {
                StoredKey k = s.findById(id).orElseThrow();
                s.replace(k.withRevokedAt(clock.instant().minusSeconds(5)), k.version());
            };
            store.racesLeft = 1;
            clock.advance(Duration.ofSeconds(10));

            ApiKeyInfo after = a.revoke(id);

            assertThat(after.revokedAt()).as("the first revocation time stays").contains(clock.instant().minusSeconds(5));
            assertThat(events).as("no event: this revoke changed nothing").isEmpty();
        }
    }

    @Test
    void aRotationThatLostARaceToAnotherRotationIsRefusedAndWritesNoSecondSuccessor() {
        RacedStore store = new RacedStore();
        try (ApiKeys a = apiKeys(store)) {
            String id = a.create(KeySpec.builder("crm").scopes("events:read").build()).info().keyId();
            ApiKeys other = apiKeys(store.delegate);
            store.other = s -> other.rotate(id, Duration.ofHours(1));
            store.racesLeft = 1;

            assertThatExceptionOfType(KeyAlreadyRotatedException.class).isThrownBy(() -> a.rotate(id, Duration.ZERO));

            assertThat(TestKeys.all(store.delegate)).as("the old key and one successor").hasSize(2);
            other.close();
        }
    }

    @Test
    void aChangeThatKeepsLosingIsReportedAndWritesNothing() {
        RacedStore store = new RacedStore();
        try (ApiKeys a = apiKeys(store)) {
            String id = a.create(KeySpec.builder("crm").scopes("events:read").build()).info().keyId();
            AtomicInteger n = new AtomicInteger();
            store.other = s -> renameBehindTheBack(s, id, "other-" + n.incrementAndGet());
            store.racesLeft = Integer.MAX_VALUE;
            int writesBefore = store.writes.get();

            assertThatExceptionOfType(KeyChangedException.class)
                    .isThrownBy(() -> a.update(id, KeyUpdate.builder().owner("me").build()))
                    .withMessageContaining("kept changing while it was being edited");

            assertThat(store.writes.get() - writesBefore).isEqualTo(KeyLifecycle.RACE_ATTEMPTS);
            assertThat(store.findById(id).orElseThrow().attributes().owner()).as("nothing of it written").isEmpty();
            assertThat(events).isEmpty();
        }
    }
}
