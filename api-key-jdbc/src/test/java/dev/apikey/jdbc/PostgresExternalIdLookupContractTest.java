package dev.apikey.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.ExternalIdLookupContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The external id look-up contract (imports) on a real PostgreSQL server, a fresh table per case. */
class PostgresExternalIdLookupContractTest extends ExternalIdLookupContract {

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
    protected KeyStore newStore() {
        JdbcKeyStore store = JdbcKeyStore.builder(dataSource).tableName(Databases.freshTable()).pushChanges(false)
                .build();
        store.createSchemaIfMissing();
        return store;
    }
}
