package dev.apikey.bench;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Server;

/**
 * The Argon2 flood found by probing the demo, measured over HTTP: keys hashed with Argon2id (the OWASP minimum),
 * the default hash slots (one per core) and queue timeout; 32 client threads send wrong secrets on 5 known key ids
 * while valid keys that were never verified send their first request, one after another. Prints how many of those
 * first requests were granted and their latency, beside the same first requests with no flood. Runs twice: with
 * the failed-attempt throttle as configured by default (one attacking address), and with it raised out of reach
 * (an attacker with many addresses).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.apikey.bench.FloodProbe [valid keys per run, default 100]</pre>
 */
public final class FloodProbe {

    private FloodProbe() {
    }

    /**
     * @param args optionally the number of valid keys whose first request is measured in each run
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        if (n < 1 || n > 10_000) {
            throw new IllegalArgumentException("valid keys must be 1 to 10000, was " + n);
        }
        System.out.printf("Argon2id m=19456 KiB t=2 p=1, %d hash slots, 100 ms queue timeout; %d first requests each%n",
                Runtime.getRuntime().availableProcessors(), n);
        run("no flood", n, 0, 100);
        run("flood, default throttle", n, 32, 100);
        run("flood, no throttle", n, 32, 1_000_000);
    }

    private static void run(String label, int n, int attackers, int failedAttemptLimit) throws Exception {
        ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("hello:read", "Say hello").build())
                .hasher(Argon2idHasher.owaspMinimum()).failedAttemptLimit(failedAttemptLimit).build();
        List<String> attacked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            attacked.add(apiKeys.create(KeySpec.builder("attacked" + i).scopes("hello:read").build()).plaintext());
        }
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            valid.add(apiKeys.create(KeySpec.builder("valid" + i).scopes("hello:read").build()).plaintext());
        }
        Server server = HelloServer.start(apiKeys, 0);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> flood = new ArrayList<>();
        Map<Integer, LongAdder> floodAnswers = new ConcurrentHashMap<>();
        try {
            URI uri = URI.create("http://127.0.0.1:" + HelloServer.port(server) + "/hello");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int t = 0; t < attackers; t++) {
                Random random = new Random(t);
                String target = attacked.get(t % attacked.size());
                Thread attacker = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            int status = HelloServer.send(http, uri, ForgedKeys.wrongSecret(target, random));
                            floodAnswers.computeIfAbsent(status, s -> new LongAdder()).increment();
                        } catch (Exception e) {
                            floodAnswers.computeIfAbsent(-1, s -> new LongAdder()).increment();
                        }
                    }
                }, "attacker-" + t);
                attacker.start();
                flood.add(attacker);
            }
            Thread.sleep(attackers > 0 ? 2_000 : 0);
            long[] micros = new long[n];
            Map<Integer, Integer> firstAnswers = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                int status = HelloServer.send(http, uri, valid.get(i));
                micros[i] = (System.nanoTime() - start) / 1_000;
                firstAnswers.merge(status, 1, Integer::sum);
            }
            stop.set(true);
            for (Thread attacker : flood) {
                attacker.join(TimeUnit.SECONDS.toMillis(20));
            }
            Arrays.sort(micros);
            System.out.printf("%n%s%n  first requests granted: %d of %d; answers %s%n", label,
                    firstAnswers.getOrDefault(200, 0), n, firstAnswers);
            System.out.printf("  first-request latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    micros[n / 2] / 1e3, micros[(int) (n * 0.99)] / 1e3, micros[n - 1] / 1e3);
            if (attackers > 0) {
                System.out.printf("  flood answers by status (-1: failed request): %s%n", new TreeMap<>(floodAnswers));
            }
        } finally {
            stop.set(true);
            server.stop();
            apiKeys.close();
        }
    }
}
