package dev.apikey.geoip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.ScopeCatalog;
// README:client-origin:imports:start
import dev.apikey.servlet.ApiKeyFilter;
import dev.apikey.servlet.ClientAddress;
import dev.apikey.servlet.CountryResolver;
import java.util.List;
// README:client-origin:imports:end
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/CONFIGURATION.md's filter behind trusted proxies with a country source, compiled and built here. */
class ReadmeClientOriginTest {

    @Test
    void theSnippetBuildsAFilterThatTrustsTheProxiesForBothTheAddressAndTheCountry() {
        try (dev.apikey.ApiKeys apiKeys = dev.apikey.ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("events:read", "Read events").build()).build()) {
            // README:client-origin:start
            ClientAddress client = ClientAddress.behindProxies(List.of("127.0.0.1", "::1")); // a proxy on this host; or (..., Header.FORWARDED)
            ApiKeyFilter filter = ApiKeyFilter.builder(apiKeys).route("GET /api/v1/events -> events:read")
                    .clientAddress(client)
                    .countryResolver(CountryResolver.header("CF-IPCountry", client))         // believed from that proxy only
                    // or .countryResolver(MaxMindCountryResolver.open(Path.of("/var/lib/GeoIP/GeoLite2-Country.mmdb")))
                    .build();
            // README:client-origin:end
            assertThat(client.trustedProxies().contains("127.0.0.1")).isTrue();
            assertThat(client.trustedProxies().contains("192.0.2.7")).isFalse();
            assertThat(filter.toString()).contains("GET /api/v1/events");
            try (MaxMindCountryResolver database = MaxMindCountryResolver.open(MaxMindCountryResolverTest.DATABASE)) {
                assertThat(ApiKeyFilter.builder(apiKeys).route("GET /a -> events:read").countryResolver(database)
                        .build()).isNotNull();
            }
            assertThat(Path.of("/var/lib/GeoIP/GeoLite2-Country.mmdb")).as("the path the snippet names").isAbsolute();
        }
    }
}
