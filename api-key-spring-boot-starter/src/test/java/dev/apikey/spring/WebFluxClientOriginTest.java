package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The reactive chain behind a trusted proxy (127.0.0.2, {@code apikey.client.trusted-proxies}), over real HTTP from
 * chosen loopback addresses: the forwarded client address decides the allow list, a stranger's forged header is
 * not read, and the country comes from the proxy's header or from a MaxMind-format database (the test database of
 * api-key-geoip: 192.0.2.0/24 DE, 198.51.100.0/24 US).
 */
class WebFluxClientOriginTest {

    private static final String PROXY = "127.0.0.2";
    private static final String STRANGER = "127.0.0.1";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReactiveControllers.class)
    static class App {
    }

    abstract static class Client {
        @LocalServerPort
        int port;

        @Autowired
        ApiKeys apiKeys;

        String key(KeySpec.Builder spec) {
            return apiKeys.create(spec.scopes("events:read").build()).plaintext();
        }

        FromHttp.Response get(String from, String key, String... headers) throws IOException {
            List<String> lines = new ArrayList<>(List.of(headers));
            lines.add("X-Api-Key: " + key);
            return FromHttp.get(from, port, "/api/v1/events", lines);
        }
    }

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive",
        "server.address=127.0.0.1",
        "apikey.prefix=wlcro",
        "apikey.scopes.[events\\:read]=Read events",
        "apikey.routes[0]=GET /api/v1/events -> events:read",
        "apikey.client.trusted-proxies=127.0.0.2",
        "apikey.client.country.database=../api-key-geoip/src/test/resources/dev/apikey/geoip/test-country.mmdb"})
    class FromTheDatabase extends Client {
        @Test
        void theForwardedClientsAddressAndItsCountryDecide() throws IOException {
            String eu = key(KeySpec.builder("eu").allowedCountries("DE"));
            assertThat(get(PROXY, eu, "X-Forwarded-For: 192.0.2.7").status()).isEqualTo(200);
            FromHttp.Response us = get(PROXY, eu, "X-Forwarded-For: 198.51.100.7");
            assertThat(us.status()).isEqualTo(403);
            assertThat(us.body()).contains("\"code\":\"country_not_allowed\"");
            assertThat(get(STRANGER, eu, "X-Forwarded-For: 192.0.2.7").status())
                    .as("a stranger's forged address is not read: 127.0.0.1, unknown to the database").isEqualTo(403);
            String office = key(KeySpec.builder("office").allowedAddresses("192.0.2.0/24"));
            assertThat(get(PROXY, office, "X-Forwarded-For: 192.0.2.7").status()).isEqualTo(200);
            assertThat(get(STRANGER, office, "X-Forwarded-For: 192.0.2.7").body()).contains("ip_not_allowed");
        }
    }

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive",
        "server.address=127.0.0.1",
        "apikey.prefix=wlcro",
        "apikey.scopes.[events\\:read]=Read events",
        "apikey.routes[0]=GET /api/v1/events -> events:read",
        "apikey.client.trusted-proxies=127.0.0.2",
        "apikey.client.country.header=CF-IPCountry"})
    class FromTheProxysHeader extends Client {
        @Test
        void theProxysHeaderDecidesAndAStrangersIsNotRead() throws IOException {
            String eu = key(KeySpec.builder("eu").allowedCountries("DE"));
            assertThat(get(PROXY, eu, "CF-IPCountry: DE").status()).isEqualTo(200);
            FromHttp.Response us = get(PROXY, eu, "CF-IPCountry: US");
            assertThat(us.status()).isEqualTo(403);
            assertThat(us.body()).contains("\"code\":\"country_not_allowed\"");
            assertThat(get(STRANGER, eu, "CF-IPCountry: DE").status()).as("a stranger's header: unknown, refused")
                    .isEqualTo(403);
        }
    }

    /**
     * Spring Boot's forwarded-header handling rewrites the request's remote address from {@code X-Forwarded-For}
     * (Reactor Netty's with {@code native}, Spring's transformer with {@code framework}; {@code native} is also Boot's
     * default on a cloud platform it detects): the allow list still sees the connection's address, since no proxy is
     * trusted here.
     */
    abstract static class BootRewritesTheAddress extends Client {
        @Test
        void theAllowListSeesTheConnectionNotTheHeader() throws IOException {
            String office = key(KeySpec.builder("office").allowedAddresses("192.0.2.0/24"));
            FromHttp.Response forged = get(STRANGER, office, "X-Forwarded-For: 192.0.2.7");
            assertThat(forged.status()).as("a forged header opens no allow list").isEqualTo(403);
            assertThat(forged.body()).contains("ip_not_allowed");
            String local = key(KeySpec.builder("local").allowedAddresses("127.0.0.1/32"));
            assertThat(get(STRANGER, local, "X-Forwarded-For: 192.0.2.7").status())
                    .as("nor closes one").isEqualTo(200);
        }
    }

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive",
        "server.address=127.0.0.1",
        "server.forward-headers-strategy=native",
        "apikey.prefix=wlcro",
        "apikey.scopes.[events\\:read]=Read events",
        "apikey.routes[0]=GET /api/v1/events -> events:read"})
    class WithNativeForwardedHeaders extends BootRewritesTheAddress {
    }

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive",
        "server.address=127.0.0.1",
        "server.forward-headers-strategy=framework",
        "apikey.prefix=wlcro",
        "apikey.scopes.[events\\:read]=Read events",
        "apikey.routes[0]=GET /api/v1/events -> events:read",
        "apikey.client.trusted-proxies=127.0.0.2"})
    class WithFrameworkForwardedHeadersBehindATrustedProxy extends Client {
        @Test
        void theProxysForwardedAddressStillDecides() throws IOException {
            // Spring's transformer takes X-Forwarded-For off the request it hands on; the proxy's is still read.
            String office = key(KeySpec.builder("office").allowedAddresses("192.0.2.0/24"));
            assertThat(get(PROXY, office, "X-Forwarded-For: 192.0.2.7").status()).isEqualTo(200);
            assertThat(get(STRANGER, office, "X-Forwarded-For: 192.0.2.7").body()).contains("ip_not_allowed");
        }
    }

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive",
        "server.address=127.0.0.1",
        "server.forward-headers-strategy=framework",
        "apikey.prefix=wlcro",
        "apikey.scopes.[events\\:read]=Read events",
        "apikey.routes[0]=GET /api/v1/events -> events:read"})
    class WithFrameworkForwardedHeaders extends BootRewritesTheAddress {
    }
}
