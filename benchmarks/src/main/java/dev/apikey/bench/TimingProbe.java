package dev.apikey.bench;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.eclipse.jetty.server.Server;

/**
 * What a caller can learn from response times: over real HTTP on 127.0.0.1 (Jetty 12 and {@link dev.apikey.servlet.ApiKeyFilter},
 * SHA-256 hashes, the default settings but for the failed-attempt throttle, raised so every attempt is compared),
 * interleaved, {@code n} samples of each kind of refused request:
 * <ul>
 *   <li>an unknown key id, a new one each time (a store miss) and the same one again (the negative cache);
 *   <li>a wrong secret on a known key id, a key never verified before (a store load, then a hash) and one in
 *       the cache (a hash only).
 * </ul>
 * Prints median, quartiles and p99 in microseconds, and the difference of medians with a 95 % bootstrap interval.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.apikey.bench.TimingProbe [samples, default 10000]</pre>
 */
public final class TimingProbe {

    private TimingProbe() {
    }

    /**
     * @param args optionally the number of samples of each kind
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("hello:read", "Say hello").build())
                .failedAttemptLimit(1_000_000).unknownIdLimits(1_000_000, 100_000_000).build();
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fresh.add(apiKeys.create(KeySpec.builder("k" + i).tenantId("92").scopes("hello:read").build()).plaintext());
        }
        String cached = apiKeys.create(KeySpec.builder("cached").tenantId("92").scopes("hello:read").build()).plaintext();
        Server server = HelloServer.start(apiKeys, 0);
        try {
            URI uri = URI.create("http://127.0.0.1:" + HelloServer.port(server) + "/hello");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Random random = new Random(1);
            String[] kinds = {"unknown id, new each time", "unknown id, repeated", "wrong secret, key not cached",
                "wrong secret, key cached"};
            long[][] micros = new long[kinds.length][n];
            String repeatedUnknown = ForgedKeys.withKeyId(cached, "ZZZZZZZZ");
            HelloServer.send(http, uri, cached); // warm the connection and the cached key
            for (int warm = 0; warm < 2_000; warm++) {
                HelloServer.send(http, uri, ForgedKeys.wrongSecret(cached, random));
            }
            for (int i = 0; i < n; i++) {
                String[] headers = {ForgedKeys.withKeyId(cached, ForgedKeys.randomId(random)), repeatedUnknown,
                    ForgedKeys.wrongSecret(fresh.get(i), random), ForgedKeys.wrongSecret(cached, random)};
                for (int k = 0; k < kinds.length; k++) {
                    int kind = (k + i) % kinds.length;
                    long start = System.nanoTime();
                    int status = HelloServer.send(http, uri, headers[kind]);
                    micros[kind][i] = (System.nanoTime() - start) / 1_000;
                    if (status != 401) {
                        throw new IllegalStateException(kinds[kind] + " answered " + status);
                    }
                }
            }
            System.out.printf("%d samples of each, interleaved, over HTTP on 127.0.0.1; microseconds%n", n);
            System.out.printf("%-30s %8s %8s %8s %8s%n", "request", "p25", "median", "p75", "p99");
            for (int k = 0; k < kinds.length; k++) {
                long[] s = micros[k].clone();
                Arrays.sort(s);
                System.out.printf("%-30s %8d %8d %8d %8d%n", kinds[k], s[n / 4], s[n / 2], s[3 * n / 4], s[n * 99 / 100]);
            }
            difference("wrong secret (cached key) - unknown id (repeated)", micros[3], micros[1]);
            difference("wrong secret (not cached) - unknown id (new)", micros[2], micros[0]);
        } finally {
            server.stop();
            apiKeys.close();
        }
    }

    /** Difference of medians, a minus b, with a 95 % percentile-bootstrap interval (1,000 resamples). */
    private static void difference(String label, long[] a, long[] b) {
        Random random = new Random(2);
        double[] diffs = new double[1_000];
        for (int r = 0; r < diffs.length; r++) {
            diffs[r] = median(resample(a, random)) - median(resample(b, random));
        }
        Arrays.sort(diffs);
        System.out.printf("%s: %+.1f us (95%% interval %+.1f to %+.1f)%n", label, median(a.clone()) - median(b.clone()),
                diffs[25], diffs[974]);
    }

    private static long[] resample(long[] s, Random random) {
        long[] out = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[random.nextInt(s.length)];
        }
        return out;
    }

    private static double median(long[] s) {
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
