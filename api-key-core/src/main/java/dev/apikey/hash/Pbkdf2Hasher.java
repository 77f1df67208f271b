package dev.apikey.hash;

import dev.apikey.internal.Phc;
import dev.apikey.spi.SecretHasher;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2 with the JDK's own implementation, for keys a host hashed with it before (see
 * {@code dev.apikey.model.LegacyFormat}). Reads two forms of PBKDF2 with HMAC-SHA-1, -SHA-256 or -SHA-512:
 * <ul>
 * <li>PHC: {@code $pbkdf2-sha256$i=<iterations>[,l=<length>]$<salt>$<hash>}, base64 without padding;</li>
 * <li>modular crypt as passlib writes it: {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}, its "adapted" base64
 *     ({@code .} for {@code +}), and {@code $pbkdf2$...} for SHA-1.</li>
 * </ul>
 * Writes the PHC form with SHA-256 at 600,000 iterations (OWASP's figure). A stored hash asking for more than
 * {@value #MAX_ITERATIONS} iterations is refused unread, so a corrupt row cannot stall a verify.
 *
 * <p>Thread-safe.
 */
public final class Pbkdf2Hasher implements SecretHasher {

    /** The PHC identifier this hasher writes. */
    public static final String ALGORITHM = "pbkdf2-sha256";
    /** The most iterations a stored hash may ask for. */
    public static final int MAX_ITERATIONS = 5_000_000;
    private static final int ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final SecureRandom random = new SecureRandom();

    private Pbkdf2Hasher() {
    }

    /** {@return a PBKDF2 hasher} */
    public static Pbkdf2Hasher create() {
        return new Pbkdf2Hasher();
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public String hash(byte[] secret) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive("PBKDF2WithHmacSHA256", secret, salt, ITERATIONS, HASH_BYTES);
        return "$" + ALGORITHM + "$i=" + ITERATIONS + ",l=" + HASH_BYTES + "$" + Phc.encode(salt) + "$"
                + Phc.encode(hash);
    }

    @Override
    public boolean verify(byte[] secret, String storedHash) {
        Parsed p = parse(storedHash);
        if (p == null) {
            return false;
        }
        return MessageDigest.isEqual(derive(p.mac, secret, p.salt, p.iterations, p.hash.length), p.hash);
    }

    @Override
    public boolean isWellFormed(String storedHash) {
        return parse(storedHash) != null;
    }

    @Override
    public boolean needsRehash(String storedHash) {
        Parsed p = parse(storedHash);
        return p == null || !"PBKDF2WithHmacSHA256".equals(p.mac) || p.iterations < ITERATIONS;
    }

    private record Parsed(String mac, int iterations, byte[] salt, byte[] hash) {
    }

    /** Reads either form; {@code null} for anything else. Never throws. */
    private static Parsed parse(String storedHash) {
        String[] f = Phc.fields(storedHash);
        if (f.length != 4) {
            return null;
        }
        String mac = switch (f[0]) {
            case "pbkdf2", "pbkdf2-sha1" -> "PBKDF2WithHmacSHA1";
            case "pbkdf2-sha256" -> "PBKDF2WithHmacSHA256";
            case "pbkdf2-sha512" -> "PBKDF2WithHmacSHA512";
            default -> null;
        };
        if (mac == null) {
            return null;
        }
        boolean phc = f[1].startsWith("i=");
        int iterations;
        int length = -1;
        if (phc) {
            String[] params = f[1].split(",", -1);
            iterations = number(params[0].substring(2));
            if (params.length == 2 && params[1].startsWith("l=")) {
                length = number(params[1].substring(2));
            } else if (params.length != 1) {
                return null;
            }
        } else {
            iterations = number(f[1]);
        }
        byte[] salt = phc ? Phc.decode(f[2]) : Phc.decode(f[2].replace('.', '+'));
        byte[] hash = phc ? Phc.decode(f[3]) : Phc.decode(f[3].replace('.', '+'));
        if (iterations < 1 || iterations > MAX_ITERATIONS || salt == null || hash == null || salt.length > 1024
                || hash.length < 16 || hash.length > 64 || (length != -1 && length != hash.length)) {
            return null;
        }
        return new Parsed(mac, iterations, salt, hash);
    }

    /** A decimal of at most 9 digits, or -1. */
    private static int number(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(text);
    }

    private static byte[] derive(String mac, byte[] secret, byte[] salt, int iterations, int bytes) {
        // The key's characters are ASCII: one char per byte, which the JDK encodes back as the same bytes.
        char[] password = new char[secret.length];
        for (int i = 0; i < secret.length; i++) {
            password[i] = (char) (secret[i] & 0xff);
        }
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(mac).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mac + " is required by every Java platform", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(password, '\0');
        }
    }
}
