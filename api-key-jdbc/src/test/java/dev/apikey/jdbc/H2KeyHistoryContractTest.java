package dev.apikey.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.KeyHistoryContract;
import org.junit.jupiter.api.AfterEach;

/** The history contract on H2, a fresh in-memory database per case. */
class H2KeyHistoryContractTest extends KeyHistoryContract {

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
