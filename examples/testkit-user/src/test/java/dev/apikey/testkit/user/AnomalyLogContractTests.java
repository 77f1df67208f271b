package dev.apikey.testkit.user;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.jdbc.JdbcKeyStore;
import dev.apikey.spi.AnomalyLog;
import dev.apikey.testkit.AnomalyLogContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The anomaly log contract on the in-memory store, H2 and PostgreSQL. */
class AnomalyLogContractTests {

    @Nested
    class InMemory extends AnomalyLogContract {
        @Override
        protected AnomalyLog newAnomalyLog() {
            return new InMemoryKeyStore();
        }
    }

    @Nested
    class H2 extends AnomalyLogContract {
        private HikariDataSource dataSource;

        @Override
        protected AnomalyLog newAnomalyLog() {
            dataSource = StoreDatabases.h2();
            JdbcKeyStore jdbc = JdbcKeyStore.builder(dataSource).build();
            jdbc.createSchemaIfMissing();
            return jdbc;
        }

        @Override
        protected void closeLog() {
            dataSource.close();
        }
    }

    @Nested
    class Postgres extends AnomalyLogContract {
        @Override
        protected AnomalyLog newAnomalyLog() {
            JdbcKeyStore jdbc = JdbcKeyStore.builder(pool).tableName(StoreDatabases.freshTable()).build();
            jdbc.createSchemaIfMissing();
            return jdbc;
        }
    }

    private static HikariDataSource pool;

    @BeforeAll
    static void startPool() {
        pool = StoreDatabases.postgresPool(10);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }
}
