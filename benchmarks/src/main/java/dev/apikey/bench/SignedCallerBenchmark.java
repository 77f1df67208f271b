package dev.apikey.bench;

import dev.apikey.forwarded.ForwardedCaller;
import dev.apikey.forwarded.ForwardedHeaders;
import dev.apikey.forwarded.SignedCaller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * What the gateway's signature of a forwarded caller costs per request ({@link SignedCaller#sign}: the headers and
 * their HMAC-SHA256), and the upstream's check of it ({@link SignedCaller#check}), for a caller as
 * {@code benchmarks-http}'s gateway forwards it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SignedCallerBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class SignedCallerBenchmark {

    static final String SECRET = "benchmark-gateway-and-upstream-share-this-secret-0123";
    static final String PATH = "/hello";

    SignedCaller signer;
    ForwardedCaller caller;
    Instant at;
    Map<String, String> signed;

    @Setup
    public void setUp() {
        signer = SignedCaller.withSecret(SECRET, ForwardedHeaders.DEFAULTS);
        caller = ForwardedCaller.of("3kTz9QbC", "92", List.of("hello:read"));
        at = Instant.now();
        signed = signer.sign("GET", PATH, caller, at);
        if (((SignedCaller.Checked) check()).caller() == null) {
            throw new IllegalStateException("benchmark set-up broken: the signature does not check");
        }
    }

    /** The gateway's part: the five headers of a caller, signed. */
    @Benchmark
    public Map<String, String> sign() {
        return signer.sign("GET", PATH, caller, at);
    }

    /** The upstream's part: the same headers checked. */
    @Benchmark
    public Object check() {
        return signer.check("GET", PATH, name -> {
            String value = signed.get(name);
            return value == null ? null : List.of(value);
        }, at);
    }
}
