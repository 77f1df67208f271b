package dev.apikey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.apikey.ApiKeys;
import dev.apikey.ImportReport;
import dev.apikey.ImportResult;
import dev.apikey.KeyImport;
import dev.apikey.model.Actor;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.ExternalIdLookup;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store with the {@link ExternalIdLookup} capability must do, as a JUnit 5 test class to extend (beside
 * {@link KeyStoreContract}): a key found by the external id it was written with (one or many at once), nothing for
 * an unknown id, the id unique (a second key with it refused, in another write or the same one, nothing written),
 * kept through a replace; and, through {@link ApiKeys}, an import's rerun recognised by it: the same line unchanged, a changed line refused as
 * a conflict naming the key it was imported as.
 *
 * <pre>{@code
 * class MongoExternalIdLookupContractTest extends ExternalIdLookupContract {
 *     protected KeyStore newStore() {
 *         return new MongoKeyStore(freshCollection());   // empty for each test, an ExternalIdLookup
 *     }
 * }
 * }</pre>
 */
public abstract class ExternalIdLookupContract {

    /** A fixed time, with milliseconds. */
    protected static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123Z");
    private static final String HASH = "$sha256$c2FsdHNhbHRzYWx0c2FsdA$" + "A".repeat(43);

    private KeyStore store;
    private ExternalIdLookup lookup;

    /** Extended by a test class per store. */
    protected ExternalIdLookupContract() {
    }

    /** {@return a new, empty store that is an {@link ExternalIdLookup}}; called before each case */
    protected abstract KeyStore newStore();

    /** Makes the store for a case. */
    @BeforeEach
    void createStore() {
        store = newStore();
        assertThat(store).as("the store under the external id contract").isInstanceOf(ExternalIdLookup.class);
        lookup = (ExternalIdLookup) store;
    }

    private static StoredKey key(String id, String externalId) {
        return StoredKey.builder(id).secretHash(HASH).attributes(KeySpec.builder("k-" + id).tenantId("92")
                .scopes("events:read").build()).createdAt(T0).externalId(externalId).build();
    }

    /** Found by the id it was written with; an unknown id, or a key written without one, finds nothing. */
    @Test
    void findsAKeyByItsExternalIdAndNothingForAnUnknownOne() {
        StoredKey imported = key("Ext00001", "crm:cust-1");
        store.insert(imported);
        store.insert(key("Ext00002", null));
        assertThat(lookup.findByExternalId("crm:cust-1")).contains(imported);
        assertThat(lookup.findByExternalId("crm:cust-2")).isEmpty();
        assertThat(store.findById("Ext00002").orElseThrow().externalId()).isNull();
    }

    /** Many ids at once: each one a key holds, to that key; the rest absent. */
    @Test
    void findsManyKeysByTheirExternalIdsAtOnce() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            ids.add("crm:cust-" + i);
        }
        StoredKey first = key("Ext00001", ids.get(0));
        StoredKey last = key("Ext01199", ids.get(1199));
        store.write(List.of(KeyWrite.insert(first), KeyWrite.insert(last), KeyWrite.insert(key("Ext00002", null))));
        assertThat(lookup.findByExternalIds(ids)).containsOnly(java.util.Map.entry(ids.get(0), first),
                java.util.Map.entry(ids.get(1199), last));
        assertThat(lookup.findByExternalIds(List.of())).isEmpty();
    }

    /** Unique: a second key with the id is refused, in a later write or in the same one, and nothing is written. */
    @Test
    void aSecondKeyWithTheSameExternalIdIsRefusedAndNothingIsWritten() {
        StoredKey first = key("Ext00001", "crm:cust-1");
        store.insert(first);
        assertThatExceptionOfType(DuplicateKeyException.class)
                .isThrownBy(() -> store.insert(key("Ext00002", "crm:cust-1")));
        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> store.write(List.of(
                KeyWrite.insert(key("Ext00003", "crm:cust-3")), KeyWrite.insert(key("Ext00004", "crm:cust-3")))));
        assertThat(store.findById("Ext00002")).isEmpty();
        assertThat(store.findById("Ext00003")).isEmpty();
        assertThat(lookup.findByExternalId("crm:cust-3")).isEmpty();
        assertThat(lookup.findByExternalId("crm:cust-1")).contains(first);
    }

    /** A replace (a revoke here) keeps the id: the look-up finds the key as it now is. */
    @Test
    void aReplacedKeyKeepsItsExternalId() {
        StoredKey key = key("Ext00001", "crm:cust-1");
        store.insert(key);
        StoredKey revoked = key.withRevokedAt(T0.plusSeconds(60));
        store.replace(revoked, key.version());
        StoredKey found = lookup.findByExternalId("crm:cust-1").orElseThrow();
        assertThat(found.revokedAt()).isEqualTo(revoked.revokedAt());
        assertThat(found.externalId()).isEqualTo("crm:cust-1");
    }

    /** Through the library: a rerun's line is unchanged; the same external id with another key is a conflict. */
    @Test
    void anImportRerunIsRecognisedByItsExternalId() {
        ScopeCatalog scopes = ScopeCatalog.builder().scope("events:read", "Read events").build();
        try (ApiKeys source = ApiKeys.builder().prefix("acme").store(new dev.apikey.InMemoryKeyStore()).scopes(scopes)
                .build();
                ApiKeys apiKeys = ApiKeys.builder().prefix("acme").store(store).scopes(scopes).build()) {
            Actor operator = new Actor("cli", GrantCeiling.everything(), null);
            KeySpec spec = KeySpec.builder("crm").tenantId("92").scopes("events:read").build();
            String first = source.create(spec).plaintext();
            String other = source.create(spec).plaintext();
            List<KeyImport> once = List.of(KeyImport.plaintext(1, first, spec, "crm:cust-1"));
            String keyId = apiKeys.manage(operator).importKeys(once, KeyImport.Mode.BATCH).lines().get(0).keyId();

            ImportReport rerun = apiKeys.manage(operator).importKeys(once, KeyImport.Mode.BATCH);
            ImportReport changed = apiKeys.manage(operator).importKeys(List.of(KeyImport.plaintext(4, other, spec,
                    "crm:cust-1")), KeyImport.Mode.BATCH);

            assertThat(rerun.lines()).singleElement().extracting(ImportResult::outcome, ImportResult::keyId)
                    .containsExactly(ImportResult.Outcome.UNCHANGED, keyId);
            assertThat(changed.lines()).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(ImportResult.Outcome.REFUSED);
                assertThat(r.code()).isEqualTo("external_id_conflict");
                assertThat(r.keyId()).isEqualTo(keyId);
                assertThat(r.message()).contains("line 4", keyId).doesNotContain(other);
            });
            assertThat(changed.written()).isZero();
            assertThat(lookup.findByExternalId("crm:cust-1").orElseThrow().keyId()).isEqualTo(keyId);
            assertThat(apiKeys.verify(other, "events:read").isGranted()).isFalse();
        }
    }
}
