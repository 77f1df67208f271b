package dev.apikey.servlet;

import static dev.apikey.servlet.FilterContract.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.AnomalyPolicy;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsageSubject;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageCountry;
import dev.apikey.testkit.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who is asking, over real HTTP, the same cases in every container: the client's address behind trusted proxies
 * ({@link ClientAddress}) for the address allow lists, and the country from a trusted proxy's header
 * ({@link CountryResolver#header}) for country lists. The trusted proxy is 127.0.0.2; other peers connect from
 * 127.0.0.1, and what they forge in a header must change nothing.
 */
abstract class ClientOriginContract {

    private static final String PROXY = "127.0.0.2";
    private static final String STRANGER = "127.0.0.1";

    /** The container, started and stopped as its filter suite does. */
    abstract FilterContract container();

    private FilterContract container;
    private ApiKeys apiKeys;
    private int port;

    private final InMemoryKeyStore store = new InMemoryKeyStore();

    private void start(boolean allowUnknownCountry) {
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(FilterContract.SCOPES)
                .hasher(Sha256Hasher.create()).allowUnknownCountry(allowUnknownCountry).build();
    }

    private void serve(ApiKeyFilter.Builder filter) throws Exception {
        SeedApi.ROUTES.forEach(filter::route);
        container = container();
        port = container.start(filter.build());
    }

    @AfterEach
    void stopServer() throws Exception {
        if (container != null) {
            container.stop();
        }
        if (apiKeys != null) {
            apiKeys.close();
        }
    }

    private String key(KeySpec.Builder spec) {
        return apiKeys.create(spec.scopes("events:read").build()).plaintext();
    }

    private RawHttp.Response get(String from, String key, String... headers) throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(headers));
        lines.add("X-Api-Key: " + key);
        return RawHttp.sendFrom(from, port, "GET", "/api/v1/events", lines);
    }

    @Test
    void withoutTrustedProxiesTheConnectionIsTheClientWhateverItForwards() throws Exception {
        start(false);
        serve(ApiKeyFilter.builder(apiKeys));
        String office = key(KeySpec.builder("office").allowedAddresses("198.51.100.0/24"));
        assertProblem(get(PROXY, office, "X-Forwarded-For: 198.51.100.7"), Failure.IP_NOT_ALLOWED);
        assertProblem(get(PROXY, office, "Forwarded: for=198.51.100.7"), Failure.IP_NOT_ALLOWED);
        String local = key(KeySpec.builder("local").allowedAddresses("127.0.0.2"));
        assertThat(get(PROXY, local, "X-Forwarded-For: 198.51.100.7").status()).isEqualTo(200);
    }

    @Test
    void aTrustedProxysForwardedAddressIsTheClientAndAStrangersIsIgnored() throws Exception {
        start(false);
        serve(ApiKeyFilter.builder(apiKeys).clientAddress(ClientAddress.behindProxies(List.of(PROXY))));
        String office = key(KeySpec.builder("office").allowedAddresses("198.51.100.0/24"));

        assertThat(get(PROXY, office, "X-Forwarded-For: 198.51.100.7").status()).as("through the proxy")
                .isEqualTo(200);
        assertProblem(get(STRANGER, office, "X-Forwarded-For: 198.51.100.7"), Failure.IP_NOT_ALLOWED);
        // The client wrote the left entry; the proxy appended the address it saw, which decides.
        assertProblem(get(PROXY, office, "X-Forwarded-For: 198.51.100.7, 203.0.113.9"), Failure.IP_NOT_ALLOWED);
        assertThat(get(PROXY, office, "X-Forwarded-For: 203.0.113.9, 198.51.100.7").status()).isEqualTo(200);
        assertThat(get(PROXY, office, "X-Forwarded-For: 203.0.113.9", "X-Forwarded-For: 198.51.100.7").status())
                .as("two header lines read as one list").isEqualTo(200);
        assertProblem(get(PROXY, office, "X-Forwarded-For: unknown"), Failure.IP_NOT_ALLOWED);
        assertProblem(get(PROXY, office, "Forwarded: for=198.51.100.7"), Failure.IP_NOT_ALLOWED);
        assertProblem(get(PROXY, office), Failure.IP_NOT_ALLOWED);
    }

    @Test
    void aProxyThatWritesForwardedIsReadInItsOwnHeaderOnly() throws Exception {
        start(false);
        serve(ApiKeyFilter.builder(apiKeys).clientAddress(ClientAddress.behindProxies(List.of("127.0.0.0/30"),
                ClientAddress.Header.FORWARDED)));
        String office = key(KeySpec.builder("office").allowedAddresses("2001:db8::/32"));
        assertThat(get(PROXY, office, "Forwarded: for=\"[2001:db8::7]:4711\";proto=https").status()).isEqualTo(200);
        assertThat(get(PROXY, office, "Forwarded: for=\"[2001:db8::7]\", for=127.0.0.1").status())
                .as("a hop through another trusted proxy is stepped over").isEqualTo(200);
        assertProblem(get(PROXY, office, "X-Forwarded-For: 2001:db8::7"), Failure.IP_NOT_ALLOWED);
        assertProblem(get(PROXY, office, "Forwarded: for=_hidden"), Failure.IP_NOT_ALLOWED);
    }

    @Test
    void aTrustedProxysCountryHeaderIsHonouredAndAStrangersIgnored() throws Exception {
        start(false);
        ClientAddress proxies = ClientAddress.behindProxies(List.of(PROXY));
        serve(ApiKeyFilter.builder(apiKeys).clientAddress(proxies)
                .countryResolver(CountryResolver.header("CF-IPCountry", proxies)));
        String eu = key(KeySpec.builder("eu").allowedCountries("DE", "FR"));
        String anywhere = key(KeySpec.builder("anywhere"));

        assertThat(get(PROXY, eu, "CF-IPCountry: DE").status()).isEqualTo(200);
        assertThat(get(PROXY, eu, "CF-IPCountry: fr").status()).isEqualTo(200);
        RawHttp.Response elsewhere = get(PROXY, eu, "CF-IPCountry: US");
        assertProblem(elsewhere, Failure.COUNTRY_NOT_ALLOWED);
        assertThat(elsewhere.body()).doesNotContain("US");
        assertProblem(get(STRANGER, eu, "CF-IPCountry: DE"), Failure.COUNTRY_NOT_ALLOWED);
        assertProblem(get(PROXY, eu, "CF-IPCountry: XX"), Failure.COUNTRY_NOT_ALLOWED);
        assertProblem(get(PROXY, eu), Failure.COUNTRY_NOT_ALLOWED);
        assertThat(get(STRANGER, anywhere, "CF-IPCountry: US").status()).as("a key without countries")
                .isEqualTo(200);
    }

    @Test
    void withAnomalyDetectionATrustedProxysCountryReachesTheStoredCountsAndAStrangersDoesNot() throws Exception {
        // The detection's own runs are an hour apart: this test only flushes the counts.
        apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(FilterContract.SCOPES)
                .hasher(Sha256Hasher.create())
                .anomalyDetection(AnomalyPolicy.defaults().withInterval(Duration.ofHours(1))).build();
        ClientAddress proxies = ClientAddress.behindProxies(List.of(PROXY));
        serve(ApiKeyFilter.builder(apiKeys).clientAddress(proxies)
                .countryResolver(CountryResolver.header("CF-IPCountry", proxies)));
        String anywhere = key(KeySpec.builder("anywhere"));
        Instant before = Instant.now().minus(Duration.ofHours(1));

        assertThat(get(PROXY, anywhere, "X-Forwarded-For: 198.51.100.7", "CF-IPCountry: de").status())
                .isEqualTo(200);
        assertThat(get(STRANGER, anywhere, "CF-IPCountry: IT").status()).as("a stranger's header: unknown")
                .isEqualTo(200);
        apiKeys.usage().flush();

        String keyId = apiKeys.list(dev.apikey.KeyQuery.all()).get(0).keyId();
        assertThat(store.readCountries(keyId, before, Instant.now().plus(Duration.ofHours(1))))
                .extracting(UsageCountry::country).containsExactly("DE");
        assertThat(store.readUsage(UsageSubject.key(keyId), UsageGrain.HOUR, before,
                Instant.now().plus(Duration.ofHours(1))).stream().mapToLong(UsageCount::count).sum()).isEqualTo(2);
    }

    @Test
    void anUnknownCountryPassesWhenTheHostAllowsIt() throws Exception {
        start(true);
        ClientAddress proxies = ClientAddress.behindProxies(List.of(PROXY));
        serve(ApiKeyFilter.builder(apiKeys).clientAddress(proxies)
                .countryResolver(CountryResolver.header("CloudFront-Viewer-Country", proxies)));
        String eu = key(KeySpec.builder("eu").allowedCountries("DE"));
        assertThat(get(STRANGER, eu, "CloudFront-Viewer-Country: US").status()).as("a stranger's header: unknown")
                .isEqualTo(200);
        assertProblem(get(PROXY, eu, "CloudFront-Viewer-Country: US"), Failure.COUNTRY_NOT_ALLOWED);
    }
}
