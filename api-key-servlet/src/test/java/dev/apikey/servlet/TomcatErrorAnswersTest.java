package dev.apikey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's Tomcat recipe in embedded Tomcat 11: Tomcat's own refusals are problem+json, never HTML or an echo. */
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

    /** One raw exchange, for requests no client library would send; bounded by a 10 s timeout. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aBadRequestLineIsAProblemThatEchoesNothing() throws Exception {
        String answer = raw("GET /api/v1/events?x=<script> HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"code\":\"bad_request\"").doesNotContain("<html").doesNotContain("script");
    }

    @Test
    void anOversizedHeaderIsAProblemThatEchoesNothing() throws Exception {
        String answer = raw("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).matches("(?s)HTTP/1.1 (400|431).*").containsIgnoringCase("application/problem+json")
                .doesNotContain("<html").doesNotContain("aaaa");
    }
}
