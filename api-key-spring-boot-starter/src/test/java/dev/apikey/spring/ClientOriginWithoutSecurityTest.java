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
 * Without Spring Security, the starter's ApiKeyFilter takes the same apikey.client.* as the chain: the trusted proxy
 * (127.0.0.2) forwards the client's address and country; a stranger's forged headers are ignored. Over real HTTP.
 */
@SpringBootTest(classes = ClientOriginWithoutSecurityTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.client.trusted-proxies=127.0.0.2",
            "apikey.client.country.header=CloudFront-Viewer-Country",
            "spring.autoconfigure.exclude="
                    + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
                    + "dev.apikey.spring.security.ApiKeySecurityAutoConfiguration,"
                    + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class ClientOriginWithoutSecurityTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(SeedControllers.class)
    static class App {
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    private int status(String from, String key, String... headers) throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(headers));
        lines.add("X-Api-Key: " + key);
        return FromHttp.get(from, port, "/api/v1/events", lines).status();
    }

    @Test
    void theFilterTrustsOnlyTheProxyForTheAddressAndTheCountry() throws IOException {
        String office = apiKeys.create(KeySpec.builder("office").scopes("events:read")
                .allowedAddresses("198.51.100.0/24").build()).plaintext();
        String eu = apiKeys.create(KeySpec.builder("eu").scopes("events:read").allowedCountries("DE").build())
                .plaintext();
        assertThat(status("127.0.0.2", office, "X-Forwarded-For: 198.51.100.7")).isEqualTo(200);
        assertThat(status("127.0.0.1", office, "X-Forwarded-For: 198.51.100.7")).isEqualTo(403);
        assertThat(status("127.0.0.2", eu, "CloudFront-Viewer-Country: DE")).isEqualTo(200);
        assertThat(status("127.0.0.2", eu, "CloudFront-Viewer-Country: US")).isEqualTo(403);
        assertThat(status("127.0.0.1", eu, "CloudFront-Viewer-Country: DE")).as("a stranger's: unknown, refused")
                .isEqualTo(403);
    }
}
