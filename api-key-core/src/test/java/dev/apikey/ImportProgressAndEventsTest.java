package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.StoredKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An import tells its progress (counts only) as it goes, and announces each key it wrote to the
 * {@link KeyEventListener} after the write committed: none for a dry run, a batch with a refused line, or a batch
 * whose write the store rolled back (issue 29, import29).
 */
class ImportProgressAndEventsTest {

    private static final Actor OPERATOR = new Actor("cli", GrantCeiling.everything(), null);

    private final MutableClock clock = MutableClock.at("2026-12-03T10:00:00Z");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    /** What the listener heard: {@code created <id>} or {@code imported <id>}. */
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
            .hasher(Sha256Hasher.create()).clock(clock).listener(new KeyEventListener() {
                @Override
                public void created(ApiKeyInfo key) {
                    heard.add("created " + key.keyId());
                }

                @Override
                public void imported(ApiKeyInfo key) {
                    heard.add("imported " + key.keyId());
                }
            }).build();

    /** The progress calls, as {@code checked/written/total}, and {@code writing n}. */
    private final List<String> told = new ArrayList<>();
    private final ImportProgress progress = new ImportProgress() {
        @Override
        public void progress(int checked, int written, int total) {
            told.add(checked + "/" + written + "/" + total);
        }

        @Override
        public void writing(int keys) {
            told.add("writing " + keys);
        }
    };

    @AfterEach
    void close() {
        apiKeys.close();
    }

    private static List<KeyImport> lines(int n, boolean lastRefused) {
        List<KeyImport> lines = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String scope = lastRefused && i == n ? "nope:read" : "events:read";
            lines.add(KeyImport.plaintext(i, "sk_live_legacy0000000000000000" + i, KeySpec.builder("k" + i)
                    .tenantId("92").scopes(scope).build(), "cust-" + i));
        }
        return lines;
    }

    private ImportReport run(List<KeyImport> lines, KeyImport.Mode mode) {
        heard.clear();
        return apiKeys.manage(OPERATOR).importKeys(lines, mode, progress);
    }

    @Test
    void aBatchOfNTellsEachLineCheckedThenTheWriteAndAnnouncesNImportedKeysAfterIt() {
        ImportReport report = run(lines(3, false), KeyImport.Mode.BATCH);

        assertThat(told).containsExactly("1/0/3", "2/0/3", "3/0/3", "writing 3", "3/3/3");
        assertThat(heard).containsExactlyInAnyOrderElementsOf(report.lines().stream()
                .map(r -> "imported " + r.keyId()).toList()).hasSize(3);
    }

    @Test
    void aBatchWithARefusedLineOrADryRunTellsNoWriteAndAnnouncesNothing() {
        run(lines(3, true), KeyImport.Mode.BATCH);
        assertThat(told).containsExactly("1/0/3", "2/0/3", "3/0/3");
        assertThat(heard).isEmpty();

        told.clear();
        run(lines(3, false), KeyImport.Mode.DRY_RUN);
        assertThat(told).containsExactly("1/0/3", "2/0/3", "3/0/3");
        assertThat(heard).isEmpty();
        assertThat(TestKeys.all(store)).isEmpty();
    }

    @Test
    void lineByLineCountsEachWriteAndAnnouncesEachWrittenKeyOnly() {
        ImportReport report = run(lines(3, true), KeyImport.Mode.PER_LINE);

        assertThat(told).containsExactly("1/1/3", "2/2/3", "3/2/3");
        assertThat(report.written()).isEqualTo(2);
        assertThat(heard).hasSize(2).allMatch(h -> h.startsWith("imported "));
    }

    @Test
    void aBatchTheStoreRollsBackAnnouncesNothing() {
        // Just before the batch's write another writer takes one of its external ids: the store refuses the write.
        ImportProgress racing = new ImportProgress() {
            @Override
            public void progress(int checked, int written, int total) {
            }

            @Override
            public void writing(int keys) {
                store.insert(StoredKey.builder("Race0001").secretHash("$sha256$c2FsdA$aGFzaA")
                        .attributes(KeySpec.builder("other").tenantId("92").scopes("events:read").build())
                        .createdAt(clock.instant()).externalId("cust-2").build());
            }
        };
        heard.clear();

        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() ->
                apiKeys.manage(OPERATOR).importKeys(lines(3, false), KeyImport.Mode.BATCH, racing));

        assertThat(heard).isEmpty();
        assertThat(TestKeys.all(store)).extracting(StoredKey::keyId).containsExactly("Race0001");
    }

    @Test
    void aCreateIsStillAnnouncedAsCreated() {
        String keyId = apiKeys.create(KeySpec.builder("new").scopes("events:read").build()).info().keyId();
        assertThat(heard).containsExactly("created " + keyId);
    }
}
