package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeNotGrantableException;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.LegacyHash;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Importing a legacy key by its stored hash: a key of the store like ours, marked legacy, under every create rule. */
class LegacyImportTest {

    private static final String KEY = "sk_live_4f9a2b7c1d3e5f60718293a4b5c6d7e8";
    private static final String BCRYPT = "$2y$05$Iw//OsaGGyLxSckO7heWWORGI8D6jbsFbiXQLgkvHuYWWbdIr7nfa";

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("acme").store(store).scopes(TestKeys.SCOPES).build();

    @Test
    void anImportedDigestIsAKeyOfTheStoreMarkedLegacyAndFoundByItsDigest() {
        Instant rotateBy = Instant.parse("2031-01-01T00:00:00Z");
        ApiKeyInfo info = apiKeys.legacy().importKey(KeySpec.builder("crm").tenantId("92").scopes("events:read")
                .rotateBy(rotateBy).build(), LegacyHash.sha256Hex(LegacyHash.keyDigest(KEY)));
        assertThat(info.legacy()).isTrue();
        assertThat(info.attributes().rotateBy()).contains(rotateBy);
        assertThat(apiKeys.get(info.keyId())).get().extracting(ApiKeyInfo::legacy).isEqualTo(true);
        assertThat(apiKeys.list("92")).extracting(ApiKeyInfo::keyId).containsExactly(info.keyId());
        assertThat(store.findByLookupDigest(LegacyHash.keyDigest(KEY))).get()
                .extracting(k -> k.keyId()).isEqualTo(info.keyId());
        assertThat(info.toString()).contains("legacy").doesNotContain(LegacyHash.keyDigest(KEY));
    }

    @Test
    void ourOwnKeysAreNotLegacy() {
        assertThat(apiKeys.create(KeySpec.builder("own").scopes("events:read").build()).info().legacy()).isFalse();
    }

    @Test
    void importingTheSameHashAgainNamesTheKeyThatHasItAndWritesNothing() {
        String hash = LegacyHash.salted("7Hq2LmP9", BCRYPT);
        ApiKeyInfo first = apiKeys.legacy().importKey(KeySpec.builder("gw").scopes("events:read").build(), hash);
        assertThatThrownBy(() -> apiKeys.legacy().importKey(KeySpec.builder("gw again").scopes("events:read").build(), hash))
                .isInstanceOfSatisfying(DuplicateKeyException.class, e -> assertThat(e.keyId())
                        .isEqualTo(first.keyId()));
        assertThat(apiKeys.listAll()).hasSize(1);
    }

    @Test
    void aHashNotMadeByLegacyHashIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> apiKeys.legacy().importKey(KeySpec.builder("x").scopes("events:read").build(), BCRYPT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storedHash must be a legacy hash");
        assertThat(apiKeys.listAll()).isEmpty();
    }

    @Test
    void aCallersImportKeepsToItsGrantCeiling() {
        Actor reader = new Actor("ops", GrantCeiling.scopes(java.util.Set.of("events:read")), null);
        assertThatThrownBy(() -> apiKeys.manage(reader).importLegacy(KeySpec.builder("x").scopes("admin").build(),
                LegacyHash.sha256Hex(LegacyHash.keyDigest(KEY)))).isInstanceOf(ScopeNotGrantableException.class);
        assertThat(apiKeys.listAll()).isEmpty();
    }
}
