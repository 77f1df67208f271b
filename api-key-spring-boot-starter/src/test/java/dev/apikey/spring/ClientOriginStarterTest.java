package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The Spring Security chain behind a trusted proxy (127.0.0.2, {@code apikey.client.trusted-proxies}) with the
 * country from a MaxMind-format database ({@code apikey.client.country.database}, the test database of
 * api-key-geoip: 192.0.2.0/24 DE, 198.51.100.0/24 US, 203.0.113.0/24 unknown), over real HTTP.
 */
@SpringBootTest(classes = ClientOriginStarterTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.client.trusted-proxies=127.0.0.2",
            "apikey.client.country.database=../api-key-geoip/src/test/resources/dev/apikey/geoip/test-country.mmdb"})
class ClientOriginStarterTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(SeedControllers.class)
    static class App {
    }

    private static final String PROXY = "127.0.0.2";
    private static final String STRANGER = "127.0.0.1";

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    private String key(KeySpec.Builder spec) {
        return apiKeys.create(spec.scopes("events:read").build()).plaintext();
    }

    private FromHttp.Response get(String from, String key, String... headers) throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(headers));
        lines.add("X-Api-Key: " + key);
        return FromHttp.get(from, port, "/api/v1/events", lines);
    }

    @Test
    void theDatabaseCountryOfTheForwardedClientDecides() throws IOException {
        String eu = key(KeySpec.builder("eu").allowedCountries("DE"));
        assertThat(get(PROXY, eu, "X-Forwarded-For: 192.0.2.7").status()).isEqualTo(200);
        FromHttp.Response us = get(PROXY, eu, "X-Forwarded-For: 198.51.100.7");
        assertThat(us.status()).isEqualTo(403);
        assertThat(us.body()).contains("\"code\":\"country_not_allowed\"").contains("\"resolution\":");
        assertThat(get(PROXY, eu, "X-Forwarded-For: 203.0.113.9").status()).as("unknown: refused by default")
                .isEqualTo(403);
    }

    @Test
    void aStrangersForgedForwardedAddressIsIgnored() throws IOException {
        String eu = key(KeySpec.builder("eu").allowedCountries("DE"));
        FromHttp.Response forged = get(STRANGER, eu, "X-Forwarded-For: 192.0.2.7");
        assertThat(forged.status()).as("looked up as 127.0.0.1, which the database does not know").isEqualTo(403);
        assertThat(forged.body()).contains("country_not_allowed");
        String office = key(KeySpec.builder("office").allowedAddresses("192.0.2.0/24"));
        assertThat(get(PROXY, office, "X-Forwarded-For: 192.0.2.7").status()).isEqualTo(200);
        assertThat(get(STRANGER, office, "X-Forwarded-For: 192.0.2.7").body()).contains("ip_not_allowed");
        assertThat(get(STRANGER, key(KeySpec.builder("anywhere")), "X-Forwarded-For: 198.51.100.7").status())
                .isEqualTo(200);
    }
}
