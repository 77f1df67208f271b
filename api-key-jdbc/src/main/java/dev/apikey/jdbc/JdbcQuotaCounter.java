package dev.apikey.jdbc;

import dev.apikey.Quota;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.QuotaCounter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Quotas counted by every instance together in the PostgreSQL database that holds the keys: one row per key and
 * period in {@code <table>_quota_usage} (made by {@link JdbcKeyStore#createSchemaIfMissing()}), incremented by one
 * atomic upsert that stops at the quota, so the calls of all instances add up to at most the quota. PostgreSQL only.
 * Each call is bounded by {@link Builder#timeout} on the network; a failure throws {@link KeyStoreException}, and the
 * verifier lets the call pass or refuses it as the host configured. Thread-safe.
 */
public final class JdbcQuotaCounter implements QuotaCounter {

    private final DataSource dataSource;
    private final String table;
    private final int timeoutMillis;
    private final String consumeSql;
    private final String usedSql;

    private JdbcQuotaCounter(Builder b) {
        this.dataSource = b.dataSource;
        this.table = b.tableName + "_quota_usage";
        this.timeoutMillis = (int) b.timeout.toMillis();
        this.consumeSql = "INSERT INTO " + table + " AS u (key_id, period, used) VALUES (?, ?, 1) "
                + "ON CONFLICT (key_id, period) DO UPDATE SET used = u.used + 1 WHERE u.used < ? RETURNING used";
        this.usedSql = "SELECT used FROM " + table + " WHERE key_id = ? AND period = ?";
    }

    /**
     * Starts a counter on a data source.
     *
     * @param dataSource the pool
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Configures a {@link JdbcQuotaCounter}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String tableName = "api_keys";
        private Duration timeout = Duration.ofMillis(250);

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The key table's name, as given to {@link JdbcKeyStore}; the counts are in {@code <name>_quota_usage}.
         *
         * @param name the key table's name
         * @return this builder
         * @throws IllegalArgumentException if the name breaks {@link JdbcKeyStore.Builder#tableName}'s rule
         */
        public Builder tableName(String name) {
            this.tableName = JdbcKeyStore.requireTableName(name);
            return this;
        }

        /**
         * The longest one count may take on the network; default 250 ms.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException unless 10 ms to 10 s
         */
        public Builder timeout(Duration timeout) {
            this.timeout = JdbcRateLimiter.requireTimeout(timeout);
            return this;
        }

        /** {@return the counter; does not connect} */
        public JdbcQuotaCounter build() {
            return new JdbcQuotaCounter(this);
        }
    }

    private static String period(Quota quota, long periodIndex) {
        return quota.period().name().charAt(0) + Long.toString(periodIndex);
    }

    @Override
    public long tryConsume(String keyId, Quota quota, long periodIndex) {
        try (Connection c = dataSource.getConnection()) {
            c.setNetworkTimeout(Runnable::run, timeoutMillis);
            try (PreparedStatement ps = c.prepareStatement(consumeSql)) {
                ps.setString(1, keyId);
                ps.setString(2, period(quota, periodIndex));
                ps.setLong(3, quota.calls());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Math.max(0, quota.calls() - rs.getLong(1)) : -1;
                }
            }
        } catch (SQLException e) {
            throw failure("count", e);
        }
    }

    @Override
    public long used(String keyId, Quota quota, long periodIndex) {
        try (Connection c = dataSource.getConnection()) {
            c.setNetworkTimeout(Runnable::run, timeoutMillis);
            try (PreparedStatement ps = c.prepareStatement(usedSql)) {
                ps.setString(1, keyId);
                ps.setString(2, period(quota, periodIndex));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    private KeyStoreException failure(String what, SQLException e) {
        return new KeyStoreException(table + ": quota " + what + " failed (SQL state " + e.getSQLState() + ", "
                + e.getClass().getSimpleName() + ")", e);
    }

    @Override
    public String toString() {
        return "JdbcQuotaCounter[" + table + "]";
    }
}
