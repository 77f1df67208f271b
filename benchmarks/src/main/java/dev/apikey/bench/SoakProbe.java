package dev.apikey.bench;

import dev.apikey.model.KeyFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The soak: a bounded mixed workload over real HTTP against the demo ({@code apikey demo}, a child JVM with its
 * own H2 file), from a few client threads on 127.0.0.1. Of the requests 70 % carry a valid key, 10 % a wrong
 * secret on a known key id, 10 % an unknown key id (a new one each time, with a valid checksum), 5 % a revoked
 * key and 5 % garbage. Every answer is checked against what the design says for its kind; the demo's heap is
 * measured after a full GC every 30 s (its GC log), and latency is reported as p50/p99 per kind and per minute.
 * Exits 1 if any answer was not as designed, or any request failed.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.apikey.bench.SoakProbe [apikey.jar] [seconds, default 300] [threads, default 4]</pre>
 */
public final class SoakProbe {

    private SoakProbe() {
    }

    /** A kind of request, its share of the mix in percent, and the answers the design allows it. */
    private enum Kind {
        VALID(70, "200 ok"),
        WRONG_SECRET(10, "401 invalid_api_key", "429 too_many_failed_attempts"),
        // Past 60 unknown ids a minute from one network, answered without a store query (issue 30).
        UNKNOWN_ID(10, "401 invalid_api_key", "429 too_many_failed_attempts"),
        REVOKED(5, "401 revoked_api_key"),
        GARBAGE(5, "401 malformed_api_key", "400 malformed_request");

        final int percent;
        final Set<String> designed;

        Kind(int percent, String... designed) {
            this.percent = percent;
            this.designed = Set.of(designed);
        }

        static Kind pick(int roll) {
            int sum = 0;
            for (Kind k : values()) {
                sum += k.percent;
                if (roll < sum) {
                    return k;
                }
            }
            throw new IllegalArgumentException("roll must be below 100, was " + roll);
        }
    }

    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern API_KEY = Pattern.compile("\"api_key\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern LISTENING = Pattern.compile("Demo API on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern FULL_GC =
            Pattern.compile("\\[([0-9.]+)s\\].*Pause Full \\((?:System\\.gc\\(\\)|Diagnostic Command)\\) (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    /** One thread's samples: the kind, the minute it started in, and its latency. */
    private static final class Samples {
        long[] nanos = new long[1 << 16];
        byte[] kinds = new byte[1 << 16];
        short[] minutes = new short[1 << 16];
        int size;

        void add(Kind kind, int minute, long latency) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
                kinds = Arrays.copyOf(kinds, size * 2);
                minutes = Arrays.copyOf(minutes, size * 2);
            }
            nanos[size] = latency;
            kinds[size] = (byte) kind.ordinal();
            minutes[size] = (short) minute;
            size++;
        }
    }

    /**
     * @param args optionally the path of {@code apikey.jar}, the seconds to run and the number of client threads
     */
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "api-key-cli/target/apikey.jar");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("apikey.jar not found at " + jar + " (./mvnw -B package -DskipTests)");
        }
        if (seconds < 10 || seconds > 3_600 || threads < 1 || threads > 64) {
            throw new IllegalArgumentException("seconds must be 10 to 3600 and threads 1 to 64");
        }
        Path dir = Files.createTempDirectory("apikey-soak");
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        String db = "jdbc:h2:" + dir.resolve("keys");
        Process demo = null;
        try {
            List<String> valid = new ArrayList<>();
            List<String> attacked = new ArrayList<>();
            List<String> revoked = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                valid.add(create(java, jar, db, "valid" + i));
            }
            for (int i = 0; i < 4; i++) {
                attacked.add(create(java, jar, db, "attacked" + i));
                String gone = create(java, jar, db, "revoked" + i);
                cli(java, jar, db, "revoke", KeyFormat.of("wlcro").parse(gone).orElseThrow().keyId());
                revoked.add(gone);
            }
            Path gcLog = dir.resolve("gc.log");
            demo = new ProcessBuilder(java.toString(), "-Xmx256m", "-Xlog:gc:file=" + gcLog + ":uptime",
                    "-jar", jar.toString(), "--db", db, "demo", "--port", "0")
                    .redirectOutput(dir.resolve("demo.out").toFile()).redirectError(dir.resolve("demo.err").toFile())
                    .start();
            int port = awaitPort(demo, dir.resolve("demo.out"));
            run(URI.create("http://127.0.0.1:" + port + "/api/v1/events"), demo, seconds, threads, valid, attacked,
                    revoked, gcLog);
        } finally {
            if (demo != null) {
                demo.destroy();
                if (!demo.waitFor(10, TimeUnit.SECONDS)) {
                    demo.destroyForcibly();
                }
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(URI uri, Process demo, int seconds, int threads, List<String> valid, List<String> attacked,
            List<String> revoked, Path gcLog) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Samples> all = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Samples samples = new Samples();
            all.add(samples);
            Random random = new Random(t);
            Thread client = new Thread(() -> {
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    Kind kind = Kind.pick(random.nextInt(100));
                    String key = switch (kind) {
                        case VALID -> valid.get(random.nextInt(valid.size()));
                        case WRONG_SECRET -> ForgedKeys.wrongSecret(attacked.get(random.nextInt(attacked.size())), random);
                        case UNKNOWN_ID -> ForgedKeys.withKeyId(valid.get(0), ForgedKeys.randomId(random));
                        case REVOKED -> revoked.get(random.nextInt(revoked.size()));
                        case GARBAGE -> garbage(random);
                    };
                    HttpRequest request = HttpRequest.newBuilder(uri).header("X-Api-Key", key)
                            .timeout(Duration.ofSeconds(10)).build();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long latency = System.nanoTime() - now;
                        Matcher code = CODE.matcher(response.body());
                        String outcome = response.statusCode() + " "
                                + (response.statusCode() == 200 ? "ok" : code.find() ? code.group(1) : "-");
                        outcomes.computeIfAbsent(kind + " " + outcome, o -> new LongAdder()).increment();
                        samples.add(kind, (int) TimeUnit.NANOSECONDS.toMinutes(now - start), latency);
                    } catch (IOException e) {
                        errors.increment();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "soak-client-" + t);
            client.start();
            clients.add(client);
        }
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(30_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            fullGc(jcmd, demo.pid());
        }
        for (Thread client : clients) {
            client.join(20_000);
        }
        boolean asDesigned = report(seconds, threads, outcomes, errors.sum(), all, gcLog);
        System.out.printf("%nWhat the demo's heap holds at the end (jcmd GC.class_histogram, largest first):%n");
        Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(demo.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).limit(12)
                .forEach(System.out::println);
        histogram.waitFor(30, TimeUnit.SECONDS);
        if (!asDesigned) {
            System.exit(1);
        }
    }

    /** Prints the figures, and answers whether every answer was as designed. */
    private static boolean report(int seconds, int threads, Map<String, LongAdder> outcomes, long errors, List<Samples> all,
            Path gcLog) throws IOException {
        long total = outcomes.values().stream().mapToLong(LongAdder::sum).sum();
        System.out.printf("%d s, %d client threads, %,d answers (%.0f per second), %d failed requests%n", seconds,
                threads, total, total / (double) seconds, errors);
        System.out.printf("%n%-14s %-32s %10s %s%n", "kind", "answer", "count", "designed");
        boolean asDesigned = errors == 0;
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(outcomes).entrySet()) {
            String[] parts = e.getKey().split(" ", 2);
            boolean designed = Kind.valueOf(parts[0]).designed.contains(parts[1]);
            asDesigned &= designed;
            System.out.printf("%-14s %-32s %,10d %s%n", parts[0], parts[1], e.getValue().sum(), designed ? "yes" : "NO");
        }
        System.out.printf("%n%-14s %10s %10s %10s%n", "latency (us)", "p50", "p99", "max");
        for (Kind kind : Kind.values()) {
            printLatency(kind.name(), latencies(all, kind.ordinal(), -1));
        }
        printLatency("all", latencies(all, -1, -1));
        for (int minute = 0; minute * 60 < seconds; minute++) {
            printLatency("minute " + (minute + 1), latencies(all, -1, minute));
        }
        System.out.printf("%nDemo heap after each full GC (every 30 s):%n");
        for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
            Matcher m = FULL_GC.matcher(line);
            if (m.find()) {
                System.out.printf("  at %6.0f s: %s MiB used of %s MiB%n", Double.parseDouble(m.group(1)), m.group(3),
                        m.group(4));
            }
        }
        System.out.println(asDesigned ? "\nEvery answer as designed." : "\nSOME ANSWERS NOT AS DESIGNED.");
        return asDesigned;
    }

    private static long[] latencies(List<Samples> all, int kind, int minute) {
        long[] out = new long[all.stream().mapToInt(s -> s.size).sum()];
        int n = 0;
        for (Samples s : all) {
            for (int i = 0; i < s.size; i++) {
                if ((kind < 0 || s.kinds[i] == kind) && (minute < 0 || s.minutes[i] == minute)) {
                    out[n++] = s.nanos[i];
                }
            }
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }

    private static void printLatency(String label, long[] sorted) {
        if (sorted.length == 0) {
            return;
        }
        System.out.printf("%-14s %10d %10d %10d%n", label, sorted[sorted.length / 2] / 1_000,
                sorted[(int) (sorted.length * 0.99)] / 1_000, sorted[sorted.length - 1] / 1_000);
    }

    /** Printable garbage of 1 to 80 characters: never a key of the format. */
    private static String garbage(Random random) {
        char[] chars = new char[1 + random.nextInt(80)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ('!' + random.nextInt('~' - '!' + 1));
        }
        return new String(chars);
    }

    private static String create(Path java, Path jar, String db, String name) throws Exception {
        String out = cli(java, jar, db, "--json", "create", "--name", name, "--tenant", "92", "--scope", "events:read");
        Matcher key = API_KEY.matcher(out);
        if (!key.find()) {
            throw new IllegalStateException("apikey create printed no api_key");
        }
        return key.group(1);
    }

    private static String cli(Path java, Path jar, String db, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", jar.toString(), "--db", db));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("apikey " + args[0] + " failed (exit " + (p.isAlive() ? "-" : p.exitValue()) + ")");
        }
        return out;
    }

    private static int awaitPort(Process demo, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!demo.isAlive()) {
                throw new IllegalStateException("the demo exited with " + demo.exitValue());
            }
            Matcher m = LISTENING.matcher(Files.readString(out, StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the demo did not start within 60 s");
    }

    private static void fullGc(Path jcmd, long pid) throws Exception {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }
}
