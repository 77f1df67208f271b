package dev.apikey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.LegacyFormat;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyDigestLookup;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.LegacyHash;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store with the {@link KeyDigestLookup} capability must do, as a JUnit 5 test class to extend (beside
 * {@link KeyStoreContract}): a legacy key found by the look-up digest of its stored hash (a whole key's SHA-256 or a
 * salted hash's id part), nothing found for our own keys or an unknown digest, the digest unique (a second key with it
 * refused, nothing written), a replaced key found as it now is; and, through {@link ApiKeys}, an imported legacy key
 * verified, then refused once revoked.
 *
 * <pre>{@code
 * class MongoKeyDigestLookupContractTest extends KeyDigestLookupContract {
 *     protected KeyStore newStore() {
 *         return new MongoKeyStore(freshCollection());   // empty for each test, a KeyDigestLookup
 *     }
 * }
 * }</pre>
 */
public abstract class KeyDigestLookupContract {

    /** A fixed time, with milliseconds. */
    protected static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123Z");
    /** A legacy key of the hand-written kind: 32 hex digits after a prefix. */
    protected static final String LEGACY_KEY = "sk_live_4f9a2b7c1d3e5f60718293a4b5c6d7e8";
    private static final String BCRYPT = "$2y$05$Iw//OsaGGyLxSckO7heWWORGI8D6jbsFbiXQLgkvHuYWWbdIr7nfa";

    private KeyStore store;
    private KeyDigestLookup lookup;

    /** Extended by a test class per store. */
    protected KeyDigestLookupContract() {
    }

    /** {@return a new, empty store that is a {@link KeyDigestLookup}}; called before each case */
    protected abstract KeyStore newStore();

    /** Makes the store for a case. */
    @BeforeEach
    void createStore() {
        store = newStore();
        assertThat(store).as("the store under the digest look-up contract").isInstanceOf(KeyDigestLookup.class);
        lookup = (KeyDigestLookup) store;
    }

    private static StoredKey key(String id, String hash) {
        return StoredKey.builder(id).secretHash(hash).attributes(KeySpec.builder("k-" + id).tenantId("92")
                .scopes("events:read").build()).createdAt(T0).build();
    }

    /** A whole key's digest is found by itself, a salted hash by its id part's digest. */
    @Test
    void findsALegacyKeyByTheLookUpDigestOfItsStoredHash() {
        StoredKey digest = key("Lg000001", LegacyHash.sha256Hex(LegacyHash.keyDigest(LEGACY_KEY)));
        StoredKey salted = key("Lg000002", LegacyHash.salted("7Hq2LmP9", BCRYPT));
        store.insert(digest);
        store.insert(salted);
        assertThat(lookup.findByLookupDigest(LegacyHash.keyDigest(LEGACY_KEY))).contains(digest);
        assertThat(lookup.findByLookupDigest(LegacyHash.idDigest("7Hq2LmP9"))).contains(salted);
    }

    /** Our own keys have no look-up digest; an unknown digest finds nothing. */
    @Test
    void findsNothingForAnUnknownDigestNorForOurOwnKeys() {
        store.insert(key("Ours0001", "$sha256$c2FsdHNhbHRzYWx0c2FsdA$" + "A".repeat(43)));
        assertThat(lookup.findByLookupDigest(LegacyHash.keyDigest(LEGACY_KEY))).isEmpty();
        assertThat(lookup.findByLookupDigest("0".repeat(64))).isEmpty();
    }

    /** The digest is unique: a second key with it is refused and not written. */
    @Test
    void aSecondKeyWithTheSameDigestIsRefusedAndNothingIsWritten() {
        String hash = LegacyHash.sha256Hex(LegacyHash.keyDigest(LEGACY_KEY));
        StoredKey first = key("Lg000001", hash);
        store.insert(first);
        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> store.insert(key("Lg000002", hash)));
        assertThat(store.findById("Lg000002")).isEmpty();
        assertThat(lookup.findByLookupDigest(LegacyHash.keyDigest(LEGACY_KEY))).contains(first);
    }

    /** A replace (a revoke here) is what the look-up then finds. */
    @Test
    void aReplacedKeyIsFoundAsItNowIs() {
        StoredKey key = key("Lg000001", LegacyHash.sha256Hex(LegacyHash.keyDigest(LEGACY_KEY)));
        store.insert(key);
        StoredKey revoked = key.withRevokedAt(T0.plusSeconds(60));
        store.replace(revoked, key.version());
        assertThat(lookup.findByLookupDigest(LegacyHash.keyDigest(LEGACY_KEY))).get()
                .extracting(StoredKey::revokedAt).isEqualTo(revoked.revokedAt());
    }

    /** Through the library: imported, verified by the whole key, refused once revoked. */
    @Test
    void anImportedLegacyKeyVerifiesThroughApiKeysUntilRevoked() {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("acme").store(store)
                .scopes(ScopeCatalog.builder().scope("events:read", "Read events").build())
                .legacyFormat(LegacyFormat.digest("hand-written").prefix("sk_live_").length(40, 40)
                        .alphabet("0123456789abcdef").build())
                .build()) {
            ApiKeyInfo info = apiKeys.legacy().importKey(KeySpec.builder("crm").tenantId("92").scopes("events:read")
                    .build(), LegacyHash.sha256Hex(LegacyHash.keyDigest(LEGACY_KEY)));
            Verification granted = apiKeys.verify(LEGACY_KEY, "events:read");
            assertThat(granted.isGranted()).isTrue();
            assertThat(granted.principal().orElseThrow().keyId()).isEqualTo(info.keyId());
            assertThat(apiKeys.get(info.keyId()).orElseThrow().legacy()).isTrue();
            apiKeys.revoke(info.keyId());
            assertThat(apiKeys.verify(LEGACY_KEY, "events:read").failure()).contains(Failure.REVOKED_API_KEY);
        }
    }
}
