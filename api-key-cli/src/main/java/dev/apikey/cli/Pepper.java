package dev.apikey.cli;

import dev.apikey.hash.HmacSha256Hasher;
import dev.apikey.spi.SecretHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A pepper (the HMAC key of {@link HmacSha256Hasher}) read from a file, and its fingerprint: HMAC-SHA-256 of a fixed
 * label under the pepper, 16 bytes in hex. The fingerprint names a pepper without revealing it (a one-way function
 * keyed by the pepper itself), so an export can carry it and an import or copy can refuse a store whose keys were
 * hashed under another pepper: their hashes would never verify there.
 *
 * @param fingerprint the pepper's fingerprint, or {@code null} without a pepper
 * @param hasher      the HMAC hasher over it, or {@code null} without a pepper (the default hasher then)
 */
record Pepper(String fingerprint, SecretHasher hasher) {

    /** What the fingerprint is the HMAC of: fixed, so equal peppers have equal fingerprints everywhere. */
    private static final byte[] LABEL = "api-key pepper fingerprint v1".getBytes(StandardCharsets.US_ASCII);

    /** No pepper: the store's hashes need none. */
    static final Pepper NONE = new Pepper(null, null);

    /**
     * Reads a pepper from a file holding its base64 (at least {@value HmacSha256Hasher#MIN_PEPPER_BYTES} bytes).
     *
     * @param file the file, or {@code null} for none
     * @param id   the pepper's id, as the store's hashes name it
     * @throws IllegalArgumentException naming the option when the file cannot be read or is not such a pepper
     */
    static Pepper from(Path file, String id, String option) {
        if (file == null) {
            return NONE;
        }
        byte[] pepper;
        try {
            pepper = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " cannot be read: " + e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must hold the pepper in base64");
        }
        try {
            return new Pepper(fingerprint(pepper), HmacSha256Hasher.builder().pepper(id, pepper).build());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        } finally {
            Arrays.fill(pepper, (byte) 0);
        }
    }

    /** {@return the fingerprint of a pepper} @param pepper its bytes */
    static String fingerprint(byte[] pepper) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(LABEL), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }

    /**
     * Refuses to move keys between two sides whose peppers differ, or peppered hashes to a side without one.
     *
     * @param from     the source's fingerprint, or {@code null}
     * @param peppered whether the source holds peppered hashes
     * @throws CliException {@code pepper_mismatch}
     */
    void requireMatches(String from, boolean peppered) {
        boolean same = from == null ? fingerprint == null : from.equals(fingerprint);
        if (!same || peppered && fingerprint == null) {
            throw new CliException("pepper_mismatch", "the pepper of the source (fingerprint "
                    + (from == null ? "none" : from) + ") is not the pepper of the target (fingerprint "
                    + (fingerprint == null ? "none" : fingerprint) + "): its peppered keys would not verify; give the "
                    + "same pepper on both sides", 1);
        }
    }
}
