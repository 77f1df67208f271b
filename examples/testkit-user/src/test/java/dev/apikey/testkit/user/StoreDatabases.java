package dev.apikey.testkit.user;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Real databases for the store contract: H2 in memory, and a real PostgreSQL server from Maven Central's binary. */
final class StoreDatabases {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private StoreDatabases() {
    }

    /** A fresh H2 in-memory database behind a small pool. */
    static HikariDataSource h2() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:contract" + NEXT.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(8);
        return new HikariDataSource(config);
    }

    /** A pool on the PostgreSQL server this JVM's tests share, started on first use and stopped at exit. */
    static synchronized HikariDataSource postgresPool(int size) {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(1000);
        return new HikariDataSource(config);
    }

    /** A table name no other test uses. */
    static String freshTable() {
        return "contract_" + NEXT.incrementAndGet();
    }
}
