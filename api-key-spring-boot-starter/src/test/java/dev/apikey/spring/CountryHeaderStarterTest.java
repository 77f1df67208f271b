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
 * The Spring Security chain with the country from a trusted proxy's header ({@code apikey.client.country.header})
 * and unknown countries allowed ({@code apikey.client.country.allow-unknown=true}), over real HTTP.
 */
@SpringBootTest(classes = CountryHeaderStarterTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.client.trusted-proxies=127.0.0.2",
            "apikey.client.country.header=CF-IPCountry",
            "apikey.client.country.allow-unknown=true"})
class CountryHeaderStarterTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(SeedControllers.class)
    static class App {
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    private FromHttp.Response get(String from, String key, String country) throws IOException {
        return FromHttp.get(from, port, "/api/v1/events", List.of("X-Api-Key: " + key, "CF-IPCountry: " + country));
    }

    @Test
    void theProxysHeaderDecidesAndAStrangersIsUnknownWhichIsAllowed() throws IOException {
        String eu = apiKeys.create(KeySpec.builder("eu").scopes("events:read").allowedCountries("DE").build())
                .plaintext();
        assertThat(get("127.0.0.2", eu, "DE").status()).isEqualTo(200);
        FromHttp.Response us = get("127.0.0.2", eu, "US");
        assertThat(us.status()).isEqualTo(403);
        assertThat(us.body()).contains("\"code\":\"country_not_allowed\"");
        assertThat(get("127.0.0.1", eu, "US").status()).as("a stranger's header is not read: unknown, allowed here")
                .isEqualTo(200);
        assertThat(get("127.0.0.2", eu, "XX").status()).as("the CDN's unknown").isEqualTo(200);
    }
}
