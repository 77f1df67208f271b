package dev.apikey.testkit.user;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.jdbc.JdbcKeyStore;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.KeyStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The store contract on H2, a fresh in-memory database per case. */
class H2StoreContractTest extends KeyStoreContract {

    private HikariDataSource dataSource;

    @Override
    protected KeyStore newStore() {
        dataSource = StoreDatabases.h2();
        JdbcKeyStore jdbc = JdbcKeyStore.builder(dataSource).build();
        jdbc.createSchemaIfMissing();
        return jdbc;
    }

    @AfterEach
    void closePool() {
        dataSource.close();
    }
}
