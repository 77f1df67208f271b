package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Anomaly;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageCountry;
import dev.apikey.spi.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The new-country anomaly (issue 27 §3), with a fixed clock: a country is learnt off the hit (only when a proven
 * outcome's network is new to the key within a flush interval), kept by the hour with the usage counts, and a country
 * of the window that the key's baseline never saw opens one anomaly per window, key and country.
 */
class NewCountryDetectionTest {

    private static final Instant CREATED = Instant.parse("2026-12-02T00:10:00Z");
    private static final Instant HOUR = Instant.parse("2026-12-03T02:00:00Z");
    private static final AnomalyPolicy POLICY = AnomalyPolicy.defaults().withInterval(Duration.ofHours(1))
            .withBaseline(Duration.ofDays(7), Duration.ofHours(12));
    private static final String HOME = "10.0.1.7";

    private final MutableClock clock = new MutableClock(CREATED);
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final List<ApiKeys> built = new ArrayList<>();
    /** How often the country source was asked. */
    private final AtomicInteger asked = new AtomicInteger();
    private ApiKeys apiKeys;

    private ApiKeys build(AnomalyPolicy policy, UsageStore usage) {
        ApiKeysBuilder b = ApiKeys.builder().store(store).prefix("wlcro").scopes(TestKeys.SCOPES).clock(clock)
                .usageFlushInterval(Duration.ofMinutes(1));
        if (usage != null) {
            b.usageStore(usage);
        }
        ApiKeys k = (policy == null ? b : b.anomalyDetection(policy)).build();
        built.add(k);
        return k;
    }

    @AfterEach
    void close() {
        built.forEach(ApiKeys::close);
    }

    private String create() {
        clock.set(CREATED);
        return apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
    }

    private static String idOf(String plaintext) {
        int token = plaintext.length() - KeyFormat.TOKEN_LENGTH;
        return plaintext.substring(token, token + KeyFormat.KEY_ID_LENGTH);
    }

    /** {@return a country source answering {@code code}, counting each ask} */
    private Supplier<String> from(String code) {
        return () -> {
            asked.incrementAndGet();
            return code;
        };
    }

    private void verify(String key, String scope, String address, Supplier<String> country, int times) {
        for (int i = 0; i < times; i++) {
            VerifyRequest request = VerifyRequest.header(key).scope(scope).remoteAddress(address);
            apiKeys.verify(country == null ? request : request.country(country));
        }
    }

    /** Each hour from the key's first whole hour to the test's hour: grants and a scope refusal from DE. */
    private void steadyHistory(String key, Supplier<String> country) {
        for (Instant h = Instant.parse("2026-12-02T01:20:00Z"); h.isBefore(HOUR); h = h.plus(Duration.ofHours(1))) {
            clock.set(h);
            verify(key, "events:read", HOME, country, 10);
            verify(key, "events:write", HOME, country, 1);
            apiKeys.usage().flush();
        }
        clock.set(HOUR.plusSeconds(20 * 60));
    }

    private List<Anomaly> detect() {
        apiKeys.usage().flush();
        return apiKeys.anomalies().detectNow();
    }

    private List<String> storedCountries(String key) {
        return store.readCountries(idOf(key), CREATED.minusSeconds(3_600), HOUR.plusSeconds(7_200)).stream()
                .map(UsageCountry::country).distinct().toList();
    }

    @Test
    void aCountryNotInTheBaselineFiresOncePerWindowAndCountryAndSteadyDeDoesNot() {
        apiKeys = build(POLICY, null);
        String a = create();
        steadyHistory(a, from("DE"));
        verify(a, "events:read", HOME, from("de"), 10);
        assertThat(detect()).as("steady DE").isEmpty();

        // The same office network, now answered as FR (a new flush interval: its network bit is new again).
        verify(a, "events:read", HOME, from("FR"), 2);
        List<Anomaly> opened = detect();

        assertThat(opened).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Anomaly.Kind.NEW_COUNTRY);
            assertThat(x.subject()).isEqualTo(UsageSubject.key(idOf(a)));
            assertThat(x.tenantId()).isEqualTo("92");
            assertThat(x.detail()).isEqualTo("FR");
            assertThat(x.id()).isEqualTo("new_country.key." + idOf(a) + "." + HOUR.getEpochSecond() + ".FR");
            assertThat(x.observed()).as("hours FR was seen in").isEqualTo(1);
            assertThat(x.baseline()).as("countries the baseline knows").isEqualTo(1);
            assertThat(x.windowStart()).isEqualTo(HOUR);
            assertThat(x.windowEnd()).isEqualTo(HOUR.plusSeconds(3_600));
        });
        verify(a, "events:read", HOME, from("FR"), 1);
        assertThat(detect()).as("once per window and country").isEmpty();

        verify(a, "events:read", HOME, from("IT"), 1);
        assertThat(detect()).extracting(Anomaly::detail).as("another country, its own anomaly").containsExactly("IT");
        assertThat(apiKeys.anomalies().open("92")).extracting(Anomaly::detail).containsExactlyInAnyOrder("FR", "IT");
    }

    @Test
    void theSourceIsAskedOnlyWhenAProvenOutcomesNetworkIsNewInTheInterval() {
        apiKeys = build(POLICY, null);
        String a = create();
        clock.set(HOUR);
        verify(a, "events:read", HOME, from("DE"), 50);
        assertThat(asked).as("one network, one interval: asked once").hasValue(1);
        verify(a, "events:read", "10.0.1.99", from("DE"), 5);
        assertThat(asked).as("the same /24").hasValue(1);
        verify(a, "events:write", "198.51.100.9", from("DE"), 3);
        assertThat(asked).as("a scope refusal is proven: its new network asks once").hasValue(2);
        apiKeys.usage().flush();
        verify(a, "events:read", HOME, from("DE"), 5);
        assertThat(asked).as("a new interval: the network is new again").hasValue(3);
        apiKeys.usage().flush();

        assertThat(storedCountries(a)).containsExactly("DE");
        assertThat(store.readCountries(idOf(a), HOUR, HOUR.plusSeconds(3_600)))
                .allSatisfy(c -> assertThat(c.hour()).isEqualTo(HOUR)).hasSize(1);
    }

    @Test
    void refusalsAnybodyCanCauseNamingTheKeyNeverAskNorRecordACountry() {
        apiKeys = build(POLICY, null);
        String a = create();
        steadyHistory(a, from("DE"));
        asked.set(0);
        String wrongSecret = TestKeys.withSecret(a, "w".repeat(KeyFormat.SECRET_LENGTH));
        verify(wrongSecret, "events:read", HOME, from("FR"), 3);
        verify(wrongSecret, "events:read", "203.0.113.5", from("FR"), 3);

        assertThat(detect()).isEmpty();
        assertThat(asked).hasValue(0);
        assertThat(storedCountries(a)).containsExactly("DE");
        assertThat(store.readUsage(UsageSubject.key(idOf(a)), UsageGrain.HOUR, HOUR, HOUR.plusSeconds(3_600)))
                .as("the refusals were counted toward the key").extracting(UsageCount::outcome)
                .contains("invalid_api_key");
    }

    @Test
    void aHostWithoutACountrySourceStoresNoCountryAndFiresNothing() {
        apiKeys = build(POLICY, null);
        String a = create();
        steadyHistory(a, null);
        verify(a, "events:read", "198.51.100.9", null, 3);

        assertThat(detect()).extracting(Anomaly::kind).doesNotContain(Anomaly.Kind.NEW_COUNTRY);
        assertThat(storedCountries(a)).isEmpty();
    }

    @Test
    void withoutAnomalyDetectionTheSourceIsAskedOnlyForKeysWithACountryList() {
        apiKeys = build(null, null);
        String a = create();
        clock.set(HOUR);
        verify(a, "events:read", HOME, from("DE"), 5);
        apiKeys.usage().flush();

        assertThat(asked).hasValue(0);
        assertThat(storedCountries(a)).isEmpty();
    }

    @Test
    void aUsageStoreThatKeepsNoCountriesIsNeverHandedAnyAndTheSourceNotAsked() {
        InMemoryUsageStore counts = new InMemoryUsageStore();
        UsageStore withoutCountries = new UsageStore() {
            @Override
            public void addUsage(List<UsageCount> c) {
                counts.addUsage(c);
            }

            @Override
            public List<UsageCount> readUsage(UsageSubject s, UsageGrain g, Instant from, Instant to) {
                return counts.readUsage(s, g, from, to);
            }

            @Override
            public List<UsageTotal> topUsage(String t, UsageGrain g, Instant from, Instant to, UsageTotal.Rank r,
                    int limit) {
                return counts.topUsage(t, g, from, to, r, limit);
            }

            @Override
            public long purgeUsage(UsageGrain g, Instant before) {
                return counts.purgeUsage(g, before);
            }
        };
        apiKeys = build(POLICY, withoutCountries);
        String a = create();
        steadyHistory(a, from("DE"));
        verify(a, "events:read", HOME, from("FR"), 3);

        assertThat(detect()).extracting(Anomaly::kind).doesNotContain(Anomaly.Kind.NEW_COUNTRY);
        assertThat(asked).hasValue(0);
        assertThat(counts.readCountries(idOf(a), CREATED, HOUR.plusSeconds(3_600))).isEmpty();
    }

    @Test
    void moreThanEightCountriesInOneIntervalKeepTheFirstEight() {
        apiKeys = build(POLICY, null);
        String a = create();
        clock.set(HOUR);
        List<String> codes = List.of("DE", "FR", "IT", "ES", "NL", "BE", "AT", "PL", "CZ", "DK");
        for (int i = 0; i < codes.size(); i++) {
            // Ten /24s whose network bits differ, each from its own country.
            verify(a, "events:read", distinctNetwork(i), from(codes.get(i)), 1);
        }
        apiKeys.usage().flush();

        assertThat(storedCountries(a)).containsExactlyInAnyOrderElementsOf(codes.subList(0, UsageCells.MAX_COUNTRIES));
    }

    @Test
    void aNewCountryAnomalyNamesItsCountryInItsDetailAndId() {
        UsageSubject key = UsageSubject.key("AbCd1234");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Anomaly.open(Anomaly.Kind.NEW_COUNTRY, key, null,
                HOUR, HOUR.plusSeconds(3_600), 1, 1, null, HOUR)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("detail");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Anomaly.open(Anomaly.Kind.NEW_COUNTRY, key, null,
                HOUR, HOUR.plusSeconds(3_600), 1, 1, "fr", HOUR)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("detail");
        Anomaly fr = Anomaly.open(Anomaly.Kind.NEW_COUNTRY, key, null, HOUR, HOUR.plusSeconds(3_600), 1, 1, "FR", HOUR);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Anomaly(Anomaly.idOf(Anomaly.Kind.NEW_COUNTRY,
                key, HOUR), fr.kind(), key, null, HOUR, fr.windowEnd(), 1, 1, "FR", HOUR, null))
                .as("an id without its country").hasMessageContaining("id must be " + fr.id());
        assertThat(Anomaly.Kind.parse("new_country")).isEqualTo(Anomaly.Kind.NEW_COUNTRY);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Anomaly.Kind.parse("country"))
                .hasMessageContaining("new_country");
    }

    /** The {@code i}th of addresses whose network bits all differ. */
    private static String distinctNetwork(int i) {
        List<Long> bits = new ArrayList<>();
        for (int n = 0; ; n++) {
            String address = "198.51." + n + ".9";
            long bit = dev.apikey.internal.NetworkBits.bit(address);
            if (!bits.contains(bit)) {
                bits.add(bit);
                if (bits.size() == i + 1) {
                    return address;
                }
            }
        }
    }
}
