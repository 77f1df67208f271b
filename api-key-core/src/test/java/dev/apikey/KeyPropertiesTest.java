package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every one-character change of a valid key is refused offline: no store call, no hash call.
 */
class KeyPropertiesTest {

    private static CountingKeyStore store;
    private static CountingHasher hasher;
    private static ApiKeys apiKeys;
    private static String key;
    private static String tenantless;

    @BeforeContainer
    static void createKeys() {
        store = new CountingKeyStore();
        hasher = new CountingHasher(TestKeys.cheapArgon2());
        apiKeys = ApiKeys.builder().prefix("k_live").store(store).scopes(TestKeys.SCOPES).hasher(hasher).build();
        key = apiKeys.create(KeySpec.builder("prop").tenantId("92").scopes("events:read").build()).plaintext();
        tenantless = apiKeys.create(KeySpec.builder("prop2").scopes("events:read").build()).plaintext();
    }

    /** A change: which key, at which position, to which character, or a deletion or insertion. */
    record Edit(boolean tenantKey, int position, char replacement, int kind) {
        String apply(String k) {
            int p = position % (k.length() + (kind == 2 ? 1 : 0));
            switch (kind) {
                case 0:
                    return k.substring(0, p) + replacement + k.substring(p + 1);
                case 1:
                    return k.substring(0, p) + k.substring(p + 1);
                default:
                    return k.substring(0, p) + replacement + k.substring(p);
            }
        }
    }

    @Provide
    Arbitrary<Edit> edits() {
        Arbitrary<Character> chars = Arbitraries.oneOf(
                Arbitraries.chars().range('!', '~'),
                Arbitraries.of('_', '0', 'A', 'z', '\u00e9', '\u0430'));
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 200), chars,
                Arbitraries.integers().between(0, 2)).as(Edit::new);
    }

    @Property(tries = 3000)
    void everyOneCharacterChangeIsRefusedWithoutTouchingStoreOrHasher(@ForAll("edits") Edit edit) {
        String original = edit.tenantKey() ? key : tenantless;
        String changed = edit.apply(original);
        if (changed.equals(original)) {
            return;
        }
        int finds = store.finds.get();
        int verifies = hasher.verifies.get();

        Verification v = apiKeys.verify(changed, null);

        assertThat(v.isGranted()).as(changed).isFalse();
        assertThat(v.failure()).hasValueSatisfying(f -> assertThat(f).isIn(Failure.MALFORMED_API_KEY,
                Failure.MALFORMED_REQUEST, Failure.WRONG_ENVIRONMENT, Failure.MISSING_API_KEY));
        assertThat(store.finds.get()).isEqualTo(finds);
        assertThat(hasher.verifies.get()).isEqualTo(verifies);
    }

    @Property(tries = 500)
    void arbitraryHeadersNeverThrowNorReachTheStore(@ForAll String header) {
        int finds = store.finds.get();

        Verification v = apiKeys.verify(header, "events:read");

        assertThat(v.isGranted()).isFalse();
        assertThat(store.finds.get()).isEqualTo(finds);
    }
}
