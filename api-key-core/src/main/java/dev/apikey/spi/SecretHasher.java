package dev.apikey.spi;

/**
 * Turns a key's secret into a stored hash and checks a presented secret against one. Hashes are
 * self-describing PHC strings ({@code $<algorithm>$...}), so the verifier can pick the hasher that reads a
 * stored hash and upgrade it when the policy changed.
 *
 * <p>Implementations must be thread-safe. The built-in ones are in {@code dev.apikey.hash}.
 */
public interface SecretHasher {

    /** {@return the PHC algorithm identifier this hasher writes and reads, e.g. {@code argon2id}} */
    String algorithm();

    /**
     * Hashes a secret under this hasher's current parameters.
     *
     * @param secret the secret's bytes; not kept, not changed
     * @return a PHC string starting with {@code $<algorithm>$}
     */
    String hash(byte[] secret);

    /**
     * Checks a secret against a stored hash in time that does not depend on where they differ.
     *
     * @param secret the secret, never kept
     * @param storedHash the stored PHC string
     * @return {@code true} only if the hash is readable by this hasher and matches; {@code false} for a wrong
     *         secret and for a corrupt or foreign hash. Never throws for any stored value.
     */
    boolean verify(byte[] secret, String storedHash);

    /**
     * Whether this hasher can read {@code storedHash} at all; lets the caller tell a corrupt hash (worth
     * a log line) from a wrong secret.
     *
     * @param storedHash the stored PHC string
     * @return whether this hasher understands the hash
     */
    default boolean isWellFormed(String storedHash) {
        return storedHash != null && storedHash.startsWith("$" + algorithm() + "$");
    }

    /**
     * Whether a readable hash was made with other parameters than this hasher's current ones, so that it
     * should be replaced after the next successful verify.
     *
     * @param storedHash the stored PHC string, one this hasher can read
     * @return whether the hash should be replaced by one of the current parameters
     */
    default boolean needsRehash(String storedHash) {
        return false;
    }
}
