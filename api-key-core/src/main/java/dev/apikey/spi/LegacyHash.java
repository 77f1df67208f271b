package dev.apikey.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The stored forms of a legacy key's hash (a key handed out before the host used this library, see
 * {@code dev.apikey.model.LegacyFormat}), kept in {@link StoredKey#secretHash()} like our own keys' hashes, and the
 * look-up digest a {@link KeyDigestLookup} store indexes them by. Two forms:
 * <ul>
 * <li>{@code $legacy-sha256$<64 lower-case hex>}: the SHA-256 digest of the whole key, as a hand-written table holds
 *     it ({@link #sha256(byte[])}, {@link #sha256Hex}, {@link #sha256Base64}). Its look-up digest is that digest.</li>
 * <li>{@code $legacy-id$<64 hex>$<salted hash>}: a salted hash of the whole key (bcrypt {@code $2a$/$2b$/$2y$},
 *     Argon2id PHC, PBKDF2 PHC or modular crypt) after the look-up digest of the key's id part
 *     ({@link #salted(String, String)}).</li>
 * </ul>
 * A stored hash of either form marks its key as legacy everywhere ({@link #isLegacy}); our own hashes never start
 * with {@code $legacy-}.
 *
 * <p>Static helpers only; thread-safe.
 */
public final class LegacyHash {

    /** The start of the digest form. */
    public static final String SHA256_PREFIX = "$legacy-sha256$";
    /** The start of the salted form. */
    public static final String ID_PREFIX = "$legacy-id$";
    /** The longest salted hash accepted inside the salted form. */
    public static final int MAX_SALTED_LENGTH = 512;

    private static final int HEX_LENGTH = 64;
    private static final HexFormat HEX = HexFormat.of();
    /** Separates an id part's look-up digest from any whole key's digest. */
    private static final byte[] ID_DOMAIN = "apikey-legacy-id\0".getBytes(StandardCharsets.US_ASCII);

    private LegacyHash() {
    }

    /**
     * {@return the stored form of a whole key's SHA-256 digest}
     *
     * @param digest the 32 bytes of SHA-256 over the key's characters (ASCII)
     * @throws IllegalArgumentException if digest is not 32 bytes
     */
    public static String sha256(byte[] digest) {
        if (Objects.requireNonNull(digest, "digest").length != 32) {
            throw new IllegalArgumentException("digest must be 32 bytes of SHA-256, was " + digest.length);
        }
        return SHA256_PREFIX + HEX.formatHex(digest);
    }

    /**
     * {@return the stored form of a whole key's SHA-256 digest given as hex} (as {@code sha256sum} prints it)
     *
     * @param hex 64 hex digits, either case
     * @throws IllegalArgumentException if it is not 64 hex digits
     */
    public static String sha256Hex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != HEX_LENGTH || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
            throw new IllegalArgumentException("sha256 hex must be 64 hex digits");
        }
        return SHA256_PREFIX + hex.toLowerCase(Locale.ROOT);
    }

    /**
     * {@return the stored form of a whole key's SHA-256 digest given as base64} (standard or URL-safe, padded or not)
     *
     * @param base64 the digest in base64
     * @throws IllegalArgumentException if it is not base64 of 32 bytes
     */
    public static String sha256Base64(String base64) {
        Objects.requireNonNull(base64, "base64");
        String text = base64.replace('-', '+').replace('_', '/');
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sha256 base64 is not base64");
        }
        if (digest.length != 32) {
            throw new IllegalArgumentException("sha256 base64 must hold 32 bytes, held " + digest.length);
        }
        return sha256(digest);
    }

    /**
     * {@return the stored form of a salted hash of a whole key, found by the key's id part}
     *
     * @param idPart the key's id part, as the format declares its position
     * @param hash   bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}), Argon2id ({@code $argon2id$}) or PBKDF2
     *               ({@code $pbkdf2-sha1$}, {@code $pbkdf2-sha256$}, {@code $pbkdf2-sha512$}, PHC or modular
     *               crypt) of the whole key, at most {@link #MAX_SALTED_LENGTH} printable ASCII characters
     * @throws IllegalArgumentException if the id part is empty or the hash is none of those
     */
    public static String salted(String idPart, String hash) {
        Objects.requireNonNull(idPart, "idPart");
        Objects.requireNonNull(hash, "hash");
        if (idPart.isEmpty()) {
            throw new IllegalArgumentException("idPart must not be empty");
        }
        if (saltedAlgorithm(hash) == null) {
            throw new IllegalArgumentException("hash must be bcrypt ($2a$, $2b$, $2y$), Argon2id ($argon2id$) or "
                    + "PBKDF2 ($pbkdf2-sha1$, $pbkdf2-sha256$, $pbkdf2-sha512$), printable ASCII, at most "
                    + MAX_SALTED_LENGTH + " characters");
        }
        return ID_PREFIX + idDigest(idPart) + hash;
    }

    /**
     * {@return whether a stored hash is one of a legacy key}
     *
     * @param storedHash the stored hash, may be null
     */
    public static boolean isLegacy(String storedHash) {
        return storedHash != null && storedHash.startsWith("$legacy-");
    }

    /**
     * {@return the digest a {@link KeyDigestLookup} store indexes a stored hash by: 64 lower-case hex digits, or
     * {@code null} if the hash is not a well-formed legacy one}
     *
     * @param storedHash the stored hash, may be null
     */
    public static String lookupDigest(String storedHash) {
        if (storedHash == null) {
            return null;
        }
        String start = storedHash.startsWith(SHA256_PREFIX) ? SHA256_PREFIX
                : storedHash.startsWith(ID_PREFIX) ? ID_PREFIX : null;
        if (start == null || storedHash.length() < start.length() + HEX_LENGTH) {
            return null;
        }
        String hex = storedHash.substring(start.length(), start.length() + HEX_LENGTH);
        if (!hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return null;
        }
        if (start.equals(SHA256_PREFIX) ? storedHash.length() != start.length() + HEX_LENGTH
                : saltedAlgorithm(storedHash.substring(start.length() + HEX_LENGTH)) == null) {
            return null;
        }
        return hex;
    }

    /**
     * {@return the salted hash inside a stored hash of the salted form, or {@code null} for any other}
     *
     * @param storedHash the stored hash, may be null
     */
    public static String saltedHash(String storedHash) {
        if (storedHash == null || !storedHash.startsWith(ID_PREFIX) || lookupDigest(storedHash) == null) {
            return null;
        }
        return storedHash.substring(ID_PREFIX.length() + HEX_LENGTH);
    }

    /**
     * {@return the look-up digest of a key of the digest form: SHA-256 of the whole key, in hex}
     *
     * @param key the whole key
     */
    public static String keyDigest(String key) {
        return HEX.formatHex(sha256().digest(key.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * {@return the look-up digest of an id part: SHA-256 over a fixed domain label and the id part, in hex}
     *
     * @param idPart the key's id part
     */
    public static String idDigest(String idPart) {
        MessageDigest sha = sha256();
        sha.update(ID_DOMAIN);
        return HEX.formatHex(sha.digest(idPart.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * {@return the algorithm family of a salted hash ({@code bcrypt}, {@code argon2id}, {@code pbkdf2}), or
     * {@code null} if it is none of those or not printable ASCII within {@link #MAX_SALTED_LENGTH}}
     *
     * @param hash the salted hash
     */
    public static String saltedAlgorithm(String hash) {
        if (hash == null || hash.isEmpty() || hash.length() > MAX_SALTED_LENGTH
                || !hash.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return null;
        }
        if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")) {
            return "bcrypt";
        }
        if (hash.startsWith("$argon2id$")) {
            return "argon2id";
        }
        if (hash.startsWith("$pbkdf2-sha1$") || hash.startsWith("$pbkdf2-sha256$")
                || hash.startsWith("$pbkdf2-sha512$") || hash.startsWith("$pbkdf2$")) {
            return "pbkdf2";
        }
        return null;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
