package dev.apikey.testkit.user;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.InMemoryUsageStore;
import dev.apikey.jdbc.JdbcKeyStore;
import dev.apikey.spi.UsageStore;
import dev.apikey.testkit.UsageStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The usage store contract on the in-memory stores, H2 and PostgreSQL. */
class UsageStoreContractTests {

    @Nested
    class InMemory extends UsageStoreContract {
        @Override
        protected UsageStore newUsageStore() {
            return new InMemoryUsageStore();
        }
    }

    @Nested
    class OfTheInMemoryKeyStore extends UsageStoreContract {
        @Override
        protected UsageStore newUsageStore() {
            return new InMemoryKeyStore();
        }
    }

    @Nested
    class H2 extends UsageStoreContract {
        private HikariDataSource dataSource;

        @Override
        protected UsageStore newUsageStore() {
            dataSource = StoreDatabases.h2();
            JdbcKeyStore jdbc = JdbcKeyStore.builder(dataSource).build();
            jdbc.createSchemaIfMissing();
            return jdbc;
        }

        @Override
        protected void closeStore() {
            dataSource.close();
        }
    }

    @Nested
    class Postgres extends UsageStoreContract {
        @Override
        protected UsageStore newUsageStore() {
            JdbcKeyStore jdbc = JdbcKeyStore.builder(pool).tableName(StoreDatabases.freshTable()).build();
            jdbc.createSchemaIfMissing();
            return jdbc;
        }
    }

    private static HikariDataSource pool;

    @BeforeAll
    static void startPool() {
        pool = StoreDatabases.postgresPool(6);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }
}
