package dev.apikey.hash;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import dev.apikey.internal.Phc;
import dev.apikey.spi.SecretHasher;

/**
 * Argon2id through argon2-jvm (the reference C implementation): {@code $argon2id$v=19$m=<KiB>,t=<passes>,
 * p=<lanes>$<salt>$<hash>}. The default hasher.
 *
 * <p>The defaults are the OWASP minimum (m=19456 KiB, t=2, p=1). Weaker parameters are refused unless the
 * builder is told {@link Builder#insecureAllowWeakParameters()}, a name meant to be found in code review.
 *
 * <p>Thread-safe. Each hash or verify allocates {@code m} KiB of native memory for its duration; the verifier
 * bounds how many run at once.
 */
public final class Argon2idHasher implements SecretHasher {

    /** The PHC identifier. */
    public static final String ALGORITHM = "argon2id";
    /** OWASP minimum memory cost, KiB. */
    public static final int MIN_MEMORY_KIB = 19456;
    /** OWASP minimum number of passes at that memory. */
    public static final int MIN_ITERATIONS = 2;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
    /** A stored hash asking for more passes than this is refused unread, so a corrupt row cannot stall a verify. */
    private static final int MAX_ITERATIONS = 100;

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final Argon2 argon2;

    private Argon2idHasher(int memoryKiB, int iterations, int parallelism) {
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, SALT_BYTES, HASH_BYTES);
    }

    /** {@return argon2id at the OWASP minimum: m=19456 KiB, t=2, p=1} */
    public static Argon2idHasher owaspMinimum() {
        return builder().build();
    }

    /**
     * Starts from the OWASP minimum; raise any parameter.
     *
     * @return a builder at the OWASP minimum
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures an {@link Argon2idHasher}. Not thread-safe. */
    public static final class Builder {
        private int memoryKiB = MIN_MEMORY_KIB;
        private int iterations = MIN_ITERATIONS;
        private int parallelism = 1;
        private boolean allowWeak;

        private Builder() {
        }

        /**
         * Memory cost in KiB; at least 19456 unless weak parameters are allowed, at most 4 GiB.
         *
         * @param kib the memory cost in KiB
         * @return this builder
         */
        public Builder memoryKiB(int kib) {
            this.memoryKiB = kib;
            return this;
        }

        /**
         * Number of passes; at least 2 unless weak parameters are allowed, at most 100.
         *
         * @param passes the number of passes
         * @return this builder
         */
        public Builder iterations(int passes) {
            this.iterations = passes;
            return this;
        }

        /**
         * Number of lanes, 1 to 16.
         *
         * @param lanes the number of lanes
         * @return this builder
         */
        public Builder parallelism(int lanes) {
            this.parallelism = lanes;
            return this;
        }

        /**
         * Accepts parameters below the OWASP minimum. For tests and constrained devices only: every use is a
         * decision someone should be able to find.
         *
         * @return this builder
         */
        public Builder insecureAllowWeakParameters() {
            this.allowWeak = true;
            return this;
        }

        /**
         * @return the hasher
         * @throws IllegalArgumentException if a parameter is out of range, or below the OWASP minimum without
         *                                  {@link #insecureAllowWeakParameters()}
         * @throws UnsatisfiedLinkError     if argon2-jvm has no native library for this platform
         */
        public Argon2idHasher build() {
            if (parallelism < 1 || parallelism > 16) {
                throw new IllegalArgumentException("parallelism must be 1 to 16, was " + parallelism);
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException("iterations must be 1 to " + MAX_ITERATIONS + ", was " + iterations);
            }
            if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("memoryKiB must be " + 8 * parallelism + " to " + MAX_MEMORY_KIB
                        + " at parallelism " + parallelism + ", was " + memoryKiB);
            }
            if (!allowWeak && (memoryKiB < MIN_MEMORY_KIB || iterations < MIN_ITERATIONS)) {
                throw new IllegalArgumentException("Argon2id parameters m=" + memoryKiB + " KiB, t=" + iterations
                        + " are below the OWASP minimum m=" + MIN_MEMORY_KIB + ", t=" + MIN_ITERATIONS
                        + "; call insecureAllowWeakParameters() to accept them anyway");
            }
            return new Argon2idHasher(memoryKiB, iterations, parallelism);
        }
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public String hash(byte[] secret) {
        return argon2.hash(iterations, memoryKiB, parallelism, secret);
    }

    @Override
    public boolean verify(byte[] secret, String storedHash) {
        if (parameters(storedHash) == null) {
            return false;
        }
        try {
            return argon2.verify(storedHash, secret);
        } catch (RuntimeException e) {
            // argon2-jvm throws for hashes the C library cannot decode; that is "no match", not an error.
            return false;
        }
    }

    @Override
    public boolean isWellFormed(String storedHash) {
        return parameters(storedHash) != null;
    }

    @Override
    public boolean needsRehash(String storedHash) {
        int[] p = parameters(storedHash);
        return p != null && (p[0] != memoryKiB || p[1] != iterations || p[2] != parallelism);
    }

    /** {m, t, p} of a well-formed argon2id PHC string, or {@code null}. */
    private static int[] parameters(String storedHash) {
        String[] f = Phc.fields(storedHash);
        if (f.length != 5 || !ALGORITHM.equals(f[0]) || !"v=19".equals(f[1])) {
            return null;
        }
        String[] params = f[2].split(",", -1);
        if (params.length != 3 || !params[0].startsWith("m=") || !params[1].startsWith("t=")
                || !params[2].startsWith("p=")) {
            return null;
        }
        byte[] salt = Phc.decode(f[3]);
        byte[] hash = Phc.decode(f[4]);
        if (salt == null || salt.length < 8 || hash == null || hash.length < 16) {
            return null;
        }
        try {
            int[] values = {Integer.parseInt(params[0].substring(2)), Integer.parseInt(params[1].substring(2)),
                Integer.parseInt(params[2].substring(2))};
            boolean sane = values[2] >= 1 && values[2] <= 16 && values[1] >= 1 && values[1] <= MAX_ITERATIONS
                    && values[0] >= 8 * values[2]
                    && values[0] <= MAX_MEMORY_KIB;
            return sane ? values : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "Argon2idHasher[m=" + memoryKiB + ", t=" + iterations + ", p=" + parallelism + "]";
    }
}
