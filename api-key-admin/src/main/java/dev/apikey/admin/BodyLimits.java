package dev.apikey.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how slowly a client may send a request body to {@link AdminApi}, {@link ScannerVerifyServlet} or
 * {@link SecretScanningServlet}, and how many may send at once. A body not complete within the deadline, or arriving
 * slower than the minimum rate once the grace time has passed, is answered 408 and its connection closed; a body
 * beyond the concurrent readers is answered 503 with {@code Retry-After} at once. Defaults: 10 s, 1,024 bytes a
 * second after 2 s, 64 readers per servlet.
 *
 * <p>The deadline holds exactly where the servlet is mounted with async support
 * ({@code ServletHolder.setAsyncSupported(true)} in Jetty, {@code Wrapper.setAsyncSupported(true)} in Tomcat; Spring
 * Boot's registrations have it): the body is then read without holding a thread, and a sender that stops sending
 * is cut at the deadline by a daemon thread of the servlet's ({@code apikey-body-deadline}, stopped in
 * {@code destroy}). Without it the body is read blocking and checked after each read, so a sender that stops
 * sending is cut only by the container's idle timeout; the cap on readers still holds.
 *
 * <pre>{@code
 * AdminApi.builder(apiKeys).bodyLimits(BodyLimits.defaults().deadline(Duration.ofSeconds(5))).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe: each method returns new limits.
 */
public final class BodyLimits {

    private static final BodyLimits DEFAULTS = new BodyLimits(Duration.ofSeconds(10), 1024, Duration.ofSeconds(2), 64);

    private final Duration deadline;
    private final long minBytesPerSecond;
    private final Duration grace;
    private final int maxReaders;

    private BodyLimits(Duration deadline, long minBytesPerSecond, Duration grace, int maxReaders) {
        this.deadline = deadline;
        this.minBytesPerSecond = minBytesPerSecond;
        this.grace = grace;
        this.maxReaders = maxReaders;
    }

    /** {@return the defaults: 10 s, 1,024 bytes a second after 2 s, 64 concurrent readers} */
    public static BodyLimits defaults() {
        return DEFAULTS;
    }

    /**
     * The most time a body may take, from the first read to its end.
     *
     * @param total 100 ms to 5 minutes
     * @return new limits
     * @throws IllegalArgumentException if total is out of that range
     */
    public BodyLimits deadline(Duration total) {
        Objects.requireNonNull(total, "deadline");
        if (total.compareTo(Duration.ofMillis(100)) < 0 || total.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("deadline must be 100 ms to 5 minutes, was " + total);
        }
        return new BodyLimits(total, minBytesPerSecond, grace, maxReaders);
    }

    /**
     * The slowest average rate a body may arrive at once {@code grace} has passed since its first read.
     *
     * @param bytesPerSecond 0 (no minimum) to 10,485,760
     * @param grace          0 to 1 minute
     * @return new limits
     * @throws IllegalArgumentException if either is out of range
     */
    public BodyLimits minRate(long bytesPerSecond, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (bytesPerSecond < 0 || bytesPerSecond > 10L << 20) {
            throw new IllegalArgumentException("minRate bytesPerSecond must be 0 to 10485760, was " + bytesPerSecond);
        }
        if (grace.isNegative() || grace.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("minRate grace must be 0 to 1 minute, was " + grace);
        }
        return new BodyLimits(deadline, bytesPerSecond, grace, maxReaders);
    }

    /**
     * The most bodies one servlet reads at once; the next sender gets 503 with {@code Retry-After}.
     *
     * @param readers 1 to 10,000
     * @return new limits
     * @throws IllegalArgumentException if readers is out of that range
     */
    public BodyLimits maxReaders(int readers) {
        if (readers < 1 || readers > 10_000) {
            throw new IllegalArgumentException("maxReaders must be 1 to 10000, was " + readers);
        }
        return new BodyLimits(deadline, minBytesPerSecond, grace, readers);
    }

    Duration deadline() {
        return deadline;
    }

    long minBytesPerSecond() {
        return minBytesPerSecond;
    }

    Duration grace() {
        return grace;
    }

    int maxReaders() {
        return maxReaders;
    }

    @Override
    public String toString() {
        return "BodyLimits[deadline=" + deadline + ", minBytesPerSecond=" + minBytesPerSecond + ", grace=" + grace
                + ", maxReaders=" + maxReaders + "]";
    }
}
