package dev.apikey.hash;

import dev.apikey.internal.Phc;
import dev.apikey.spi.SecretHasher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Salted SHA-256: {@code $sha256$<salt>$<SHA-256(salt || secret)>}. For hosts with many cold verifies that
 * cannot afford Argon2 on each. Safe for this library's keys because their secrets carry ~190 random bits,
 * far beyond the 112 bits NIST SP 800-63B asks of a secret verified with an approved one-way function; it
 * would not be safe for passwords.
 *
 * <p>Thread-safe.
 */
public final class Sha256Hasher implements SecretHasher {

    /** The PHC identifier. */
    public static final String ALGORITHM = "sha256";

    private static final int SALT_BYTES = 16;

    private final SecureRandom random;

    private Sha256Hasher(SecureRandom random) {
        this.random = random;
    }

    /** {@return a SHA-256 hasher drawing salts from a new {@link SecureRandom}} */
    public static Sha256Hasher create() {
        return new Sha256Hasher(new SecureRandom());
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public String hash(byte[] secret) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return "$" + ALGORITHM + "$" + Phc.encode(salt) + "$" + Phc.encode(digest(salt, secret));
    }

    @Override
    public boolean verify(byte[] secret, String storedHash) {
        String[] f = Phc.fields(storedHash);
        if (!isWellFormed(f)) {
            return false;
        }
        return MessageDigest.isEqual(digest(Phc.decode(f[1]), secret), Phc.decode(f[2]));
    }

    @Override
    public boolean isWellFormed(String storedHash) {
        return isWellFormed(Phc.fields(storedHash));
    }

    private static boolean isWellFormed(String[] f) {
        if (f.length != 3 || !ALGORITHM.equals(f[0])) {
            return false;
        }
        byte[] salt = Phc.decode(f[1]);
        byte[] hash = Phc.decode(f[2]);
        return salt != null && salt.length > 0 && hash != null && hash.length == 32;
    }

    private static byte[] digest(byte[] salt, byte[] secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "Sha256Hasher";
    }
}
