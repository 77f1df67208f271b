package dev.apikey.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.internal.Base62;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The warm verify paths, their physical floor (SHA-256 of the key, a Caffeine lookup) and the hand-rolled
 * baseline, in one class so one run measures them side by side. Every path cycles through 16,384 distinct
 * keys.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class VerifyBenchmark {

    static final int KEYS = 1 << 14;
    static final int MASK = KEYS - 1;
    static final String SCOPE = "events:read";
    /**
     * Whether verifies are counted per key (issue 27), as they are by default with a store that keeps counts; {@code
     * -jvmArgsAppend -Dapikey.bench.counting=false} leaves counting out, to compare with code that had none.
     */
    static final boolean COUNTING = !"false".equals(System.getProperty("apikey.bench.counting"));

    ApiKeys apiKeys;
    NaiveVerifier naive;
    String[] valid = new String[KEYS];
    String[] wrongSecret = new String[KEYS];
    String[] unknownId = new String[KEYS];
    String[] badChecksum = new String[KEYS];
    String[] controlChar = new String[KEYS];
    byte[][] keyBytes = new byte[KEYS][];
    Cache<Long, Object> caffeine;
    Long[] boxedIds = new Long[KEYS];

    /** The composite floor's map: key id to the SHA-256 of its secret, open addressing on primitive longs. */
    long[] floorIds = new long[4 * KEYS];
    byte[][] floorDigests = new byte[4 * KEYS][];

    /** Per-thread position in the key arrays and reused buffers. */
    @State(Scope.Thread)
    public static class Cursor {
        int i;
        MessageDigest sha256;
        final byte[] bytes = new byte[256];
        final byte[] digest = new byte[32];
        final CRC32 crc = new CRC32();

        @Setup
        public void setUp() throws NoSuchAlgorithmException {
            sha256 = MessageDigest.getInstance("SHA-256");
            // Threads start apart, as requests for different keys would.
            i = java.util.concurrent.ThreadLocalRandom.current().nextInt(KEYS);
        }

        int next() {
            return i++ & MASK;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        InMemoryKeyStore store = new InMemoryKeyStore();
        ScopeCatalog scopes = ScopeCatalog.builder().scope(SCOPE, "Read events").scope("events:write", "Write")
                .build();
        // Keys are created with the fast hasher so set-up takes seconds; the warm path never hashes.
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(scopes).hasher(Sha256Hasher.create())
                .cacheMaximumSize(4L * KEYS).cacheMaxStaleness(Duration.ofHours(1))
                .negativeCacheTtl(Duration.ofSeconds(60))
                // The set-up looks up every made-up id once, far more than a network may in a minute.
                .unknownIdLimits(1_000_000, 100_000_000).usageCounting(COUNTING).build();
        naive = new NaiveVerifier(store, Sha256Hasher.create());
        caffeine = Caffeine.newBuilder().maximumSize(4L * KEYS).build();
        // Every key has one allowance of its own and shares one of its tenant's (issue 25's measure): both are spent
        // by the in-process meter on every grant, and neither runs out during a run.
        apiKeys.setTenantAllowances("92", List.of(Quota.perMonth(1_000_000_000_000L).named("plan")));
        for (int i = 0; i < KEYS; i++) {
            String key = apiKeys.create(KeySpec.builder("bench-" + i).tenantId("92").scopes(SCOPE)
                    .rateLimit(RateLimit.perSecond(1_000_000_000)).build()).plaintext();
            valid[i] = key;
            int token = key.length() - 46;
            wrongSecret[i] = withChecksum(key.substring(0, token + 8) + reversed(key.substring(token + 8, token + 40)));
            unknownId[i] = withChecksum(key.substring(0, token) + "zz" + key.substring(token + 2, key.length() - 6));
            badChecksum[i] = key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
            controlChar[i] = key.substring(0, 20) + "\n" + key.substring(20);
            keyBytes[i] = key.getBytes(StandardCharsets.US_ASCII);
            floorPut(Base62.decode(key, token, 8), sha256(keyBytes[i], token + 8, 32));
            boxedIds[i] = (long) i * 7919;
            caffeine.put(boxedIds[i], key);
        }
        // Every key created first, then every key verified: the cache's entries are made one after another, as a
        // warm cache's are after its keys' first calls, not interleaved with what creating a key leaves behind
        // (events, records), which would make the hit's memory layout depend on what a create writes.
        for (int i = 0; i < KEYS; i++) {
            requireOutcome(apiKeys.verify(valid[i], SCOPE), true);
            naive.verifyCached(valid[i], SCOPE);
            apiKeys.verify(unknownId[i], SCOPE);
        }
    }

    private void floorPut(long id, byte[] digest) {
        int mask = floorIds.length - 1;
        int slot = (int) (id * 0x9E3779B97F4A7C15L) & mask;
        while (floorDigests[slot] != null) {
            slot = (slot + 1) & mask;
        }
        floorIds[slot] = id;
        floorDigests[slot] = digest;
    }

    private byte[] floorGet(long id) {
        int mask = floorIds.length - 1;
        int slot = (int) (id * 0x9E3779B97F4A7C15L) & mask;
        while (floorDigests[slot] != null) {
            if (floorIds[slot] == id) {
                return floorDigests[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private static byte[] sha256(byte[] bytes, int from, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, from, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireOutcome(Verification v, boolean granted) {
        if (v.isGranted() != granted) {
            throw new IllegalStateException("benchmark set-up broken: " + v);
        }
    }

    private static String reversed(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    static String withChecksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return body + Base62.encode(crc.getValue(), 6);
    }

    /** Floor: SHA-256 of the whole key's bytes with a reused digest. */
    @Benchmark
    public byte[] floorSha256OfKey(Cursor c) {
        return c.sha256.digest(keyBytes[c.next()]);
    }

    /**
     * Floor: the least any cached verify must do, for the same keys: copy the header's chars to bytes, CRC32 and
     * compare the checksum, decode the key id, one lookup in a primitive-keyed map, SHA-256 of the secret, one
     * constant-time compare.
     */
    @Benchmark
    public boolean floorComposite(Cursor c) throws java.security.DigestException {
        String key = valid[c.next()];
        int n = key.length();
        byte[] b = c.bytes;
        for (int i = 0; i < n; i++) {
            b[i] = (byte) key.charAt(i);
        }
        int checksumStart = n - 6;
        c.crc.reset();
        c.crc.update(b, 0, checksumStart);
        long checksum = 0;
        for (int i = checksumStart; i < n; i++) {
            checksum = checksum * 62 + Base62.digit(b[i]);
        }
        if (checksum != c.crc.getValue()) {
            return false;
        }
        int token = n - 46;
        long id = 0;
        for (int i = token; i < token + 8; i++) {
            id = id * 62 + Base62.digit(b[i]);
        }
        byte[] expected = floorGet(id);
        c.sha256.update(b, token + 8, 32);
        c.sha256.digest(c.digest, 0, 32);
        return expected != null && MessageDigest.isEqual(c.digest, expected);
    }

    /** Floor: one Caffeine lookup of a pre-boxed key. */
    @Benchmark
    public Object floorCaffeineGetIfPresent(Cursor c) {
        return caffeine.getIfPresent(boxedIds[c.next()]);
    }

    /** A valid, cached key with the required scope. */
    @Benchmark
    public Verification verifyHit(Cursor c) {
        return apiKeys.verify(valid[c.next()], SCOPE);
    }

    /**
     * A valid, cached key with the required scope, of a key and a tenant without allowances: the hit as it was before
     * issue 25 gave {@link #verifyHit} its allowances, for a ratio to the floor in the same run.
     */
    @Benchmark
    public Verification verifyHitWithoutAllowances(Plain plain, Cursor c) {
        return plain.apiKeys.verify(plain.keys[c.next()], SCOPE);
    }

    /** Keys without allowances, in an instance of their own: made only for the benchmark that uses them. */
    @State(Scope.Benchmark)
    public static class Plain {
        ApiKeys apiKeys;
        final String[] keys = new String[KEYS];

        @Setup(Level.Trial)
        public void setUp() {
            apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                    .scopes(ScopeCatalog.builder().scope(SCOPE, "Read events").build()).hasher(Sha256Hasher.create())
                    .cacheMaximumSize(4L * KEYS).cacheMaxStaleness(Duration.ofHours(1)).usageCounting(COUNTING)
                    .build();
            for (int i = 0; i < KEYS; i++) {
                keys[i] = apiKeys.create(KeySpec.builder("plain-" + i).tenantId("92").scopes(SCOPE).build())
                        .plaintext();
            }
            for (int i = 0; i < KEYS; i++) {
                requireOutcome(apiKeys.verify(keys[i], SCOPE), true);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            apiKeys.close();
        }
    }

    /** The same, from two threads at once. */
    @Benchmark
    @Threads(2)
    public Verification verifyHitTwoThreads(Cursor c) {
        return apiKeys.verify(valid[c.next()], SCOPE);
    }

    /** A cached key id presented with a wrong secret (valid checksum). */
    @Benchmark
    public Verification verifyWrongSecretOnCachedId(Cursor c) {
        return apiKeys.verify(wrongSecret[c.next()], SCOPE);
    }

    /** A well-formed key whose id the store does not know, answered from the negative cache. */
    @Benchmark
    public Verification verifyUnknownId(Cursor c) {
        return apiKeys.verify(unknownId[c.next()], SCOPE);
    }

    /** A header with a control character: refused before the key is looked at. */
    @Benchmark
    public Verification verifyMalformedHeader(Cursor c) {
        return apiKeys.verify(controlChar[c.next()], SCOPE);
    }

    /** A key with its last character changed: refused by the checksum. */
    @Benchmark
    public Verification verifyBadChecksum(Cursor c) {
        return apiKeys.verify(badChecksum[c.next()], SCOPE);
    }

    /** Baseline (a): the hand-rolled cached verifier on the same keys. */
    @Benchmark
    public Object baselineNaiveCachedHit(Cursor c) {
        return naive.verifyCached(valid[c.next()], SCOPE);
    }
}
