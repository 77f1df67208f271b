package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Actor;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.StoredKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Importing keys through the core: the rules of a create per line, batches all or nothing, reruns idempotent. */
class KeyImportTest {

    private final MutableClock clock = MutableClock.at("2026-12-03T10:00:00Z");
    private final InMemoryKeyStore sourceStore = new InMemoryKeyStore();
    private final InMemoryKeyStore targetStore = new InMemoryKeyStore();
    private final ApiKeys source = build(sourceStore, 100);
    private ApiKeys target = build(targetStore, 100);
    private static final Actor OPERATOR = new Actor("cli", GrantCeiling.everything(), null);

    private ApiKeys build(InMemoryKeyStore store, int cap) {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(Sha256Hasher.create())
                .clock(clock).maxLiveKeysPerTenant(cap).build();
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    private String issue(String tenant, String scope) {
        return source.create(spec("k", tenant, scope)).plaintext();
    }

    private static KeyImport line(long n, String plaintext, String tenant, String scope) {
        return KeyImport.plaintext(n, plaintext, spec("imported", tenant, scope), "ext-" + n);
    }

    private static KeySpec spec(String name, String tenant, String scope) {
        KeySpec.Builder b = KeySpec.builder(name).scopes(scope);
        if (tenant != null) {
            b.tenantId(tenant);
        }
        return b.build();
    }

    @Test
    void plaintextsOfOurFormatVerifyInTheNewStoreAndARerunChangesNothing() {
        String a = issue("92", "events:read");
        String b = issue(null, "events:write");
        List<KeyImport> lines = List.of(line(1, a, "92", "events:read"), line(2, b, null, "events:write"));

        ImportReport first = target.manage(OPERATOR).importKeys(lines, KeyImport.Mode.BATCH);

        assertThat(first.written()).isEqualTo(2);
        assertThat(first.lines()).extracting(ImportResult::outcome).containsOnly(ImportResult.Outcome.CREATE);
        assertThat(target.verify(a, "events:read").isGranted()).isTrue();
        assertThat(target.verify(b, "events:write").isGranted()).isTrue();
        ImportReport again = target.manage(OPERATOR).importKeys(lines, KeyImport.Mode.BATCH);
        assertThat(again.written()).isZero();
        assertThat(again.lines()).extracting(ImportResult::outcome).containsOnly(ImportResult.Outcome.UNCHANGED);
    }

    @Test
    void aBatchWithARefusedLineWritesNothingAndNamesTheLine() {
        Actor reader = new Actor("user:alice", GrantCeiling.scopes(List.of("events:read")), null);
        List<KeyImport> lines = List.of(line(1, issue("92", "events:read"), "92", "events:read"),
                line(2, issue("92", "events:read"), "92", "webhooks:write"),
                line(3, "wlcro_not-a-key", "92", "events:read"));

        ImportReport report = target.manage(reader).importKeys(lines, KeyImport.Mode.BATCH);

        assertThat(report.written()).isZero();
        assertThat(TestKeys.all(targetStore)).isEmpty();
        assertThat(report.lines().get(0).outcome()).isEqualTo(ImportResult.Outcome.CREATE);
        assertThat(report.lines().get(1)).satisfies(r -> {
            assertThat(r.line()).isEqualTo(2);
            assertThat(r.code()).isEqualTo("scope_not_grantable");
        });
        assertThat(report.lines().get(2)).satisfies(r -> {
            assertThat(r.code()).isEqualTo("malformed_key");
            assertThat(r.message()).doesNotContain("not-a-key");
        });
    }

    @Test
    void perLineWritesTheGoodLinesAndDryRunWritesNone() {
        List<KeyImport> lines = List.of(line(1, issue("92", "events:read"), "92", "events:read"),
                line(2, issue("92", "events:read"), "93", "events:read"));

        ImportReport dry = target.manage(OPERATOR).importKeys(lines, KeyImport.Mode.DRY_RUN);
        assertThat(dry.written()).isZero();
        assertThat(TestKeys.all(targetStore)).isEmpty();
        assertThat(dry.lines().get(1).code()).isEqualTo("invalid");
        assertThat(dry.lines().get(1).message()).contains("tenant_id");

        ImportReport perLine = target.manage(OPERATOR).importKeys(lines, KeyImport.Mode.PER_LINE);
        assertThat(perLine.written()).isEqualTo(1);
        assertThat(TestKeys.all(targetStore)).hasSize(1);
    }

    @Test
    void theTenantsCapCountsTheBatchsOwnKeys() {
        target.close();
        target = build(targetStore, 2);
        List<KeyImport> lines = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            lines.add(line(i, issue("92", "events:read"), "92", "events:read"));
        }

        ImportReport report = target.manage(OPERATOR).importKeys(lines, KeyImport.Mode.BATCH);

        assertThat(report.lines().get(2).code()).isEqualTo("key_limit_reached");
        assertThat(report.refused()).isEqualTo(1);
        assertThat(TestKeys.all(targetStore)).isEmpty();
    }

    @Test
    void storedKeysMoveWithTheirStateAndARotatedPairVerifiesOnBothSides() {
        String old = issue("92", "events:read");
        String oldId = source.verify(old, null).principal().orElseThrow().keyId();
        String fresh = source.rotate(oldId, Duration.ofDays(7)).plaintext();
        String revoked = issue("92", "events:read");
        source.revoke(source.verify(revoked, null).principal().orElseThrow().keyId());
        List<KeyImport> lines = new ArrayList<>();
        for (StoredKey k : TestKeys.all(sourceStore)) {
            lines.add(KeyImport.record(lines.size() + 1, k, List.of()));
        }

        ImportReport report = target.manage(OPERATOR).importKeys(lines, KeyImport.Mode.BATCH);

        assertThat(report.written()).isEqualTo(3);
        assertThat(target.verify(old, null).isGranted()).isTrue();
        assertThat(target.verify(fresh, null).isGranted()).isTrue();
        assertThat(target.verify(revoked, null).failure().orElseThrow().code()).isEqualTo("revoked_api_key");
        assertThat(TestKeys.all(targetStore)).allSatisfy(k -> assertThat(k.version()).isEqualTo(1));
    }

    @Test
    void keysOfAnotherFormatBecomeLegacyKeysFoundByTheirDigestAndARerunChangesNothing() {
        String sha256Hex = "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d";
        List<KeyImport> lines = List.of(
                line(1, "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "92", "events:read"),
                KeyImport.legacy(2, dev.apikey.spi.LegacyHash.sha256Hex(sha256Hex), spec("hashed", "92",
                        "events:read"), "cust-2"),
                line(3, "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "92", "events:read"));

        ImportReport first = target.manage(OPERATOR).importKeys(lines, KeyImport.Mode.PER_LINE);

        assertThat(first.lines()).extracting(ImportResult::outcome).containsExactly(ImportResult.Outcome.CREATE,
                ImportResult.Outcome.CREATE, ImportResult.Outcome.REFUSED);
        assertThat(first.lines().get(2).code()).isEqualTo("duplicate_key");
        assertThat(TestKeys.all(targetStore)).hasSize(2).allSatisfy(k ->
                assertThat(dev.apikey.spi.LegacyHash.isLegacy(k.secretHash())).isTrue());
        assertThat(TestKeys.all(targetStore)).anySatisfy(k -> assertThat(k.secretHash())
                .isEqualTo(dev.apikey.spi.LegacyHash.sha256Hex(dev.apikey.spi.LegacyHash.keyDigest(
                        "sk_live_4eC39HqLyjWDarjtT1zdp7dc"))));
        ImportReport again = target.manage(OPERATOR).importKeys(lines.subList(0, 2), KeyImport.Mode.BATCH);
        assertThat(again.lines()).extracting(ImportResult::outcome).containsOnly(ImportResult.Outcome.UNCHANGED);
        assertThat(TestKeys.all(targetStore)).hasSize(2);
    }

    @Test
    void aMalformedKeyOfOurLayoutIsRefusedNotTakenForALegacyKey() {
        String key = issue("92", "events:read");
        String broken = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");

        ImportReport report = target.manage(OPERATOR).importKeys(List.of(line(1, broken, "92", "events:read")),
                KeyImport.Mode.BATCH);

        assertThat(report.lines().get(0).code()).isEqualTo("malformed_key");
        assertThat(TestKeys.all(targetStore)).isEmpty();
    }
}
