package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded {@code apikey.jar} as users get it: its manifest, its license, and a run on JDK 17 and 22+. */
class ApiKeyJarIT {

    private static final Path JAR = Path.of("target", "apikey.jar");

    @TempDir
    Path dir;

    /** What one run of the jar printed (both streams) and returned. */
    record Run(int code, String output) {
    }

    @Test
    void theManifestNamesTheMainClassAndAllowsNativeAccess() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Manifest manifest = jar.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(ApiKeyCli.class.getName());
            assertThat(manifest.getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
            String license = new String(jar.getInputStream(jar.getEntry("META-INF/LICENSE")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(license.strip()).startsWith("Apache License");
        }
    }

    @Test
    void theJarRunsOnThisJdk() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Run missing = run(java, "--db", "jdbc:h2:" + dir.resolve("keys"), "list");
        assertThat(missing.code()).as(missing.output()).isEqualTo(1);
        assertThat(missing.output()).contains("no key database");

        Run created = run(java, "--db", "jdbc:h2:" + dir.resolve("keys"), "create", "--name", "jar",
                "--scope", "events:read");
        assertThat(created.code()).as(created.output()).isZero();
        assertThat(created.output()).contains("shown once");
    }

    @Test
    void everyCommandOfTheJarAnswersHelpWithExitCodeZero() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        for (String command : new String[] {"create", "demo", "revoke"}) {
            Run help = run(java, command, "--help");
            assertThat(help.code()).as(help.output()).isZero();
            assertThat(help.output()).startsWith("Usage: apikey " + command).contains("Examples:")
                    .doesNotContain("Missing required").doesNotContain("Unknown option");
        }
        Run top = run(java, "--help");
        assertThat(top.code()).isZero();
        assertThat(top.output()).contains("Exit codes (every command):");
        assertThat(dir.resolve("apikeys.mv.db")).as("help opens no database").doesNotExist();
    }

    @Test
    void argon2OnJdk22OrLaterPrintsNoNativeAccessWarning() throws Exception {
        Optional<Path> java = jdk22OrLater();
        assumeTrue(java.isPresent(), "no JDK 22 or later found (set APIKEY_TEST_JDK or install one under "
                + "/usr/lib/jvm); the native-access warning appears only there");

        Run created = run(java.get(), "--db", "jdbc:h2:" + dir.resolve("keys"), "create", "--name", "jna",
                "--scope", "events:read");

        assertThat(created.code()).as(created.output()).isZero();
        assertThat(created.output()).doesNotContain("restricted method").doesNotContain("enable-native-access");
    }

    @Test
    void keysCreatedInAnotherTerminalWorkInTheRunningDemo() throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        String db = "jdbc:h2:" + dir.resolve("keys");
        Path demoOut = dir.resolve("demo.txt");
        Process demo = new ProcessBuilder(java.toString(), "-jar", JAR.toAbsolutePath().toString(), "--db", db, "demo",
                "--port", "0").directory(dir.toFile()).redirectErrorStream(true).redirectOutput(demoOut.toFile()).start();
        try {
            Matcher listening = Pattern.compile("Demo API on (http://127\\.0\\.0\\.1:\\d+)").matcher("");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!listening.reset(Files.readString(demoOut)).find()) {
                assertThat(demo.isAlive()).as(Files.readString(demoOut)).isTrue();
                assertThat(System.nanoTime()).as("the demo started within 60 s").isLessThan(deadline);
                Thread.sleep(100);
            }

            Run created = run(java, "--db", db, "--json", "create", "--name", "second-terminal", "--scope", "events:read");

            assertThat(created.code()).as(created.output()).isZero();
            Matcher key = Pattern.compile("\"api_key\"\\s*:\\s*\"([^\"]+)\"").matcher(created.output());
            assertThat(key.find()).isTrue();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(listening.group(1) + "/api/v1/events"))
                            .header("X-Api-Key", key.group(1)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        } finally {
            demo.destroy();
            if (!demo.waitFor(10, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    /** Starts {@code apikey demo} and waits for its address (60 s at most). */
    private String startDemo(Path java, List<String> dbArgs, Path out, List<Process> started) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(dbArgs);
        command.addAll(List.of("demo", "--port", "0"));
        Process demo = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        started.add(demo);
        Matcher listening = Pattern.compile("Demo API on (http://127\\.0\\.0\\.1:\\d+)").matcher("");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening.reset(Files.readString(out)).find()) {
            assertThat(demo.isAlive()).as(Files.readString(out)).isTrue();
            assertThat(System.nanoTime()).as("the demo started within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        return listening.group(1);
    }

    private static int status(String base, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .header("X-Api-Key", key).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void twoDemosOnOnePostgresSeeACreateAtOnceAndARevokeWithinMilliseconds() throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        List<Process> demos = new ArrayList<>();
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start()) {
            List<String> db = List.of("--db", postgres.getJdbcUrl("postgres", "postgres"), "--db-user", "postgres");
            String first = startDemo(java, db, dir.resolve("demo1.txt"), demos);
            String second = startDemo(java, db, dir.resolve("demo2.txt"), demos);

            List<String> create = new ArrayList<>(db);
            create.addAll(List.of("--json", "create", "--name", "shared", "--scope", "events:read"));
            Run created = run(java, create.toArray(String[]::new));
            assertThat(created.code()).as(created.output()).isZero();
            Matcher key = Pattern.compile("\"api_key\"\\s*:\\s*\"([^\"]+)\"").matcher(created.output());
            assertThat(key.find()).isTrue();
            assertThat(status(first, key.group(1))).as("created in another process: at once").isEqualTo(200);
            assertThat(status(second, key.group(1))).isEqualTo(200);

            // Made through the second demo's management API (its start rotated the demo key; the first printed one
            // keeps working for the overlap), used on the first at once.
            String demoKey = ApiKeyCliTest.keyIn(Files.readString(dir.resolve("demo2.txt")));
            HttpResponse<String> made = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(second + "/admin/api-keys/keys")).header("Authorization", "Bearer " + demoKey)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"made-on-one\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            String madeKey = ApiKeyCliTest.keyIn(made.body());
            assertThat(status(first, madeKey)).as("created on one demo, used on the other at once").isEqualTo(200);

            List<String> revoke = new ArrayList<>(db);
            revoke.addAll(List.of("revoke", ApiKeyCliTest.keyIdOf(key.group(1))));
            long start = System.nanoTime();
            Run revoked = run(java, revoke.toArray(String[]::new));
            long exited = System.nanoTime();
            assertThat(revoked.code()).as(revoked.output()).isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while ((status(first, key.group(1)) == 200 || status(second, key.group(1)) == 200)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long refusedAt = System.nanoTime();
            assertThat(status(first, key.group(1))).as("refused by the first within 2 s of the revoke").isEqualTo(401);
            assertThat(status(second, key.group(1))).as("and by the second").isEqualTo(401);
            org.slf4j.LoggerFactory.getLogger("dev.apikey.test.processes").info(
                    "both demos refused the key {} ms after `apikey revoke` exited ({} ms after it started, its JVM "
                            + "start included)", (refusedAt - exited) / 1_000_000, (refusedAt - start) / 1_000_000);
        } finally {
            for (Process demo : demos) {
                demo.destroy();
                if (!demo.waitFor(10, TimeUnit.SECONDS)) {
                    demo.destroyForcibly();
                }
            }
        }
    }

    private Run run(Path java, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path output = dir.resolve("output.txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("apikey " + String.join(" ", args) + " ran past 60 s");
        }
        return new Run(p.exitValue(), Files.readString(output));
    }

    /** A JDK of version 22 or later: APIKEY_TEST_JDK, or one under /usr/lib/jvm. */
    private static Optional<Path> jdk22OrLater() throws IOException {
        List<Path> homes = new ArrayList<>();
        String env = System.getenv("APIKEY_TEST_JDK");
        if (env != null && !env.isBlank()) {
            homes.add(Path.of(env));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (DirectoryStream<Path> all = Files.newDirectoryStream(jvms)) {
                all.forEach(homes::add);
            }
        }
        for (Path home : homes) {
            Path release = home.resolve("release");
            Path java = home.resolve("bin/java");
            if (Files.isRegularFile(release) && Files.isExecutable(java) && featureVersion(release) >= 22) {
                return Optional.of(java);
            }
        }
        return Optional.empty();
    }

    private static int featureVersion(Path release) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(release)) {
            p.load(in);
        }
        String version = p.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
        try {
            return Integer.parseInt(version.split("[.+-]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
