package dev.apikey.bench;

import dev.apikey.model.KeyFormat;
import java.util.Random;

/** Keys an attacker can make from one real key: another key id, or another secret, each with a valid checksum. */
final class ForgedKeys {

    private ForgedKeys() {
    }

    /** {@return a random key id of the key format's length and alphabet} */
    static String randomId(Random random) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < KeyFormat.KEY_ID_LENGTH; i++) {
            id.append(KeyFormat.ALPHABET.charAt(random.nextInt(KeyFormat.ALPHABET.length())));
        }
        return id.toString();
    }

    /** {@return the key with another key id and a valid checksum} */
    static String withKeyId(String key, String keyId) {
        int token = key.length() - KeyFormat.TOKEN_LENGTH;
        String body = key.substring(0, token) + keyId
                + key.substring(token + KeyFormat.KEY_ID_LENGTH, key.length() - KeyFormat.CHECKSUM_LENGTH);
        return body + KeyFormat.checksum(body);
    }

    /** {@return the key with a random secret and a valid checksum} */
    static String wrongSecret(String key, Random random) {
        int secret = key.length() - KeyFormat.TOKEN_LENGTH + KeyFormat.KEY_ID_LENGTH;
        StringBuilder body = new StringBuilder(key.substring(0, secret));
        for (int i = 0; i < KeyFormat.SECRET_LENGTH; i++) {
            body.append(KeyFormat.ALPHABET.charAt(random.nextInt(KeyFormat.ALPHABET.length())));
        }
        return body + KeyFormat.checksum(body.toString());
    }
}
