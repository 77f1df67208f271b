package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** The console with configured origins, over real HTTP: its page only under a configured host name. */
class ConsoleHostTest {

    @Test
    void theConsoleIsServedOnlyUnderAConfiguredHost() throws Exception {
        assertThatIllegalArgumentException().isThrownBy(() -> new AdminConsole("api-keys/", List.of("ftp://x")))
                .withMessageStartingWith("origins must each be scheme://host[:port]");
        assertThatIllegalArgumentException().isThrownBy(() -> new AdminConsole("api-keys/", List.of()))
                .withMessage("origins must name at least one origin");
        Server server = Jetty.start(context -> context.addServlet(new ServletHolder(
                new AdminConsole("api-keys/", List.of("https://admin.example.com"))), "/admin/*"));
        try {
            int port = Jetty.port(server);
            assertThat(status(port, "admin.example.com")).isEqualTo(200);
            String rebound = answer(port, "attacker.example:" + port);
            assertThat(RawHttp.status(rebound)).isEqualTo(421);
            assertThat(rebound).contains("\"code\":\"host_not_allowed\"").doesNotContain("<script");
            assertThat(status(port, "127.0.0.1:" + port)).isEqualTo(421);
        } finally {
            server.stop();
        }
    }

    private static int status(int port, String host) throws Exception {
        return RawHttp.status(answer(port, host));
    }

    private static String answer(int port, String host) throws Exception {
        try (Socket s = RawHttp.send(port, "GET /admin/ HTTP/1.1\r\nHost: " + host + "\r\n\r\n")) {
            return RawHttp.answer(s, Duration.ofSeconds(10));
        }
    }
}
