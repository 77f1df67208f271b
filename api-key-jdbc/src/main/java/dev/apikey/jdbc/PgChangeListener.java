package dev.apikey.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a PostgreSQL channel ({@code LISTEN}) for the ids of changed keys, which {@link JdbcKeyStore} sends
 * with {@code pg_notify} in each change's transaction, so they arrive when it commits. One pooled connection is held
 * for as long as the listener runs, on a daemon thread of its own. A lost connection is logged once (polling covers
 * the gap) and reconnected with backoff (1 s doubling to 30 s); its return is logged once. Loaded only for PostgreSQL,
 * so the driver is needed only there.
 */
final class PgChangeListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.jdbc.listen");
    /** How long one wait for notifications lasts; also how soon a close is noticed. */
    private static final int WAIT_MILLIS = 250;
    /** How often an idle connection is checked, so a silently dead one is noticed. */
    private static final long CHECK_EVERY_MILLIS = 10_000;

    private final DataSource dataSource;
    private final String channel;
    private final String table;
    private final Consumer<String> changed;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean listening;

    PgChangeListener(DataSource dataSource, String channel, String table, Consumer<String> changed) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.channel = channel;
        this.table = table;
        this.changed = Objects.requireNonNull(changed, "changed");
        this.thread = new Thread(this::run, "apikey-listen-" + table);
        this.thread.setDaemon(true);
        // This library's context loader, not the creating thread's (a web application's, kept alive by the thread).
        this.thread.setContextClassLoader(PgChangeListener.class.getClassLoader());
    }

    PgChangeListener start() {
        thread.start();
        return this;
    }

    /** Whether the listener holds a connection that is listening now. */
    boolean isListening() {
        return listening;
    }

    private void run() {
        long backoff = 1_000;
        boolean lost = false;
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                listening = true;
                if (lost) {
                    LOG.info("listening for key changes on {} again", table);
                    lost = false;
                }
                backoff = 1_000;
                listen(c.unwrap(PGConnection.class), c);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    break;
                }
                if (!lost) {
                    LOG.warn("lost the connection that listens for key changes on {}; other instances' changes are "
                            + "seen by polling until it is back: {}", table, e.toString());
                    lost = true;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
        listening = false;
    }

    private void listen(PGConnection pg, Connection c) throws SQLException {
        long checkAt = System.nanoTime() + CHECK_EVERY_MILLIS * 1_000_000;
        while (!closed) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    deliver(n.getParameter());
                }
            }
            if (System.nanoTime() - checkAt > 0) {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(5);
                    s.execute("SELECT 1");
                }
                checkAt = System.nanoTime() + CHECK_EVERY_MILLIS * 1_000_000;
            }
        }
    }

    private void deliver(String keyId) {
        try {
            changed.accept(keyId);
        } catch (RuntimeException e) {
            LOG.warn("a key-change subscriber failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "PgChangeListener[" + table + (listening ? ", listening" : "") + "]";
    }
}
