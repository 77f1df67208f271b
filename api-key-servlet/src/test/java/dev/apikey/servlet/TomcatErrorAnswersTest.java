package dev.apikey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.testkit.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Tomcat recipe of docs/SERVLET.md in embedded Tomcat 11: Tomcat's own refusals are problem+json, never HTML or an echo. */
class TomcatErrorAnswersTest {

    private Tomcat tomcat;
    private int port;

    @BeforeEach
    void start() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(Path.of("target", "tomcat")).toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.getConnector().setProperty("maxHttpHeaderSize", "8192");
        ((StandardHost) tomcat.getHost()).setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "echo", new SeedApi.Echo());
        context.addServletMapping("/*", "echo");
        tomcat.start();
        port = tomcat.getConnector().getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    @Test
    void aBadRequestLineIsAProblemThatEchoesNothing() throws Exception {
        RawHttp.Response answer = RawHttp.send(port, "GET", "/api/v1/events?x=<script>", List.of());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"code\":\"bad_request\"").doesNotContain("<html").doesNotContain("script");
    }

    @Test
    void anOversizedHeaderIsAProblemThatEchoesNothing() throws Exception {
        RawHttp.Response answer = RawHttp.send(port, "GET", "/api/v1/events", List.of("X-Big: " + "a".repeat(20_000)));
        assertThat(answer.status()).isIn(400, 431);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body()).doesNotContain("<html").doesNotContain("aaaa");
    }
}
