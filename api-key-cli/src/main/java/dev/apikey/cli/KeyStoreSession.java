package dev.apikey.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.jdbc.JdbcKeyStore;

/** A database, its key table (created if missing) and an {@link ApiKeys} over it, closed together. */
final class KeyStoreSession implements AutoCloseable {

    final HikariDataSource dataSource;
    final ApiKeys apiKeys;

    private KeyStoreSession(HikariDataSource dataSource, ApiKeys apiKeys) {
        this.dataSource = dataSource;
        this.apiKeys = apiKeys;
    }

    static KeyStoreSession open(String url, String user, String password, String prefix) {
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--db must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        config.setPoolName("apikey");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            JdbcKeyStore store = JdbcKeyStore.builder(dataSource).build();
            store.createSchemaIfMissing();
            ApiKeys apiKeys = ApiKeys.builder().prefix(prefix).store(store).scopes(SeedApi.SCOPES)
                    .hasher(Argon2idHasher.owaspMinimum()).build();
            return new KeyStoreSession(dataSource, apiKeys);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    @Override
    public void close() {
        apiKeys.close();
        dataSource.close();
    }
}
