package dev.apikey;

import dev.apikey.spi.SecretHasher;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader of stored hashes made on first use: the Argon2id reader loads a native library through JNA, which
 * a host that hashes with SHA-256 should not pay for (nor see JDK 22's native-access warning about) until a
 * stored Argon2id hash actually turns up. If the library cannot load, such hashes do not verify, said once.
 *
 * <p>Not API. Thread-safe.
 */
final class LazyHasher implements SecretHasher {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.hash");

    private final String algorithm;
    private final Supplier<SecretHasher> factory;
    private volatile SecretHasher hasher;
    private volatile boolean unavailable;

    /**
     * @param algorithm the PHC algorithm the made hasher reads, e.g. {@code argon2id}
     * @param factory   makes the hasher; may throw {@link LinkageError} when a native library is missing
     */
    public LazyHasher(String algorithm, Supplier<SecretHasher> factory) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    private SecretHasher get() {
        SecretHasher h = hasher;
        if (h == null && !unavailable) {
            synchronized (this) {
                if (hasher == null && !unavailable) {
                    try {
                        hasher = factory.get();
                    } catch (LinkageError e) {
                        unavailable = true;
                        LOG.warn("{} native library unavailable ({}); stored {} hashes do not verify", algorithm,
                                e.toString(), algorithm);
                    }
                }
                h = hasher;
            }
        }
        return h;
    }

    @Override
    public String algorithm() {
        return algorithm;
    }

    @Override
    public String hash(byte[] secret) {
        SecretHasher h = get();
        if (h == null) {
            throw new IllegalStateException(algorithm + " native library unavailable");
        }
        return h.hash(secret);
    }

    @Override
    public boolean verify(byte[] secret, String storedHash) {
        SecretHasher h = get();
        return h != null && h.verify(secret, storedHash);
    }

    @Override
    public boolean needsRehash(String storedHash) {
        SecretHasher h = get();
        return h != null && h.needsRehash(storedHash);
    }

    @Override
    public String toString() {
        return "LazyHasher[" + algorithm + "]";
    }
}
