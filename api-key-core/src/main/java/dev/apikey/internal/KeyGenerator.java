package dev.apikey.internal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Generates keys: a random lookup id and secret from a {@link SecureRandom}, and the CRC32 checksum of
 * everything before it.
 *
 * <p>Not API. Thread-safe: {@link SecureRandom} is.
 */
public final class KeyGenerator {

    private final String prefix;
    private final SecureRandom random;

    /**
     * @param prefix validated prefix
     * @param random the source of randomness
     */
    public KeyGenerator(String prefix, SecureRandom random) {
        this.prefix = prefix;
        this.random = random;
    }

    /** A freshly generated key: the plaintext, its key id, and the secret's bytes to hash. */
    public static final class Generated {
        private final char[] plaintext;
        private final String keyId;
        private final byte[] secret;

        Generated(char[] plaintext, String keyId, byte[] secret) {
            this.plaintext = plaintext;
            this.keyId = keyId;
            this.secret = secret;
        }

        /** The full key as shown once to its holder. */
        public String plaintext() {
            return new String(plaintext);
        }

        /** The public lookup id. */
        public String keyId() {
            return keyId;
        }

        /** The secret's ASCII bytes, to hash; zeroed by {@link #destroy()}. */
        public byte[] secret() {
            return secret;
        }

        /** Zeroes the plaintext and secret held here. */
        public void destroy() {
            Arrays.fill(plaintext, '\0');
            Arrays.fill(secret, (byte) 0);
        }

        @Override
        public String toString() {
            return "Generated[keyId=" + keyId + ", secret=redacted]";
        }
    }

    /** {@return the key prefix of this environment} */
    public String prefix() {
        return prefix;
    }

    /**
     * Generates a key for a tenant.
     *
     * @param tenantId validated tenant id, or {@code null} for a tenant-less key
     */
    public Generated generate(String tenantId) {
        String head = tenantId == null ? prefix + '_' : prefix + '_' + tenantId + '_';
        int token = head.length();
        char[] key = new char[token + KeyLayout.TOKEN_LENGTH];
        head.getChars(0, token, key, 0);
        int checksumStart = token + KeyLayout.LOOKUP_ID_LENGTH + KeyLayout.SECRET_LENGTH;
        for (int i = token; i < checksumStart; i++) {
            key[i] = Base62.ALPHABET.charAt(random.nextInt(62));
        }
        byte[] ascii = new byte[checksumStart];
        for (int i = 0; i < checksumStart; i++) {
            ascii[i] = (byte) key[i];
        }
        CRC32 crc = new CRC32();
        crc.update(ascii, 0, checksumStart);
        Base62.encode(crc.getValue(), key, checksumStart, KeyLayout.CHECKSUM_LENGTH);
        String keyId = new String(key, token, KeyLayout.LOOKUP_ID_LENGTH);
        byte[] secret = Arrays.copyOfRange(ascii, token + KeyLayout.LOOKUP_ID_LENGTH, checksumStart);
        Arrays.fill(ascii, (byte) 0);
        return new Generated(key, keyId, secret);
    }
}
