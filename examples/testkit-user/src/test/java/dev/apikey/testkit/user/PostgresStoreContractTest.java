package dev.apikey.testkit.user;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.jdbc.JdbcKeyStore;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.KeyStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real PostgreSQL server, a fresh table per case. */
class PostgresStoreContractTest extends KeyStoreContract {

    private static HikariDataSource dataSource;

    @BeforeAll
    static void startPool() {
        dataSource = StoreDatabases.postgresPool(10);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Override
    protected KeyStore newStore() {
        JdbcKeyStore jdbc = JdbcKeyStore.builder(dataSource).tableName(StoreDatabases.freshTable()).build();
        jdbc.createSchemaIfMissing();
        return jdbc;
    }
}
