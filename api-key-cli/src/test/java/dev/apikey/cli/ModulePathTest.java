package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host application on the module path needs only {@code requires dev.apikey.jdbc} and
 * {@code requires dev.apikey.servlet}: the types their API exposes ({@code javax.sql.DataSource},
 * {@code jakarta.servlet.Filter}) come with them ({@code requires transitive}).
 */
class ModulePathTest {

    /** The jars (or class folders) of our modules and of what they require, from this test's class path. */
    private static final List<String> MODULES = List.of("api-key-core", "api-key-jdbc", "api-key-servlet",
            "slf4j-api", "jakarta.servlet-api", "jackson-", "caffeine", "argon2-jvm", "bucket4j", "jna");

    @TempDir
    Path dir;

    @Test
    void aHostModuleCompilesWithOnlyOurModulesRequired() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/host/app"));
        Files.writeString(dir.resolve("src/module-info.java"),
                "module host { requires dev.apikey.jdbc; requires dev.apikey.servlet; }");
        Files.writeString(src.resolve("Wiring.java"), String.join("\n",
                "package host.app;",
                "public final class Wiring {",
                "  public static jakarta.servlet.Filter filter(javax.sql.DataSource dataSource) {",
                "    dev.apikey.ApiKeys keys = dev.apikey.ApiKeys.builder().prefix(\"host\")",
                "        .store(dev.apikey.jdbc.JdbcKeyStore.builder(dataSource).build()).build();",
                "    return dev.apikey.servlet.ApiKeyFilter.builder(keys).build();",
                "  }",
                "}"));
        String modulePath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> MODULES.stream().anyMatch(name -> Path.of(entry).toString().contains(name)))
                .collect(Collectors.joining(File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();

        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--module-path", modulePath, "-d", dir.resolve("out").toString(), "-Xlint:none"), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(
                        dir.resolve("src/module-info.java"), src.resolve("Wiring.java"))).call();

        assertThat(compiled).as(diagnostics.toString()).isTrue();
        assertThat(dir.resolve("out/host/app/Wiring.class")).exists();
    }
}
