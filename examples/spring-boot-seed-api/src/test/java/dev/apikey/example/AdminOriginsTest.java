package dev.apikey.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code apikey.admin.origins}: the console and its API answer only under the configured names (issue 30: their own
 * origin came from the {@code Host} header). A signed-in admin's request naming another {@code Host}, as a
 * DNS-rebinding page would send it, is refused with 421. Raw sockets, so the test sets the {@code Host} itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:origins;DB_CLOSE_DELAY=-1",
        "seed.admin-password=" + SeedApiApplicationTest.ADMIN_PASSWORD,
        "apikey.admin.origins=http://admin.example.com"})
class AdminOriginsTest {

    @LocalServerPort
    int port;

    private String get(String path, String host, String cookie) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nCookie: " + cookie
                    + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void theConsoleAndItsApiAnswerTheirNamesAndRefuseAnotherHost() throws Exception {
        ApiChainTest chain = new ApiChainTest();
        chain.port = port;
        String session = chain.signIn();
        assertThat(get("/admin/api-keys/scopes", "admin.example.com", session)).startsWith("HTTP/1.1 200");
        String api = get("/admin/api-keys/scopes", "evil.example", session);
        assertThat(api).startsWith("HTTP/1.1 421").contains("\"code\":\"host_not_allowed\"");
        String console = get("/admin/", "evil.example", session);
        assertThat(console).startsWith("HTTP/1.1 421").contains("\"code\":\"host_not_allowed\"");
    }
}
