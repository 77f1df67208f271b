package dev.apikey.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.apikey.spi.SecretHasher;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class HashersTest {

    private static final byte[] SECRET = "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER = "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEPPER = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static List<SecretHasher> hashers() {
        return List.of(Argon2idHasher.owaspMinimum(), Sha256Hasher.create(),
                HmacSha256Hasher.builder().pepper("p1", PEPPER).build());
    }

    @ParameterizedTest
    @MethodSource("hashers")
    void hashesAreSelfDescribingAndVerifyOnlyTheirSecret(SecretHasher hasher) {
        String hash = hasher.hash(SECRET);

        assertThat(hash).startsWith("$" + hasher.algorithm() + "$");
        assertThat(hash).doesNotContain(new String(SECRET, StandardCharsets.US_ASCII));
        assertThat(hasher.isWellFormed(hash)).isTrue();
        assertThat(hasher.verify(SECRET, hash)).isTrue();
        assertThat(hasher.verify(OTHER, hash)).isFalse();
        assertThat(hasher.hash(SECRET)).as("salted").isNotEqualTo(hash);
        assertThat(hasher.needsRehash(hash)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("hashers")
    void corruptOrForeignStoredHashesVerifyFalseAndNeverThrow(SecretHasher hasher) {
        String good = hasher.hash(SECRET);
        String[] corrupt = {
            null, "", "$", "$$$$", "plain", good + "$x", good.replace('$', '!'),
            "$" + hasher.algorithm() + "$", "$" + hasher.algorithm() + "$v=19$m=x,t=2,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$" + "A".repeat(5), "$sha256$%%%$%%%", "$hmac-sha256$k=nope$AAAA$AAAA"
        };
        for (String stored : corrupt) {
            assertThat(hasher.verify(SECRET, stored)).as(String.valueOf(stored)).isFalse();
            assertThat(hasher.isWellFormed(stored)).as(String.valueOf(stored)).isFalse();
        }
        String truncated = good.substring(0, good.length() - 5);
        // A middle character: the last one of unpadded base64 may only carry padding bits.
        int at = good.length() - 10;
        String flipped = good.substring(0, at) + (good.charAt(at) == 'A' ? 'B' : 'A') + good.substring(at + 1);
        assertThat(hasher.verify(SECRET, truncated)).isFalse();
        assertThat(hasher.verify(SECRET, flipped)).isFalse();
    }

    @Test
    void argon2idDefaultsToTheOwaspMinimum() {
        String hash = Argon2idHasher.owaspMinimum().hash(SECRET);
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void argon2idRefusesWeakParametersUnlessOptedInByName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Argon2idHasher.builder().memoryKiB(4096).build())
                .withMessageContaining("below the OWASP minimum").withMessageContaining("insecureAllowWeakParameters");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Argon2idHasher.builder().iterations(1).build());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Argon2idHasher.builder().parallelism(0).build())
                .withMessageContaining("parallelism");

        Argon2idHasher weak = Argon2idHasher.builder().memoryKiB(1024).iterations(1).insecureAllowWeakParameters()
                .build();
        assertThat(weak.hash(SECRET)).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
    }

    @Test
    void argon2idWantsARehashWhenTheParametersChanged() {
        Argon2idHasher weak = Argon2idHasher.builder().memoryKiB(1024).iterations(1).insecureAllowWeakParameters()
                .build();
        String old = weak.hash(SECRET);

        Argon2idHasher current = Argon2idHasher.owaspMinimum();
        assertThat(current.verify(SECRET, old)).isTrue();
        assertThat(current.needsRehash(old)).isTrue();
        assertThat(current.needsRehash(current.hash(SECRET))).isFalse();
    }

    @Test
    void hmacVerifiesPreviousPeppersAndWantsThemRehashed() {
        byte[] oldPepper = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        String old = HmacSha256Hasher.builder().pepper("2025", oldPepper).build().hash(SECRET);
        HmacSha256Hasher current = HmacSha256Hasher.builder().pepper("2026", PEPPER).previousPepper("2025", oldPepper)
                .build();
        HmacSha256Hasher forgot = HmacSha256Hasher.builder().pepper("2026", PEPPER).build();

        assertThat(current.verify(SECRET, old)).isTrue();
        assertThat(current.needsRehash(old)).isTrue();
        assertThat(forgot.verify(SECRET, old)).isFalse();
        assertThat(current.toString()).doesNotContain(new String(PEPPER, StandardCharsets.US_ASCII));
    }

    @Test
    void hmacRefusesShortPeppersAndBadIds() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HmacSha256Hasher.builder().pepper("p", new byte[16]))
                .withMessageContaining("at least 32 bytes");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HmacSha256Hasher.builder().pepper("bad id", PEPPER))
                .withMessageContaining("pepper id");
        assertThatIllegalStateException().isThrownBy(() -> HmacSha256Hasher.builder().build())
                .withMessageContaining("current pepper");
    }
}
