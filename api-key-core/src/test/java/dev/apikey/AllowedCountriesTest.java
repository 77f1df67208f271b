package dev.apikey;

import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.Tenant;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Keys and tenants restricted to countries: {@link Check#COUNTRY}, {@code country_not_allowed}. */
class AllowedCountriesTest {

    private ApiKeys apiKeys;
    private IssuedKey restricted;
    private IssuedKey anywhere;

    @BeforeEach
    void setUp() {
        apiKeys = build(false);
        restricted = apiKeys.create(KeySpec.builder("eu-only").tenantId("92").scopes("events:read")
                .allowedCountries("de", "FR").build());
        anywhere = apiKeys.create(KeySpec.builder("anywhere").tenantId("92").scopes("events:read").build());
    }

    private static ApiKeys build(boolean allowUnknown) {
        return ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .allowUnknownCountry(allowUnknown).build();
    }

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    private Verification from(ApiKeys keys, IssuedKey key, Supplier<String> country) {
        VerifyRequest request = VerifyRequest.header(key.plaintext()).scope("events:read");
        return keys.verify(country == null ? request : request.country(country));
    }

    @Test
    void codesAreCheckedAndUpperCased() {
        assertThat(restricted.info().attributes().allowedCountries()).containsExactly("DE", "FR");
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("k").allowedCountries("Germany"))
                .withMessageContaining("allowedCountries").withMessageContaining("ISO 3166-1 alpha-2");
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("k").allowedCountries("XX"))
                .withMessageContaining("allowedCountries: 'XX'");
        assertThatIllegalArgumentException().isThrownBy(() -> KeySpec.builder("k").allowedCountries("d\u0000"))
                .withMessageContaining("a value is not");
    }

    @Test
    void aCallerFromAListedCountryIsGrantedInAnyCase() {
        assertThat(from(apiKeys, restricted, () -> "DE").isGranted()).isTrue();
        assertThat(from(apiKeys, restricted, () -> "fr").isGranted()).isTrue();
    }

    @Test
    void aCallerFromAnotherCountryIsRefusedAtTheCountryCheck() {
        Verification v = from(apiKeys, restricted, () -> "US");
        assertThat(v.failure()).contains(Failure.COUNTRY_NOT_ALLOWED);
        assertThat(v.failedCheck()).contains(Check.COUNTRY);
        assertThat(Failure.COUNTRY_NOT_ALLOWED.httpStatus()).isEqualTo(403);
        assertThat(Failure.COUNTRY_NOT_ALLOWED.resolution()).contains("country");
    }

    @Test
    void anUnknownCountryIsRefusedByDefault() {
        for (Supplier<String> unknown : List.<Supplier<String>>of(() -> null, () -> "XX", () -> "T1", () -> "",
                () -> "Deutschland", () -> {
                    throw new IllegalStateException("database gone");
                })) {
            assertThat(from(apiKeys, restricted, unknown).failure()).contains(Failure.COUNTRY_NOT_ALLOWED);
        }
        assertThat(from(apiKeys, restricted, null).failure()).as("no resolver at all")
                .contains(Failure.COUNTRY_NOT_ALLOWED);
        assertThat(apiKeys.verify(restricted.plaintext(), "events:read").failure()).as("the two-argument verify")
                .contains(Failure.COUNTRY_NOT_ALLOWED);
    }

    @Test
    void anUnknownCountryPassesWhenTheHostAllowsIt() {
        try (ApiKeys lenient = build(true)) {
            IssuedKey key = lenient.create(KeySpec.builder("eu").scopes("events:read").allowedCountries("DE").build());
            assertThat(from(lenient, key, () -> "XX").isGranted()).isTrue();
            assertThat(from(lenient, key, null).isGranted()).isTrue();
            assertThat(from(lenient, key, () -> "US").failure()).as("a known other country still is not")
                    .contains(Failure.COUNTRY_NOT_ALLOWED);
        }
    }

    @Test
    void aKeyWithoutACountryListNeverAsksForTheCountry() {
        AtomicInteger asked = new AtomicInteger();
        assertThat(from(apiKeys, anywhere, () -> {
            asked.incrementAndGet();
            return "US";
        }).isGranted()).isTrue();
        assertThat(asked).hasValue(0);
        from(apiKeys, restricted, () -> {
            asked.incrementAndGet();
            return "DE";
        });
        assertThat(asked).as("asked once for a restricted key").hasValue(1);
    }

    @Test
    void theCountryIsCheckedOnlyAfterTheSecret() {
        Verification v = apiKeys.verify(VerifyRequest.header(TestKeys.withSecret(restricted.plaintext(),
                "w".repeat(32))).country(() -> "US"));
        assertThat(v.failure()).contains(Failure.INVALID_API_KEY);
    }

    @Test
    void anUpdateSetsAndClearsTheList() {
        apiKeys.update(anywhere.info().keyId(), KeyUpdate.builder().allowedCountries("ch").build());
        assertThat(from(apiKeys, anywhere, () -> "DE").failure()).contains(Failure.COUNTRY_NOT_ALLOWED);
        assertThat(from(apiKeys, anywhere, () -> "CH").isGranted()).isTrue();
        apiKeys.update(anywhere.info().keyId(), KeyUpdate.builder().allowedCountries(List.of()).build());
        assertThat(from(apiKeys, anywhere, () -> "DE").isGranted()).isTrue();
        assertThat(KeyUpdate.builder().allowedCountries("CH").build().toString()).contains("allowedCountries");
    }

    @Test
    void aTenantsListRestrictsEveryKeyOfItAndMeetsAKeysOwn() {
        Tenant tenant = apiKeys.setTenantCountries("92", List.of("de", "at"));
        assertThat(tenant.allowedCountries()).containsExactly("AT", "DE");
        assertThat(apiKeys.tenant("92")).contains(tenant);
        assertThat(from(apiKeys, anywhere, () -> "AT").isGranted()).isTrue();
        assertThat(from(apiKeys, anywhere, () -> "US").failure()).contains(Failure.COUNTRY_NOT_ALLOWED);
        assertThat(from(apiKeys, restricted, () -> "DE").isGranted()).as("on both lists").isTrue();
        assertThat(from(apiKeys, restricted, () -> "FR").failure()).as("on the key's list only")
                .contains(Failure.COUNTRY_NOT_ALLOWED);
        assertThat(from(apiKeys, restricted, () -> "AT").failure()).as("on the tenant's list only")
                .contains(Failure.COUNTRY_NOT_ALLOWED);
        apiKeys.setTenantCountries("92", List.of());
        assertThat(from(apiKeys, anywhere, () -> "US").isGranted()).isTrue();
    }

    @Test
    void aBadTenantListChangesNothing() {
        assertThatIllegalArgumentException().isThrownBy(() -> apiKeys.setTenantCountries("92", List.of("DE", "EU")))
                .withMessageContaining("allowedCountries: 'EU'");
        assertThat(apiKeys.tenant("92")).isEmpty();
    }
}
