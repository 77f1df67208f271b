package dev.apikey.geoip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver over a real {@code .mmdb} made for the tests by {@code scripts/make-test-mmdb.pl}: 192.0.2.0/24 DE,
 * 198.51.100.0/24 US, 2001:db8::/32 FR, nothing else.
 */
class MaxMindCountryResolverTest {

    static final Path DATABASE = Path.of("src/test/resources/dev/apikey/geoip/test-country.mmdb");

    @TempDir
    Path dir;

    @Test
    void theTestAddressesMapToTheCountriesTheScriptWrote() {
        try (MaxMindCountryResolver resolver = MaxMindCountryResolver.open(DATABASE)) {
            assertThat(resolver.countryOf("192.0.2.7")).isEqualTo("DE");
            assertThat(resolver.countryOf("192.0.2.255")).isEqualTo("DE");
            assertThat(resolver.countryOf("198.51.100.1")).isEqualTo("US");
            assertThat(resolver.countryOf("2001:db8::1")).isEqualTo("FR");
            assertThat(resolver.country(null, "2001:db8:ffff::9")).isEqualTo("FR");
        }
    }

    @Test
    void anAddressTheDatabaseDoesNotHoldOrNoAddressIsUnknown() {
        try (MaxMindCountryResolver resolver = MaxMindCountryResolver.open(DATABASE)) {
            assertThat(resolver.countryOf("203.0.113.9")).isNull();
            assertThat(resolver.countryOf("127.0.0.1")).isNull();
            assertThat(resolver.countryOf("2001:db9::1")).isNull();
            assertThat(resolver.countryOf(null)).isNull();
            assertThat(resolver.countryOf("example.com")).as("never a DNS name").isNull();
            assertThat(resolver.countryOf("192.0.2.7:4711")).isNull();
        }
    }

    @Test
    void aMissingOrForeignFileIsRefusedNamingIt() throws IOException {
        Path missing = dir.resolve("missing.mmdb");
        assertThatIllegalArgumentException().isThrownBy(() -> MaxMindCountryResolver.open(missing))
                .withMessageContaining("countryDatabase").withMessageContaining("missing.mmdb");
        Path text = Files.writeString(dir.resolve("not.mmdb"), "not a database");
        assertThatIllegalArgumentException().isThrownBy(() -> MaxMindCountryResolver.open(text))
                .withMessageContaining("countryDatabase").withMessageContaining("not a MaxMind database");
    }
}
