package dev.apikey.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.spi.KeyStore;
import org.junit.jupiter.api.AfterEach;

/** The contract on H2, a fresh in-memory database per test. */
class H2StoreContractTest extends KeyStoreContract {

    private HikariDataSource dataSource;

    @Override
    KeyStore newStore() {
        dataSource = Databases.h2();
        JdbcKeyStore jdbc = JdbcKeyStore.builder(dataSource).build();
        jdbc.createSchemaIfMissing();
        return jdbc;
    }

    @AfterEach
    void closePool() {
        dataSource.close();
    }
}
