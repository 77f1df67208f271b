package dev.apikey.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.testkit.RawHttp;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link ClientAddress} over real requests in Jetty 12: a servlet answers the client address each definition finds.
 * The trusted proxies are 127.0.0.2 and 127.0.0.3; other peers connect from 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientAddressTest {

    private static final List<String> PROXIES = List.of("127.0.0.2", "127.0.0.3/32");

    private Server server;
    private int port;

    /** Answers {@code xff|forwarded|direct} client addresses, {@code -} for unknown; 500 if the overloads differ. */
    static final class Answer extends HttpServlet {
        private final ClientAddress xff = ClientAddress.behindProxies(PROXIES);
        private final ClientAddress forwarded = ClientAddress.behindProxies(PROXIES, ClientAddress.Header.FORWARDED);

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            // The overload for adapters without a servlet request (WebFlux) finds the same, or the answer is a 500.
            for (ClientAddress c : List.of(xff, forwarded, ClientAddress.direct())) {
                if (!java.util.Objects.equals(c.of(req), c.of(req.getRemoteAddr(),
                        name -> java.util.Collections.list(req.getHeaders(name))))) {
                    resp.sendError(500, "the two overloads disagree");
                    return;
                }
            }
            resp.setContentType("text/plain");
            resp.getWriter().write(shown(xff.of(req)) + "|" + shown(forwarded.of(req)) + "|"
                    + shown(ClientAddress.direct().of(req)));
        }

        private static String shown(String address) {
            return address == null ? "-" : address;
        }
    }

    @BeforeAll
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new Answer()), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    void stop() throws Exception {
        server.stop();
    }

    private String from(String peer, String... headers) throws IOException {
        RawHttp.Response r = RawHttp.sendFrom(peer, port, "GET", "/", List.of(headers));
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aStrangerIsItsConnectionWhateverItForwards() throws IOException {
        assertThat(from("127.0.0.1", "X-Forwarded-For: 192.0.2.7", "Forwarded: for=192.0.2.7"))
                .isEqualTo("127.0.0.1|127.0.0.1|127.0.0.1");
    }

    @Test
    void aTrustedProxysHeaderIsReadFromTheRightStepppingOverTrustedHops() throws IOException {
        assertThat(from("127.0.0.2")).as("no header: the proxy itself").isEqualTo("127.0.0.2|127.0.0.2|127.0.0.2");
        assertThat(from("127.0.0.2", "X-Forwarded-For: 10.9.9.9, 192.0.2.7, 127.0.0.3"))
                .startsWith("192.0.2.7|127.0.0.2|");
        assertThat(from("127.0.0.2", "X-Forwarded-For: 127.0.0.3")).as("every hop trusted: the leftmost")
                .startsWith("127.0.0.3|");
        assertThat(from("127.0.0.2", "X-Forwarded-For: 192.0.2.7:4711")).startsWith("192.0.2.7|");
        assertThat(from("127.0.0.2", "X-Forwarded-For: [2001:db8::7]:4711")).startsWith("2001:db8::7|");
        assertThat(from("127.0.0.2", "X-Forwarded-For: 2001:db8::7")).startsWith("2001:db8::7|");
        assertThat(from("127.0.0.2", "X-Forwarded-For: 192.0.2.7, unknown")).as("a hop that is no address")
                .startsWith("-|");
        assertThat(from("127.0.0.2", "X-Forwarded-For: example.com")).as("never a name").startsWith("-|");
        assertThat(from("127.0.0.2", "X-Forwarded-For: " + "1.2.3.4, ".repeat(500) + "192.0.2.7"))
                .as("a header past its length limit").startsWith("-|");
    }

    @Test
    void theForwardedHeadersForNodesAreRead() throws IOException {
        assertThat(from("127.0.0.2", "Forwarded: for=192.0.2.7;proto=https;by=127.0.0.2"))
                .isEqualTo("127.0.0.2|192.0.2.7|127.0.0.2");
        assertThat(from("127.0.0.2", "Forwarded: For=\"[2001:db8:cafe::17]:4711\"")).contains("|2001:db8:cafe::17|");
        assertThat(from("127.0.0.2", "Forwarded: for=192.0.2.43, for=127.0.0.3")).contains("|192.0.2.43|");
        assertThat(from("127.0.0.2", "Forwarded: for=_gazonk")).contains("|-|");
        assertThat(from("127.0.0.2", "Forwarded: proto=https")).as("an element without for=").contains("|-|");
    }

    @Test
    void onlySixteenHopsAreRead() throws IOException {
        String chain = "192.0.2.7, " + "127.0.0.3, ".repeat(20) + "127.0.0.3";
        assertThat(from("127.0.0.2", "X-Forwarded-For: " + chain)).as("stops at a trusted hop, never the 17th")
                .startsWith("127.0.0.3|");
    }

    @Test
    void badSettingsNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClientAddress.behindProxies(List.of("proxy.internal")))
                .withMessageStartingWith("trustedProxies: ");
        assertThatIllegalArgumentException().isThrownBy(() -> ClientAddress.Header.named("X-Real-IP"))
                .withMessage("forwardedHeader must be X-Forwarded-For or Forwarded");
        assertThatIllegalArgumentException().isThrownBy(() -> CountryResolver.header("CF-IPCountry",
                ClientAddress.direct())).withMessageContaining("needs trustedProxies");
        assertThatIllegalArgumentException().isThrownBy(() -> CountryResolver.header("CF IPCountry",
                ClientAddress.behindProxies(PROXIES))).withMessageStartingWith("countryHeader must be");
        assertThat(ClientAddress.Header.named("forwarded")).isEqualTo(ClientAddress.Header.FORWARDED);
    }
}
