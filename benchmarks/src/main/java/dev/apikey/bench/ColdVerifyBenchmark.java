package dev.apikey.bench;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
import dev.apikey.spi.SecretHasher;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cache misses. {@code verifyMiss}: the first verify of a key on this instance, store lookup and stored-hash
 * check (the clock is moved a day on before each, past the cache and the 24-hour memory of verified secrets).
 * {@code verifyStaleReload}: a known key whose cache entry went stale, store lookup but no hash check.
 * Argon2id at the OWASP minimum and salted SHA-256, against baseline (b), which has no cache and does the
 * full work on every request.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class ColdVerifyBenchmark {

    static final int KEYS = 64;

    @Param({"argon2id", "sha256"})
    String hasher;

    BenchClock clock = new BenchClock();
    ApiKeys apiKeys;
    NaiveVerifier uncached;
    String[] keys = new String[KEYS];
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        SecretHasher h = "argon2id".equals(hasher) ? Argon2idHasher.owaspMinimum() : Sha256Hasher.create();
        InMemoryKeyStore store = new InMemoryKeyStore();
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store)
                .scopes(ScopeCatalog.builder().scope("events:read", "Read events").build()).hasher(h).clock(clock)
                .cacheMaxStaleness(Duration.ofSeconds(1)).hashQueueTimeout(Duration.ofSeconds(10)).build();
        uncached = new NaiveVerifier(store, h);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = apiKeys.create(KeySpec.builder("cold-" + i).tenantId("92").scopes("events:read").build())
                    .plaintext();
        }
    }

    /** A first verify: store lookup and stored-hash check. */
    @Benchmark
    public Verification verifyMiss() {
        clock.advance(Duration.ofHours(25));
        return apiKeys.verify(keys[next++ & (KEYS - 1)], "events:read");
    }

    /** A verify after the cache entry went stale: store lookup, the secret matched by its remembered digest. */
    @Benchmark
    public Verification verifyStaleReload() {
        clock.advance(Duration.ofSeconds(2));
        return apiKeys.verify(keys[next++ & (KEYS - 1)], "events:read");
    }

    /** Baseline (b): no cache, store lookup and stored-hash check on every request. */
    @Benchmark
    public Object baselineNoCache() {
        return uncached.verifyUncached(keys[next++ & (KEYS - 1)], "events:read");
    }
}
