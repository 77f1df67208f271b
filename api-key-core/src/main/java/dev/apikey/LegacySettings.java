package dev.apikey;

import dev.apikey.model.LegacyFormat;
import dev.apikey.spi.SecretHasher;
import java.util.List;

/**
 * The host's legacy formats and the hashers that check legacy keys' salted hashes ({@link ApiKeysBuilder#legacyFormat},
 * {@link ApiKeysBuilder#legacyHasher}). Package-private.
 *
 * @param formats the declared formats, in the order they are tried; empty: no legacy key is recognised
 * @param hashers the hashers of salted legacy hashes, each picked by {@link SecretHasher#isWellFormed}
 */
record LegacySettings(List<LegacyFormat> formats, List<SecretHasher> hashers) {

    LegacySettings {
        formats = List.copyOf(formats);
        hashers = List.copyOf(hashers);
    }

    /** {@return the hasher that reads this salted hash, or {@code null}} */
    SecretHasher hasherFor(String saltedHash) {
        for (SecretHasher h : hashers) {
            if (h.isWellFormed(saltedHash)) {
                return h;
            }
        }
        return null;
    }
}
