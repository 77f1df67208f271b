package dev.apikey.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.KeyDigestLookupContract;
import org.junit.jupiter.api.AfterEach;

/** The legacy digest look-up contract on H2, a fresh in-memory database per case. */
class H2KeyDigestLookupContractTest extends KeyDigestLookupContract {

    private HikariDataSource dataSource;

    @Override
    protected KeyStore newStore() {
        dataSource = Databases.h2();
        JdbcKeyStore store = JdbcKeyStore.builder(dataSource).build();
        store.createSchemaIfMissing();
        return store;
    }

    @AfterEach
    void closePool() {
        dataSource.close();
    }
}
