package dev.apikey.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.spi.WebhookStore;
import dev.apikey.testkit.WebhookStoreContract;
import org.junit.jupiter.api.Nested;

/** The webhook store contract (issue 27 §3) on the in-memory store, H2 and PostgreSQL. */
class WebhookStoreTest {

    @Nested
    class InMemory extends WebhookStoreContract {
        @Override
        protected WebhookStore newWebhookStore() {
            return new InMemoryKeyStore();
        }
    }

    @Nested
    class H2 extends WebhookStoreContract {
        private HikariDataSource dataSource;

        @Override
        protected WebhookStore newWebhookStore() {
            dataSource = Databases.h2();
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
    class Postgres extends WebhookStoreContract {
        private HikariDataSource dataSource;

        @Override
        protected WebhookStore newWebhookStore() {
            dataSource = Databases.postgresPool(2);
            JdbcKeyStore jdbc = JdbcKeyStore.builder(dataSource).tableName(Databases.freshTable()).build();
            jdbc.createSchemaIfMissing();
            return jdbc;
        }

        @Override
        protected void closeStore() {
            dataSource.close();
        }
    }
}
