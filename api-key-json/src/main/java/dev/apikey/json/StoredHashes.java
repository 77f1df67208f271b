package dev.apikey.json;

import dev.apikey.spi.LegacyHash;

/**
 * Reads the text forms of a stored hash of a whole key, as other systems keep them, into the legacy stored hash of
 * {@link LegacyHash}: SHA-256 as 64 hex digits or as base64 (standard or URL-safe, padded or not); bcrypt in modular
 * crypt form ({@code $2a$}, {@code $2b$}, {@code $2y$}); Argon2id in PHC form ({@code $argon2id$v=19$m=...}); PBKDF2
 * in PHC form ({@code $pbkdf2-sha256$i=...$salt$hash}) or passlib's modular crypt form ({@code $pbkdf2-sha256$29000$
 * salt$hash}, {@code $pbkdf2$...} for SHA-1). A salted hash needs the key's id part (the characters by which a key
 * finds its row), since a salted hash cannot be looked up. A hash already in a legacy form passes as it is.
 *
 * <p>Thread-safe; static methods only. Messages name the form and the rule, never the hash.
 */
public final class StoredHashes {

    private StoredHashes() {
    }

    /**
     * Reads a stored hash.
     *
     * @param text   the hash as the source system stored it
     * @param idPart the key's id part, for a salted hash; {@code null} otherwise
     * @return the legacy stored hash
     * @throws JsonRefusal naming {@code stored_hash} or {@code id_part} and the rule
     */
    public static String legacy(String text, String idPart) {
        String hash = text.strip();
        if (LegacyHash.isLegacy(hash) && LegacyHash.lookupDigest(hash) != null) {
            return hash;
        }
        String salted = LegacyHash.saltedAlgorithm(hash);
        if (salted != null) {
            if (idPart == null || idPart.isEmpty()) {
                throw JsonRefusal.invalid("id_part", "id_part is required with a salted " + salted + " hash: the "
                        + "characters of the key by which it is found");
            }
            try {
                return LegacyHash.salted(idPart, hash);
            } catch (IllegalArgumentException e) {
                throw JsonRefusal.invalid("stored_hash", "stored_hash: " + e.getMessage());
            }
        }
        if (hash.startsWith("$")) {
            throw JsonRefusal.invalid("stored_hash", "stored_hash must be SHA-256 (64 hex digits, or base64), bcrypt "
                    + "($2a$, $2b$, $2y$), Argon2id ($argon2id$) or PBKDF2 ($pbkdf2-sha256$ PHC or modular crypt)");
        }
        if (idPart != null) {
            throw JsonRefusal.invalid("id_part", "id_part goes with a salted hash only; a SHA-256 of the whole key is "
                    + "found by itself");
        }
        try {
            return hash.length() == 64 ? LegacyHash.sha256Hex(hash) : LegacyHash.sha256Base64(hash);
        } catch (IllegalArgumentException e) {
            throw JsonRefusal.invalid("stored_hash", "stored_hash: " + e.getMessage()
                    + " (SHA-256 as 64 hex digits or 43 to 44 base64 characters)");
        }
    }
}
