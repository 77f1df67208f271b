package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apikey demo} as a process of its own, with the command's real logging configuration (this module's
 * classes and dependencies, not its test classes), on an H2 file: where it listens, what it logs, and that slow
 * clients do not take it down.
 */
class DemoProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static Process demo;
    private static Path output;
    private static String base;
    private static int httpPort;
    private static String key;

    @BeforeAll
    static void startDemo() throws Exception {
        output = dir.resolve("demo.txt");
        demo = new ProcessBuilder(command("demo", "--port", "0")).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        Matcher listening = Pattern.compile("Demo API on (http://127\\.0\\.0\\.1:(\\d+))").matcher("");
        await("the demo started within 60 s").atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(demo.isAlive()).as(Files.readString(output)).isTrue();
            return listening.reset(Files.readString(output)).find();
        });
        base = listening.group(1);
        httpPort = Integer.parseInt(listening.group(2));
        key = ApiKeyCliTest.keyIn(Files.readString(output));
    }

    @AfterAll
    static void stopDemo() throws Exception {
        if (demo != null) {
            demo.destroy();
            if (!demo.waitFor(10, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
            String printed = Files.readString(output);
            CliLeakCheck.output(new String[] {"demo"}, printed);
            // Slow clients are refused quietly: no warning or stack trace per client.
            assertThat(printed).doesNotContain("WARN org.eclipse.jetty").doesNotContain("\tat ");
        }
    }

    /** {@code java -cp <main class path> dev.apikey.cli.ApiKeyCli --db <the H2 file> <args>}. */
    private static List<String> command(String... args) {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath, ApiKeyCli.class.getName(), "--db", "jdbc:h2:" + dir.resolve("keys")));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void everyListeningSocketButTheHttpPortIsOnLoopback() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc to find the demo's sockets");

        List<Listener> listeners = Listener.of(demo.pid());

        assertThat(listeners).as("the demo's listening sockets").extracting(Listener::port).contains(httpPort);
        List<Listener> others = listeners.stream().filter(l -> l.port() != httpPort).toList();
        assertThat(others).as("H2's server for other processes (AUTO_SERVER)").isNotEmpty();
        assertThat(others).allSatisfy(l -> assertThat(l.address().isLoopbackAddress())
                .as("%s listens on a loopback address", l).isTrue());
        // The lock file tells other processes where that server is: a loopback address too, readable by the owner only.
        Properties lock = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("keys.lock.db"))) {
            lock.load(in);
        }
        String server = lock.getProperty("server");
        assertThat(InetAddress.getByName(server.substring(0, server.lastIndexOf(':'))).isLoopbackAddress())
                .as(server).isTrue();
        for (String file : List.of("keys.mv.db", "keys.lock.db", "keys" + H2FileDatabase.PASSWORD_SUFFIX)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file)))).as(file)
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aKeyCreatedByAnotherProcessWorksInTheRunningDemo() throws Exception {
        Path created = dir.resolve("create.txt");
        Process create = new ProcessBuilder(command("--json", "create", "--name", "second-terminal", "--scope",
                "events:read")).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(created.toFile())
                .start();
        assertThat(create.waitFor(60, TimeUnit.SECONDS)).as("create ran within 60 s").isTrue();
        assertThat(create.exitValue()).as(Files.readString(created)).isZero();

        String other = ApiKeyCliTest.keyIn(Files.readString(created));
        assertThat(get("/api/v1/events", other).statusCode()).isEqualTo(200);
    }

    @Test
    void anAdminChangeMadeThroughTheDemoIsAuditedOnItsOutput() throws Exception {
        HttpResponse<String> made = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/admin/api-keys/keys")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"audited\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String hint = "wlcro_92_" + ApiKeyCliTest.keyIdOf(ApiKeyCliTest.keyIn(made.body()));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(auditLine(hint))
                .as("an admin_create line for %s in:%n%s", hint, Files.readString(output)).isTrue());
    }

    private static boolean auditLine(String hint) throws IOException {
        try (Stream<String> lines = Files.lines(output)) {
            return lines.anyMatch(l -> l.contains("dev.apikey.admin.audit") && l.contains("event=admin_create")
                    && l.contains("key=" + hint));
        }
    }

    @Test
    void aGrantedCallAnswersWhileHundredsOfClientsTrickleBodiesIntoTheScannerCheck() throws Exception {
        try (DemoServerTest.SlowSenders slow = DemoServerTest.SlowSenders.open(httpPort, DemoServerTest.SLOW_SENDERS)) {
            HttpResponse<String> events = get("/api/v1/events", key);
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(events.headers().firstValue("Server")).as("no server name and version").isEmpty();
            assertThat(slow.trickled()).as("the slow senders were still sending").isPositive();
        }
    }

    private static HttpResponse<String> get(String path, String apiKey) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("X-Api-Key", apiKey).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A listening TCP socket of a process, from /proc/net/tcp and tcp6 and the process's socket inodes. */
    record Listener(InetAddress address, int port) {

        private static final String LISTEN = "0A";

        static List<Listener> of(long pid) throws IOException {
            Set<String> inodes = new HashSet<>();
            Pattern socket = Pattern.compile("socket:\\[(\\d+)]");
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        Matcher m = socket.matcher(Files.readSymbolicLink(fd).toString());
                        if (m.matches()) {
                            inodes.add(m.group(1));
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            }
            List<Listener> listeners = new ArrayList<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path path = Path.of(table);
                if (!Files.exists(path)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(path);
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
                        String[] local = f[1].split(":");
                        listeners.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
                    }
                }
            }
            return listeners;
        }

        /** The kernel's hex: 32-bit words in host (little-endian) order, 1 word for IPv4, 4 for IPv6. */
        private static InetAddress address(String hex) throws IOException {
            byte[] bytes = new byte[hex.length() / 2];
            for (int word = 0; word < bytes.length / 4; word++) {
                for (int i = 0; i < 4; i++) {
                    int at = (word * 4 + (3 - i)) * 2;
                    bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
                }
            }
            return InetAddress.getByAddress(bytes);
        }
    }
}
