package dev.apikey.bcrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** bcrypt hashes of legacy keys, from an independent tool and from this hasher. */
class BcryptHasherTest {

    private static final String KEY = "ak_7Hq2LmP9xR4tW8zB3nV6cY1dF5gJ0kS";
    /** {@code htpasswd -nbB -C 5 u 'ak_7Hq2LmP9xR4tW8zB3nV6cY1dF5gJ0kS'} (Debian apache2-utils), the part after ':'. */
    private static final String HTPASSWD = "$2y$05$Iw//OsaGGyLxSckO7heWWORGI8D6jbsFbiXQLgkvHuYWWbdIr7nfa";

    private final BcryptHasher hasher = BcryptHasher.withCost(10);

    @Test
    void readsTheHashHtpasswdWrote() {
        assertThat(hasher.isWellFormed(HTPASSWD)).isTrue();
        assertThat(hasher.verify(bytes(KEY), HTPASSWD)).isTrue();
        assertThat(hasher.verify(bytes(KEY + "x"), HTPASSWD)).isFalse();
        assertThat(hasher.verify(bytes(KEY.substring(1)), HTPASSWD)).isFalse();
    }

    @Test
    void readsA2aAnd2bSpellingOfTheSameHash() {
        assertThat(hasher.verify(bytes(KEY), "$2a$" + HTPASSWD.substring(4))).isTrue();
        assertThat(hasher.verify(bytes(KEY), "$2b$" + HTPASSWD.substring(4))).isTrue();
    }

    @Test
    void writesHashesItReads() {
        String hash = hasher.hash(bytes(KEY));
        assertThat(hash).startsWith("$2b$10$").hasSize(60);
        assertThat(hasher.verify(bytes(KEY), hash)).isTrue();
        assertThat(hasher.needsRehash(hash)).isFalse();
        assertThat(BcryptHasher.create().needsRehash(hash)).isTrue();
    }

    @Test
    void aKeyLongerThan72BytesIsCheckedOnItsFirst72AsBcryptStoredIt() {
        String longKey = "k".repeat(72);
        String hash = hasher.hash(bytes(longKey));
        assertThat(hasher.verify(bytes(longKey + "tail"), hash)).isTrue();
        assertThat(hasher.verify(bytes("j" + longKey.substring(1)), hash)).isFalse();
    }

    @Test
    void refusesCorruptOrCostlyHashesUnreadAndNeverThrows() {
        assertThat(hasher.isWellFormed("$2y$31$" + HTPASSWD.substring(7))).isFalse();
        assertThat(hasher.verify(bytes(KEY), "$2y$31$" + HTPASSWD.substring(7))).isFalse();
        assertThat(hasher.isWellFormed("$2x$05$" + HTPASSWD.substring(7))).isFalse();
        assertThat(hasher.isWellFormed(HTPASSWD.substring(0, 59))).isFalse();
        assertThat(hasher.isWellFormed(HTPASSWD.substring(0, 59) + "!")).isFalse();
        assertThat(hasher.isWellFormed(null)).isFalse();
        assertThat(hasher.verify(bytes(KEY), "$argon2id$v=19$m=4096,t=2,p=1$c2FsdA$aGFzaA")).isFalse();
    }

    @Test
    void aCostOutsideTheRangeIsRefusedNamingIt() {
        assertThatThrownBy(() -> BcryptHasher.withCost(9)).hasMessageContaining("cost must be between 10 and 16");
        assertThatThrownBy(() -> BcryptHasher.withCost(17)).hasMessageContaining("cost must be between 10 and 16");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
