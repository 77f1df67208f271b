package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

// README:jdbc:imports:start
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.jdbc.JdbcKeyStore;
import java.time.Duration;
// README:jdbc:imports:end
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import org.junit.jupiter.api.Test;

/**
 * The README's JDBC snippet, run as written against a real PostgreSQL; {@code ReadmeSnippetsTest} (in
 * api-key-cli) checks that the README still shows it.
 */
class ReadmeJdbcTest {

    private static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events").build();

    /** What the snippet builds, closed in the order the README says. */
    record Wired(HikariDataSource dataSource, ApiKeys apiKeys) implements AutoCloseable {
        @Override
        public void close() {
            apiKeys.close();
            dataSource.close();
        }
    }

    private static Wired readmeExample(String jdbcUrl, String user, String password, ScopeCatalog scopes) {
        // README:jdbc:start
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);              // jdbc:postgresql://db:5432/app, or jdbc:h2:./keys
        config.setUsername(user);
        config.setPassword(password);            // from your secret store, not from code
        config.setMaximumPoolSize(10);
        HikariDataSource dataSource = new HikariDataSource(config);   // close it after apiKeys

        JdbcKeyStore store = JdbcKeyStore.builder(dataSource)
                .tableName("api_keys")                          // default
                .queryTimeout(Duration.ofSeconds(2))            // default; a cache miss waits for it
                .build();
        store.createSchemaIfMissing();   // or run dev/apikey/jdbc/schema-postgresql.sql (or schema-h2.sql) yourself

        ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(scopes).build();
        // README:jdbc:end
        return new Wired(dataSource, apiKeys);
    }

    @Test
    void theSnippetStoresAndVerifiesKeysInPostgres() {
        String url = Databases.postgres().getJdbcUrl("postgres", "postgres");
        try (Wired wired = readmeExample(url, "postgres", "postgres", SCOPES)) {
            String key = wired.apiKeys().create(KeySpec.builder("readme").scopes("events:read").build()).plaintext();

            assertThat(wired.apiKeys().verify(key, "events:read").isGranted()).isTrue();
            assertThat(JdbcKeyStore.builder(wired.dataSource()).build().findById(
                    dev.apikey.model.KeyFormat.of("wlcro").parse(key).orElseThrow().keyId())).isPresent();
        }
    }

    @Test
    void theSnippetWorksOnH2Too() {
        try (Wired wired = readmeExample("jdbc:h2:mem:readme;DB_CLOSE_DELAY=-1", "", "", SCOPES)) {
            String key = wired.apiKeys().create(KeySpec.builder("readme").scopes("events:read").build()).plaintext();

            assertThat(wired.apiKeys().verify(key, "events:read").isGranted()).isTrue();
            assertThat(JdbcKeyStore.builder(wired.dataSource()).build().findPage(new dev.apikey.spi.KeyFilter(null, null,
                    null, null, null, null, false, null, null, java.time.Instant.now()), 10)).hasSize(1);
        }
    }
}
