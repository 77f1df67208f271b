package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.cli.ApiKeyCliTest.Run;
import dev.apikey.model.Failure;
import dev.apikey.model.VerifyRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Countries on the command line: a key's ({@code create --country}, {@code edit --country|--any-country}), a
 * tenant's ({@code apikey tenant countries}), and {@code apikey diagnose --country}, on an H2 file.
 */
class CountryCliTest {

    @TempDir
    Path dir;

    private Run run(String... args) {
        return ApiKeyCliTest.run(dir, args);
    }

    private KeyStoreSession session() {
        return KeyStoreSession.open("jdbc:h2:" + dir.resolve("keys").toAbsolutePath(), "", null, "wlcro", false);
    }

    @Test
    void aKeysCountriesAreSetUpperCasedEditedAndCleared() {
        Run created = run("create", "--name", "eu", "--scope", "events:read", "--country", "de", "--country", "FR");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).containsPattern("allowed_countries +\\[DE, FR\\]\\R");
        String key = ApiKeyCliTest.keyIn(created.out());
        String id = ApiKeyCliTest.keyIdOf(key);
        try (KeyStoreSession session = session()) {
            assertThat(session.apiKeys.verify(VerifyRequest.header(key).country(() -> "US")).failure())
                    .contains(Failure.COUNTRY_NOT_ALLOWED);
            assertThat(session.apiKeys.verify(VerifyRequest.header(key).country(() -> "FR")).isGranted()).isTrue();
        }
        assertThat(run("edit", id, "--country", "ch", "--json").out().replaceAll("\\s+", ""))
                .contains("\"allowed_countries\":[\"CH\"]");
        assertThat(run("edit", id, "--any-country", "--json").out().replaceAll("\\s+", ""))
                .contains("\"allowed_countries\":[]");
    }

    @Test
    void aBadCodeNamesItsOptionAndChangesNothing() {
        assertThat(run("create", "--tenant", "92", "--name", "first", "--scope", "events:read").code()).isZero();
        Run bad = run("create", "--name", "eu", "--scope", "events:read", "--country", "Germany");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--country").contains("ISO 3166-1 alpha-2");
        assertThat(run("list", "--json").out()).doesNotContain("\"eu\"");
        Run tenant = run("tenant", "countries", "92", "--country", "EU");
        assertThat(tenant.code()).isEqualTo(2);
        assertThat(tenant.err()).contains("--country: 'EU'");
        assertThat(run("tenant", "show", "92").out()).containsPattern("version +0 \\(no record\\)");
    }

    @Test
    void aTenantsCountriesAreSetShownAndCleared() {
        String key = ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "k", "--scope", "events:read")
                .out());
        Run set = run("tenant", "countries", "92", "--country", "at", "--country", "DE");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).startsWith("set the countries of tenant 92").containsPattern("countries +AT, DE\\R")
                .containsPattern("version +1\\R");
        try (KeyStoreSession session = session()) {
            assertThat(session.apiKeys.verify(VerifyRequest.header(key).country(() -> "US")).failure())
                    .contains(Failure.COUNTRY_NOT_ALLOWED);
        }
        assertThat(run("tenant", "show", "92", "--json").out().replaceAll("\\s+", ""))
                .contains("\"allowed_countries\":[\"AT\",\"DE\"]");
        assertThat(run("tenant", "countries", "92", "--any").code()).isZero();
        assertThat(run("tenant", "show", "92").out()).containsPattern("countries +any\\R");
    }

    @Test
    void diagnoseShowsTheCountryStepInItsPlace() {
        String key = ApiKeyCliTest.keyIn(run("create", "--name", "eu", "--scope", "events:read", "--country", "DE")
                .out());
        Run refused = run("diagnose", key, "--country", "us");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("country_not_allowed").containsPattern("(?m)^.*country allowed.*allows DE; "
                + "caller US.*$");
        assertThat(refused.out().indexOf("address allowed")).isLessThan(refused.out().indexOf("country allowed"));
        assertThat(refused.out().indexOf("country allowed")).isLessThan(refused.out().indexOf("host policy"));
        Run granted = run("diagnose", key, "--country", "DE");
        assertThat(granted.code()).as(granted.out()).isZero();
    }
}
