package dev.apikey.bench;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.LegacyFormat;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
import dev.apikey.spi.LegacyHash;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Legacy keys (issue 29 §1) beside our own, in one run, on one instance that declares a legacy format: the warm hit of
 * a hand-written key stored as the SHA-256 of the whole key (our parser's refusal, the format's scan, one digest, the
 * digest cache, then the key-id cache and our checks), an unknown key of that format (answered from the negative
 * digest cache), and the warm hit of a key of our own format, whose path the declared format must leave unchanged.
 * Each path cycles through 16,384 distinct keys.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LegacyVerifyBenchmark            # the lead's run
 * java -jar benchmarks/target/benchmarks.jar LegacyVerifyBenchmark -f 1 -wi 1 -i 1   # a smoke run
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class LegacyVerifyBenchmark {

    static final int KEYS = 1 << 14;
    static final int MASK = KEYS - 1;
    static final String SCOPE = "events:read";
    private static final String HEX = "0123456789abcdef";

    ApiKeys apiKeys;
    String[] ours = new String[KEYS];
    String[] legacy = new String[KEYS];
    String[] unknownLegacy = new String[KEYS];

    /** Per-thread position in the key arrays. */
    @State(Scope.Thread)
    public static class Cursor {
        int i;

        @Setup
        public void setUp() {
            i = ThreadLocalRandom.current().nextInt(KEYS);
        }

        int next() {
            return i++ & MASK;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        ScopeCatalog scopes = ScopeCatalog.builder().scope(SCOPE, "Read events").build();
        apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(scopes)
                .hasher(Sha256Hasher.create()).cacheMaximumSize(4L * KEYS).cacheMaxStaleness(Duration.ofHours(1))
                .negativeCacheTtl(Duration.ofSeconds(60)).unknownIdLimits(1_000_000, 100_000_000)
                .legacyFormat(LegacyFormat.digest("hand-written").prefix("sk_live_").length(40, 40).alphabet(HEX)
                        .build())
                .build();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < KEYS; i++) {
            ours[i] = apiKeys.create(KeySpec.builder("ours-" + i).tenantId("92").scopes(SCOPE).build()).plaintext();
            byte[] secret = new byte[16];
            random.nextBytes(secret);
            legacy[i] = "sk_live_" + HexFormat.of().formatHex(secret);
            random.nextBytes(secret);
            unknownLegacy[i] = "sk_live_" + HexFormat.of().formatHex(secret);
            apiKeys.legacy().importKey(KeySpec.builder("legacy-" + i).tenantId("92").scopes(SCOPE).build(),
                    LegacyHash.sha256Hex(LegacyHash.keyDigest(legacy[i])));
            require(apiKeys.verify(ours[i], SCOPE), true);
            require(apiKeys.verify(legacy[i], SCOPE), true);
            require(apiKeys.verify(unknownLegacy[i], SCOPE), false);
        }
    }

    private static void require(Verification v, boolean granted) {
        if (v.isGranted() != granted) {
            throw new IllegalStateException("set-up verify answered " + v);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        apiKeys.close();
    }

    /** Our own format's warm hit, with a legacy format declared. */
    @Benchmark
    public Verification ourHit(Cursor c) {
        return apiKeys.verify(ours[c.next()], SCOPE);
    }

    /** Our own format's warm hit on an instance that declares no legacy format: {@link #ourHit}'s measure. */
    @Benchmark
    public Verification ourHitNoLegacy(Plain plain, Cursor c) {
        return plain.apiKeys.verify(plain.keys[c.next()], SCOPE);
    }

    /** Keys of our format on an instance without legacy formats, made only for the benchmark that uses them. */
    @State(Scope.Benchmark)
    public static class Plain {
        ApiKeys apiKeys;
        final String[] keys = new String[KEYS];

        @Setup(Level.Trial)
        public void setUp() {
            apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                    .scopes(ScopeCatalog.builder().scope(SCOPE, "Read events").build()).hasher(Sha256Hasher.create())
                    .cacheMaximumSize(4L * KEYS).cacheMaxStaleness(Duration.ofHours(1)).build();
            for (int i = 0; i < KEYS; i++) {
                keys[i] = apiKeys.create(KeySpec.builder("plain-" + i).tenantId("92").scopes(SCOPE).build())
                        .plaintext();
            }
            for (int i = 0; i < KEYS; i++) {
                require(apiKeys.verify(keys[i], SCOPE), true);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            apiKeys.close();
        }
    }

    /** A hand-written legacy key's warm hit: one digest, the digest cache, then the path of ours. */
    @Benchmark
    public Verification legacyHit(Cursor c) {
        return apiKeys.verify(legacy[c.next()], SCOPE);
    }

    /** An unknown key of the legacy format: one digest, answered from the negative digest cache. */
    @Benchmark
    public Verification legacyUnknown(Cursor c) {
        return apiKeys.verify(unknownLegacy[c.next()], SCOPE);
    }
}
