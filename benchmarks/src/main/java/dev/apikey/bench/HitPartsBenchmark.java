package dev.apikey.bench;

import dev.apikey.internal.IdTable;
import dev.apikey.internal.KeyParser;
import dev.apikey.internal.ParsedKey;
import dev.apikey.model.KeyFormat;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The parts of a cache hit, each alone on the same 16,384 keys, to show where {@code verifyHit}'s time goes
 * beyond {@code VerifyBenchmark.floorComposite}: the header scan, the credential digest, the per-thread
 * scratch buffer, the clock read, the table lookup and the outcome counter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class HitPartsBenchmark {

    /** The same key count as {@link VerifyBenchmark}, so the parts add up against its paths. */
    static final int KEYS = VerifyBenchmark.KEYS;
    static final int MASK = VerifyBenchmark.MASK;

    final String[] keys = new String[KEYS];
    final long[] ids = new long[KEYS];
    final KeyParser parser = new KeyParser("wlcro");
    final ThreadLocal<ParsedKey> scratch = ThreadLocal.withInitial(ParsedKey::new);
    final Clock clock = Clock.systemUTC();
    final LongAdder granted = new LongAdder();
    IdTable<Entry> table;

    static final class Entry extends IdTable.Entry {
        Entry(long id) {
            super(id);
        }

        @Override
        protected long lastTouched() {
            return 0;
        }
    }

    /** Per-thread cursor and parse buffer. */
    @State(Scope.Thread)
    public static class Cursor {
        int i = new Random().nextInt(KEYS);
        final ParsedKey parsed = new ParsedKey();
        final byte[] buffer = new byte[256];
        final java.util.zip.CRC32 jdkCrc = new java.util.zip.CRC32();

        int next() {
            return i++ & MASK;
        }
    }

    @Setup
    public void setUp() {
        Random random = new Random(1);
        table = new IdTable<>(4L * KEYS, e -> { });
        for (int i = 0; i < KEYS; i++) {
            StringBuilder body = new StringBuilder("wlcro_92_");
            for (int j = 0; j < KeyFormat.KEY_ID_LENGTH + KeyFormat.SECRET_LENGTH; j++) {
                body.append(KeyFormat.ALPHABET.charAt(random.nextInt(62)));
            }
            keys[i] = body + KeyFormat.checksum(body);
            ParsedKey parsed = new ParsedKey();
            parser.parse(keys[i], parsed);
            ids[i] = parsed.lookupId();
            table.putIf(new Entry(ids[i]), () -> true);
        }
    }

    /** The header scan: copy, classify, decode, checksum, prefix and tenant. */
    @Benchmark
    public Object parseHeader(Cursor c) {
        KeyParser.Outcome outcome = parser.parse(keys[c.next()], c.parsed);
        c.parsed.clear();
        return outcome;
    }

    /** The scan plus SHA-256 of the secret bound to the tenant. */
    @Benchmark
    public byte[] parseAndDigest(Cursor c) {
        parser.parse(keys[c.next()], c.parsed);
        byte[] digest = c.parsed.credentialDigest();
        c.parsed.clear();
        return digest;
    }

    /** The checksum with {@code java.util.zip.CRC32}, as the floor computes it. */
    @Benchmark
    public long checksumJdkCrc32(Cursor c) {
        int n = copy(keys[c.next()], c.buffer);
        c.jdkCrc.reset();
        c.jdkCrc.update(c.buffer, 0, n - KeyFormat.CHECKSUM_LENGTH);
        return c.jdkCrc.getValue();
    }

    /** The checksum as the parser computes it, eight bytes a step. */
    @Benchmark
    public long checksumSliced(Cursor c) {
        int n = copy(keys[c.next()], c.buffer);
        return dev.apikey.internal.Crc32.of(c.buffer, 0, n - KeyFormat.CHECKSUM_LENGTH);
    }

    /** Copying the header's chars to bytes, as both checksums above do first. */
    @Benchmark
    public int copyChars(Cursor c) {
        return copy(keys[c.next()], c.buffer);
    }

    private static int copy(String key, byte[] into) {
        int n = key.length();
        for (int i = 0; i < n; i++) {
            into[i] = (byte) key.charAt(i);
        }
        return n;
    }

    /** Finding the per-thread scratch buffer. */
    @Benchmark
    public ParsedKey threadLocalScratch() {
        return scratch.get();
    }

    /** One read of the system clock. */
    @Benchmark
    public long clockMillis() {
        return clock.millis();
    }

    /** One lookup in the cache's table, by a key id as a long. */
    @Benchmark
    public Entry tableGet(Cursor c) {
        return table.get(ids[c.next()]);
    }

    /** The outcome counter of a grant. */
    @Benchmark
    public void countGrant() {
        granted.increment();
    }
}
