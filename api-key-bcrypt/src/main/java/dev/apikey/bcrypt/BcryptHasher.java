package dev.apikey.bcrypt;

import dev.apikey.spi.SecretHasher;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * bcrypt through Spring Security's {@code BCrypt}, for legacy keys a host stored as bcrypt hashes (as
 * {@code htpasswd -B} writes them): reads {@code $2a$}, {@code $2b$} and {@code $2y$} (the three differ only in old
 * implementations' bugs, none of which a key of printable ASCII meets), writes {@code $2b$}. Register it with
 * {@code ApiKeys.builder().legacyHasher(BcryptHasher.create())}.
 *
 * <p>bcrypt reads at most 72 bytes of a secret; a longer key is checked on its first 72 bytes, as every bcrypt
 * implementation that stored it did. A stored hash asking for a cost above {@value #MAX_COST} is refused unread, so a
 * corrupt row cannot stall a verify.
 *
 * <p>Thread-safe.
 */
public final class BcryptHasher implements SecretHasher {

    /** The identifier this hasher writes. */
    public static final String ALGORITHM = "2b";
    /** The highest cost a stored hash may ask for (2^16 rounds, about four seconds). */
    public static final int MAX_COST = 16;
    private static final int MIN_COST = 4;
    private static final int DEFAULT_COST = 12;
    private static final int HASH_LENGTH = 60;
    private static final int MAX_SECRET_BYTES = 72;

    private final int cost;
    private final SecureRandom random;

    private BcryptHasher(int cost, SecureRandom random) {
        this.cost = cost;
        this.random = random;
    }

    /** {@return a hasher writing cost 12} */
    public static BcryptHasher create() {
        return withCost(DEFAULT_COST);
    }

    /**
     * {@return a hasher writing the given cost}
     *
     * @param cost log2 of the rounds, 10 to {@value #MAX_COST}
     * @throws IllegalArgumentException if cost is outside that range
     */
    public static BcryptHasher withCost(int cost) {
        if (cost < 10 || cost > MAX_COST) {
            throw new IllegalArgumentException("cost must be between 10 and " + MAX_COST + ", was " + cost);
        }
        return new BcryptHasher(cost, new SecureRandom());
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public String hash(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        byte[] head = head(secret);
        try {
            return BCrypt.hashpw(head, BCrypt.gensalt("$2b", cost, random));
        } finally {
            if (head != secret) {
                Arrays.fill(head, (byte) 0);
            }
        }
    }

    @Override
    public boolean verify(byte[] secret, String storedHash) {
        if (secret == null || !isWellFormed(storedHash)) {
            return false;
        }
        byte[] head = head(secret);
        try {
            return BCrypt.checkpw(head, storedHash);
        } catch (RuntimeException e) {
            return false;
        } finally {
            if (head != secret) {
                Arrays.fill(head, (byte) 0);
            }
        }
    }

    /** Length 60, a known version, a cost in range, then 53 characters of bcrypt's base64. Never throws. */
    @Override
    public boolean isWellFormed(String storedHash) {
        if (storedHash == null || storedHash.length() != HASH_LENGTH || storedHash.charAt(0) != '$'
                || storedHash.charAt(1) != '2' || storedHash.charAt(3) != '$' || storedHash.charAt(6) != '$') {
            return false;
        }
        char version = storedHash.charAt(2);
        if (version != 'a' && version != 'b' && version != 'y') {
            return false;
        }
        int c = costOf(storedHash);
        if (c < MIN_COST || c > MAX_COST) {
            return false;
        }
        for (int i = 7; i < HASH_LENGTH; i++) {
            char ch = storedHash.charAt(i);
            boolean ok = ch == '.' || ch == '/' || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')
                    || (ch >= '0' && ch <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean needsRehash(String storedHash) {
        return !isWellFormed(storedHash) || costOf(storedHash) < cost;
    }

    private static int costOf(String hash) {
        char tens = hash.charAt(4);
        char ones = hash.charAt(5);
        if (tens < '0' || tens > '9' || ones < '0' || ones > '9') {
            return -1;
        }
        return (tens - '0') * 10 + (ones - '0');
    }

    /** The first 72 bytes, a copy only when the secret is longer. */
    private static byte[] head(byte[] secret) {
        return secret.length <= MAX_SECRET_BYTES ? secret : Arrays.copyOf(secret, MAX_SECRET_BYTES);
    }

    @Override
    public String toString() {
        return "BcryptHasher[cost=" + cost + "]";
    }
}
