package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Actor;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.StoredKey;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An import's external id is a look-up key of its own (issue 29, import29): stored with the key, unique, and what a
 * rerun's line is recognised by, whether the key is ours or legacy: the same line unchanged, a changed one refused as
 * a conflict naming the line and the key it was imported as, never applied.
 */
class ImportExternalIdTest {

    private static final Actor OPERATOR = new Actor("cli", GrantCeiling.everything(), null);
    private static final String LEGACY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

    private final MutableClock clock = MutableClock.at("2026-12-03T10:00:00Z");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
            .hasher(Sha256Hasher.create()).clock(clock).build();

    @AfterEach
    void close() {
        apiKeys.close();
    }

    private static KeySpec spec(String scope) {
        return KeySpec.builder("crm").tenantId("92").scopes(scope).build();
    }

    private ImportReport run(KeyImport.Mode mode, KeyImport... lines) {
        return apiKeys.manage(OPERATOR).importKeys(List.of(lines), mode);
    }

    @Test
    void theExternalIdIsStoredWithTheKeyAndARerunOfTheLineIsUnchanged() {
        String keyId = run(KeyImport.Mode.BATCH, KeyImport.plaintext(1, LEGACY, spec("events:read"), "crm:cust-1"))
                .lines().get(0).keyId();

        ImportReport again = run(KeyImport.Mode.BATCH, KeyImport.plaintext(1, LEGACY, spec("events:read"),
                "crm:cust-1"));

        assertThat(store.findByExternalId("crm:cust-1")).get().extracting(StoredKey::keyId).isEqualTo(keyId);
        assertThat(again.lines()).singleElement().extracting(ImportResult::outcome, ImportResult::keyId)
                .containsExactly(ImportResult.Outcome.UNCHANGED, keyId);
        assertThat(TestKeys.all(store)).hasSize(1);
    }

    /** Before: the changed key was imported as a second key, the source's one customer then holding two. */
    @Test
    void aChangedKeyUnderTheSameExternalIdIsAConflictNamingTheLineAndTheKeyAndTheBatchWritesNothing() {
        String keyId = run(KeyImport.Mode.BATCH, KeyImport.plaintext(1, LEGACY, spec("events:read"), "crm:cust-1"))
                .lines().get(0).keyId();
        String changed = "sk_live_9zQ1WwErTyUiOpAsDfGhJkLz";

        ImportReport rerun = run(KeyImport.Mode.BATCH,
                KeyImport.plaintext(1, "sk_live_NEWnewNEWnewNEWnew000000", spec("events:read"), "crm:cust-2"),
                KeyImport.plaintext(2, changed, spec("events:read"), "crm:cust-1"));

        ImportResult conflict = rerun.lines().get(1);
        assertThat(conflict.outcome()).isEqualTo(ImportResult.Outcome.REFUSED);
        assertThat(conflict.code()).isEqualTo("external_id_conflict");
        assertThat(conflict.keyId()).isEqualTo(keyId);
        assertThat(conflict.message()).contains("line 2", "crm:cust-1", keyId, "the key").doesNotContain(changed);
        assertThat(rerun.written()).isZero();
        assertThat(TestKeys.all(store)).hasSize(1);
        assertThat(apiKeys.verify(changed, "events:read").isGranted()).isFalse();
    }

    @Test
    void changedAttributesAreAConflictNamingThemNotAnEdit() {
        String plaintext = apiKeys.create(spec("events:read")).plaintext();
        String keyId = apiKeys.verify(plaintext, null).principal().orElseThrow().keyId();
        ApiKeys target = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(Sha256Hasher.create()).clock(clock).build();
        try (target) {
            target.manage(OPERATOR).importKeys(List.of(KeyImport.plaintext(1, plaintext, spec("events:read"),
                    "crm:cust-1")), KeyImport.Mode.BATCH);

            ImportReport rerun = target.manage(OPERATOR).importKeys(List.of(KeyImport.plaintext(7, plaintext,
                    spec("events:write"), "crm:cust-1")), KeyImport.Mode.PER_LINE);

            assertThat(rerun.lines()).singleElement().satisfies(r -> {
                assertThat(r.code()).isEqualTo("external_id_conflict");
                assertThat(r.message()).contains("line 7", keyId, "scopes").doesNotContain("the key,");
            });
            assertThat(target.get(keyId).orElseThrow().attributes().scopes()).containsExactly("events:read");
        }
    }

    @Test
    void aStoreThatKeepsNoExternalIdsRefusesALineWithOneNamingTheCapability() {
        String plaintext = apiKeys.create(spec("events:read")).plaintext();
        CountingKeyStore plain = new CountingKeyStore();
        try (ApiKeys target = ApiKeys.builder().prefix("wlcro").store(plain).scopes(TestKeys.SCOPES)
                .hasher(Sha256Hasher.create()).clock(clock).build()) {
            ImportReport report = target.manage(OPERATOR).importKeys(List.of(KeyImport.plaintext(3, plaintext,
                    spec("events:read"), "crm:cust-1")), KeyImport.Mode.BATCH);

            assertThat(report.lines()).singleElement().satisfies(r -> {
                assertThat(r.code()).isEqualTo("invalid");
                assertThat(r.message()).contains("external_id", "ExternalIdLookup");
            });
            assertThat(TestKeys.all(plain)).isEmpty();
            assertThat(target.manage(OPERATOR).importKeys(List.of(KeyImport.plaintext(3, plaintext,
                    spec("events:read"), null)), KeyImport.Mode.BATCH).written()).isEqualTo(1);
        }
    }

    @Test
    void anExternalIdTwiceInOneImportIsRefusedOnItsSecondLine() {
        ImportReport report = run(KeyImport.Mode.DRY_RUN,
                KeyImport.plaintext(1, LEGACY, spec("events:read"), "crm:cust-1"),
                KeyImport.plaintext(2, "sk_live_9zQ1WwErTyUiOpAsDfGhJkLz", spec("events:read"), "crm:cust-1"));

        assertThat(report.lines()).extracting(ImportResult::code).containsExactly(null, "duplicate_external_id");
    }

    @Test
    void aBadExternalIdIsRefusedNamingTheFieldAndTheLine() {
        for (String bad : List.of("", " cust-1", "cust-1 ", "cust\u00e9", "cust\u0007", "x".repeat(201))) {
            assertThatIllegalArgumentException().as("external id %s", bad)
                    .isThrownBy(() -> KeyImport.plaintext(12, LEGACY, spec("events:read"), bad))
                    .withMessageStartingWith("line 12: external_id must be 1 to 200 printable ASCII characters");
        }
        assertThat(KeyImport.plaintext(12, LEGACY, spec("events:read"), "x".repeat(200)).externalId())
                .hasSize(200);
    }
}
