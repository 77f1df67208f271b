package dev.apikey.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.ExternalIdLookupContract;
import org.junit.jupiter.api.AfterEach;

/** The external id look-up contract (imports) on H2, a fresh in-memory database per case. */
class H2ExternalIdLookupContractTest extends ExternalIdLookupContract {

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
