package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A WebFlux host has no servlet API (the starter's servlet dependencies are {@code provided}): a reactive application
 * started in a JVM of its own, on this module's test class path without the servlet API, Tomcat, Jetty or Spring
 * MVC, verifies keys over real HTTP. A class of the reactive path that reached for a servlet type would fail it.
 */
class WebFluxWithoutServletApiTest {

    private static final List<String> SERVLET_SIDE = List.of("jakarta.servlet-api", "tomcat-embed", "jetty-",
            "spring-webmvc", "spring-boot-webmvc", "spring-boot-tomcat", "spring-boot-jetty", "jakarta.websocket");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReactiveControllers.class)
    static class App {
    }

    /**
     * The child JVM: starts the application, asks with a key and without, prints what it got.
     *
     * @param args none
     */
    public static void main(String[] args) throws Exception {
        boolean servletApi;
        try {
            Class.forName("jakarta.servlet.http.HttpServletRequest");
            servletApi = true;
        } catch (ClassNotFoundException e) {
            servletApi = false;
        }
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
                .logStartupInfo(false).properties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                        "spring.main.banner-mode", "off", "logging.level.root", "warn",
                        "apikey.prefix", "wlcro", "apikey.scopes.[events:read]", "Read events",
                        "apikey.routes[0]", "GET /api/v1/events -> events:read"));
        try (ConfigurableApplicationContext context = app.run()) {
            int port = ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
            String key = context.getBean(ApiKeys.class).create(KeySpec.builder("k").scopes("events:read").build())
                    .plaintext();
            System.out.println("servlet-api " + (servletApi ? "present" : "absent"));
            System.out.println("granted " + Http.get(port, "/api/v1/events", key).statusCode());
            System.out.println("granted again " + Http.get(port, "/api/v1/events", key).statusCode());
            System.out.println("missing " + Http.get(port, "/api/v1/events", null).statusCode());
        }
    }

    @Test
    void aReactiveApplicationWithoutTheServletApiVerifiesKeys(@TempDir Path dir) throws IOException,
            InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> all = Arrays.asList(classPath.split(File.pathSeparator));
        List<String> kept = all.stream().filter(e -> SERVLET_SIDE.stream()
                .noneMatch(s -> Path.of(e).getFileName().toString().toLowerCase(Locale.ROOT).startsWith(s))).toList();
        assertThat(kept).hasSizeLessThan(all.size());
        Path output = dir.resolve("out.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, kept), WebFluxWithoutServletApiTest.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = child.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String said = Files.readString(output, StandardCharsets.UTF_8);

        assertThat(ended).as("the child ended within 3 minutes: %s", said).isTrue();
        assertThat(child.exitValue()).as(said).isZero();
        assertThat(said).contains("servlet-api absent\n", "granted 200\n", "granted again 200\n", "missing 401\n");
    }
}
