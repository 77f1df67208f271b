package dev.apikey.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.spi.KeyStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a real PostgreSQL server, a fresh table per test. */
class PostgresStoreContractTest extends KeyStoreContract {

    private static HikariDataSource dataSource;

    @BeforeAll
    static void startPool() {
        dataSource = Databases.postgresPool(4);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Override
    KeyStore newStore() {
        JdbcKeyStore jdbc = JdbcKeyStore.builder(dataSource).tableName(Databases.freshTable()).build();
        jdbc.createSchemaIfMissing();
        return jdbc;
    }
}
