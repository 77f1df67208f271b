package dev.apikey;

import dev.apikey.hash.Sha256Hasher;
import dev.apikey.internal.ScopeBits;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import java.time.Clock;
import java.time.Duration;
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
 * Issue 27's budget for counting verifies: the counting step alone ({@code count*}: at most 10 ns and 0 B/op, run
 * with {@code -prof gc}), and a cache hit with counting against the same hit without it, on the same keys in the same
 * run ({@code hitCounted} vs {@code hitUncounted}: within the error of each other). In package {@code dev.apikey} to
 * reach the package-private counter; on the classpath, as JMH runs it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar UsageCountingBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class UsageCountingBenchmark {

    static final int KEYS = 1 << 14;
    static final int MASK = KEYS - 1;
    static final String SCOPE = "events:read";

    UsageCounter counter;
    CachedKey entry;
    Verification granted;
    Verification refused;
    ApiKeys counted;
    ApiKeys uncounted;
    final String[] keys = new String[KEYS];
    final VerifyRequest[] requests = new VerifyRequest[KEYS];

    /** Per-thread position in the keys; threads start apart. */
    @State(Scope.Thread)
    public static class Cursor {
        int i = ThreadLocalRandom.current().nextInt(KEYS);

        int next() {
            return i++ & MASK;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        InMemoryKeyStore store = new InMemoryKeyStore();
        ScopeCatalog scopes = ScopeCatalog.builder().scope(SCOPE, "Read events").build();
        // A flush a minute: the measured threads never meet one in a 1 s iteration's worth of work.
        counted = ApiKeys.builder().prefix("wlcro").store(store).scopes(scopes).hasher(Sha256Hasher.create())
                .cacheMaximumSize(4L * KEYS).cacheMaxStaleness(Duration.ofHours(1))
                .usageFlushInterval(Duration.ofMinutes(1)).build();
        uncounted = ApiKeys.builder().prefix("wlcro").store(store).scopes(scopes).hasher(Sha256Hasher.create())
                .cacheMaximumSize(4L * KEYS).cacheMaxStaleness(Duration.ofHours(1)).usageCounting(false).build();
        // 256 networks' address texts, shared by the requests: a server hands the verify an address it has just made,
        // whose text is in the cache, not one of 16,384 strings the hit would have to fetch from memory first.
        String[] addresses = new String[256];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = "203.0." + i + ".7";
        }
        for (int i = 0; i < KEYS; i++) {
            keys[i] = counted.create(KeySpec.builder("bench-" + i).tenantId("92").scopes(SCOPE).build()).plaintext();
            requests[i] = VerifyRequest.header(keys[i]).scope(SCOPE).remoteAddress(addresses[i & 255]);
            require(counted.verify(requests[i]).isGranted() && uncounted.verify(requests[i]).isGranted());
        }
        granted = counted.verify(keys[0], SCOPE);
        refused = counted.verify("wlcro_92_not-a-key", SCOPE);
        counter = new UsageCounter(new UsageSettings(new InMemoryUsageStore(), Duration.ofMinutes(1),
                Duration.ofHours(48), Duration.ofDays(90), Duration.ofDays(730)), Clock.systemUTC());
        entry = new CachedKey(1, "92", false, false, Long.MAX_VALUE, ScopeBits.EMPTY, granted, null, null, null, null,
                Long.MAX_VALUE, false);
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("set-up verify not granted");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        counted.close();
        uncounted.close();
    }

    /** The counting step of a grant from an IPv4 address: the network's bit, one add, no write of the sketch. */
    @Benchmark
    public Verification countGrantIpv4() {
        counter.count(entry, granted, "203.0.113.7");
        return granted;
    }

    /** The counting step of a grant from an IPv6 address (a /48 read from the text). */
    @Benchmark
    public Verification countGrantIpv6() {
        counter.count(entry, granted, "2001:db8:1:2::7");
        return granted;
    }

    /** The counting step of a grant without an address (the two-argument verify). */
    @Benchmark
    public Verification countGrantNoAddress() {
        counter.count(entry, granted, null);
        return granted;
    }

    /** The counting step of a refusal that named no known key: the one shared unknown series. */
    @Benchmark
    public Verification countUnknownRefusal() {
        counter.count(null, refused, "198.51.100.9");
        return refused;
    }

    /** A cache hit that is counted (the default with a usage store), with an IPv4 address. */
    @Benchmark
    public Verification hitCounted(Cursor c) {
        return counted.verify(requests[c.next()]);
    }

    /** The same hit on an instance with counting off, same store, same keys, same run. */
    @Benchmark
    public Verification hitUncounted(Cursor c) {
        return uncounted.verify(requests[c.next()]);
    }
}
