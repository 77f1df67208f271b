package dev.apikey.hash;

import dev.apikey.internal.Phc;
import dev.apikey.spi.SecretHasher;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 with a server-side pepper: {@code $hmac-sha256$k=<pepper id>$<salt>$<HMAC(pepper, salt ||
 * secret)>}. Like {@link Sha256Hasher} it is fast, and a stolen table of hashes is useless without the
 * pepper, which lives outside the database (a secret manager, an environment variable).
 *
 * <p>Peppers are named, so they can be rotated: hashes made with a {@linkplain Builder#previousPepper
 * previous pepper} still verify and are upgraded to the current one on their next successful verify.
 *
 * <p>Thread-safe. {@link #toString()} names the pepper ids only.
 */
public final class HmacSha256Hasher implements SecretHasher {

    /** The PHC identifier. */
    public static final String ALGORITHM = "hmac-sha256";
    /** The shortest pepper accepted, in bytes. */
    public static final int MIN_PEPPER_BYTES = 32;

    private static final String MAC = "HmacSHA256";
    private static final int SALT_BYTES = 16;

    private final String currentId;
    private final Map<String, SecretKeySpec> peppers;
    private final SecureRandom random = new SecureRandom();

    private HmacSha256Hasher(String currentId, Map<String, SecretKeySpec> peppers) {
        this.currentId = currentId;
        this.peppers = peppers;
    }

    /**
     * Starts a hasher; name the current pepper with {@link Builder#pepper}.
     *
     * @return a builder without a pepper
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures an {@link HmacSha256Hasher}. Not thread-safe. */
    public static final class Builder {
        private String currentId;
        private final Map<String, SecretKeySpec> peppers = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The pepper new hashes are made with.
         *
         * @return this builder
         * @param id     a name for it, 1 to 32 of {@code [A-Za-z0-9_-]}, stored in each hash
         * @param pepper at least 32 random bytes; copied
         * @throws IllegalArgumentException if the id or pepper breaks the rules, or the id is taken
         */
        public Builder pepper(String id, byte[] pepper) {
            if (currentId != null) {
                throw new IllegalStateException("the current pepper was already set to '" + currentId + "'");
            }
            add(id, pepper);
            currentId = id;
            return this;
        }

        /**
         * A pepper that older hashes were made with: they still verify, and are rehashed with the current one.
         *
         * @param id the old pepper's id, as stored in its hashes
         * @param pepper the old pepper's bytes; copied
         * @return this builder
         * @throws IllegalArgumentException if the id or pepper breaks the rules, or the id is taken
         */
        public Builder previousPepper(String id, byte[] pepper) {
            add(id, pepper);
            return this;
        }

        private void add(String id, byte[] pepper) {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(pepper, "pepper");
            if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException("pepper id must be 1 to 32 of [A-Za-z0-9_-], was '" + id + "'");
            }
            if (pepper.length < MIN_PEPPER_BYTES) {
                throw new IllegalArgumentException("pepper '" + id + "' must be at least " + MIN_PEPPER_BYTES
                        + " bytes, was " + pepper.length);
            }
            if (peppers.containsKey(id)) {
                throw new IllegalArgumentException("pepper id '" + id + "' is given twice");
            }
            peppers.put(id, new SecretKeySpec(Arrays.copyOf(pepper, pepper.length), MAC));
        }

        /**
         * @return the hasher
         * @throws IllegalStateException if no current pepper was set
         */
        public HmacSha256Hasher build() {
            if (currentId == null) {
                throw new IllegalStateException("a current pepper is required: call pepper(id, bytes)");
            }
            return new HmacSha256Hasher(currentId, Map.copyOf(peppers));
        }
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public String hash(byte[] secret) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return "$" + ALGORITHM + "$k=" + currentId + "$" + Phc.encode(salt) + "$"
                + Phc.encode(mac(peppers.get(currentId), salt, secret));
    }

    @Override
    public boolean verify(byte[] secret, String storedHash) {
        String[] f = Phc.fields(storedHash);
        if (!isWellFormed(f)) {
            return false;
        }
        byte[] expected = mac(peppers.get(f[1].substring(2)), Phc.decode(f[2]), secret);
        return MessageDigest.isEqual(expected, Phc.decode(f[3]));
    }

    /** Readable means: this format, and a pepper id this hasher knows. */
    @Override
    public boolean isWellFormed(String storedHash) {
        return isWellFormed(Phc.fields(storedHash));
    }

    @Override
    public boolean needsRehash(String storedHash) {
        String[] f = Phc.fields(storedHash);
        return isWellFormed(f) && !f[1].equals("k=" + currentId);
    }

    private boolean isWellFormed(String[] f) {
        if (f.length != 4 || !ALGORITHM.equals(f[0]) || !f[1].startsWith("k=")
                || !peppers.containsKey(f[1].substring(2))) {
            return false;
        }
        byte[] salt = Phc.decode(f[2]);
        byte[] mac = Phc.decode(f[3]);
        return salt != null && salt.length > 0 && mac != null && mac.length == 32;
    }

    private static byte[] mac(SecretKeySpec key, byte[] salt, byte[] secret) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            mac.update(salt);
            return mac.doFinal(secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "HmacSha256Hasher[current=" + currentId + ", peppers=" + peppers.keySet() + "]";
    }
}
