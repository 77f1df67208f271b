package dev.apikey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeySpec;
import dev.apikey.model.LegacyFormat;
import dev.apikey.spi.LegacyHash;
import dev.apikey.testkit.RawHttp;
import jakarta.servlet.DispatcherType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A legacy key (issue 29) through {@link ApiKeyFilter} in Jetty 12 over real HTTP: granted, with the notice header. */
class JettyLegacyNoticeTest {

    private static final String LEGACY_KEY = "sk_live_4f9a2b7c1d3e5f60718293a4b5c6d7e8";

    private ApiKeys apiKeys;
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(FilterContract.SCOPES)
                .legacyFormat(LegacyFormat.digest("hand-written").prefix("sk_live_").length(40, 40)
                        .alphabet("0123456789abcdef").build())
                .build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new SeedApi.Echo()), "/*");
        ApiKeyFilter.Builder filter = ApiKeyFilter.builder(apiKeys);
        SeedApi.ROUTES.forEach(filter::route);
        context.addFilter(new FilterHolder(filter.build()), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        apiKeys.close();
    }

    private RawHttp.Response get(String key) throws Exception {
        return RawHttp.send(port, "GET", "/api/v1/events", List.of("X-Api-Key: " + key));
    }

    @Test
    void aLegacyKeyIsGrantedWithTheRotationNotice() throws Exception {
        ApiKeyInfo info = apiKeys.legacy().importKey(KeySpec.builder("crm").tenantId("92").scopes("events:read")
                .rotateBy(Instant.parse("2031-01-01T00:00:00Z")).build(),
                LegacyHash.sha256Hex(LegacyHash.keyDigest(LEGACY_KEY)));
        RawHttp.Response response = get(LEGACY_KEY);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).startsWith("ok " + info.keyId());
        assertThat(response.header(ApiKeyFilter.NOTICE_HEADER))
                .isEqualTo("legacy key; rotate by 2031-01-01T00:00:00Z");
    }

    @Test
    void ourOwnKeyGetsNoNoticeAndAnUnknownLegacyKeyIsRefused() throws Exception {
        String ours = apiKeys.create(KeySpec.builder("own").tenantId("92").scopes("events:read").build())
                .plaintext();
        RawHttp.Response granted = get(ours);
        assertThat(granted.status()).isEqualTo(200);
        assertThat(granted.header(ApiKeyFilter.NOTICE_HEADER)).isNull();
        RawHttp.Response unknown = get("sk_live_" + "0".repeat(32));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body()).contains("invalid_api_key");
        assertThat(unknown.header(ApiKeyFilter.NOTICE_HEADER)).isNull();
    }
}
