package dev.apikey.jdbc;

import dev.apikey.RateLimit;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.RateLimiter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Rate limits shared by every instance through the PostgreSQL database that holds the keys: one token bucket per
 * key in the table {@code <table>_buckets} (made by {@link JdbcKeyStore#createSchemaIfMissing()}), refilled by the
 * database's clock and taken with one atomic upsert per request, so three instances grant a key limited to 100 a
 * minute about 100 calls a minute together, not 300. PostgreSQL only.
 *
 * <pre>{@code
 * RateLimiter shared = JdbcRateLimiter.builder(limiterPool).tableName("api_keys").timeout(Duration.ofMillis(250)).build();
 * ApiKeys.builder()...rateLimiter(shared).rateLimiterFailClosed(false)...
 * }</pre>
 *
 * <p>Every call is bounded: the statement's network timeout is {@link Builder#timeout} (and the pool's own
 * connection timeout applies to getting a connection: give the limiter a small pool of its own with a short one).
 * A failure or timeout throws {@link KeyStoreException}; the verifier then allows or refuses the request as the host
 * configured. Thread-safe.
 */
public final class JdbcRateLimiter implements RateLimiter {

    private final DataSource dataSource;
    private final String sql;
    private final String waitSql;
    private final int timeoutMillis;
    private final String table;

    private JdbcRateLimiter(Builder b) {
        this.dataSource = b.dataSource;
        this.table = b.tableName + "_buckets";
        this.timeoutMillis = (int) b.timeout.toMillis();
        this.sql = "WITH now AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms) "
                + "INSERT INTO " + table + " AS b (key_id, tokens, refilled_ms) SELECT ?, ? - 1, ms FROM now "
                + "ON CONFLICT (key_id) DO UPDATE SET "
                + "tokens = LEAST(?, b.tokens + (EXCLUDED.refilled_ms - b.refilled_ms) * ?) - 1, "
                + "refilled_ms = EXCLUDED.refilled_ms "
                + "WHERE LEAST(?, b.tokens + (EXCLUDED.refilled_ms - b.refilled_ms) * ?) >= 1 RETURNING tokens";
        this.waitSql = "SELECT LEAST(?, tokens + ((extract(epoch FROM clock_timestamp()) * 1000)::bigint - refilled_ms) "
                + "* ?) FROM " + table + " WHERE key_id = ?";
    }

    /**
     * Starts a limiter on a data source.
     *
     * @param dataSource the pool (a small one of its own is best)
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Configures a {@link JdbcRateLimiter}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String tableName = "api_keys";
        private Duration timeout = Duration.ofMillis(250);

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The key table's name, as given to {@link JdbcKeyStore}; the buckets are in {@code <name>_buckets}.
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
         * The longest one check may take on the network; default 250 ms.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException unless 10 ms to 10 s
         */
        public Builder timeout(Duration timeout) {
            this.timeout = requireTimeout(timeout);
            return this;
        }

        /** {@return the limiter; does not connect} */
        public JdbcRateLimiter build() {
            return new JdbcRateLimiter(this);
        }
    }

    /** The rule of a network timeout, for this limiter and {@link JdbcQuotaCounter}: 10 ms to 10 s. */
    static Duration requireTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("timeout must be 10 ms to 10 s, was " + timeout);
        }
        return timeout;
    }

    @Override
    public long tryAcquire(String keyId, RateLimit limit) {
        double capacity = limit.requests();
        double perMilli = capacity / limit.period().toMillis();
        try (Connection c = dataSource.getConnection()) {
            c.setNetworkTimeout(Runnable::run, timeoutMillis);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, keyId);
                ps.setDouble(2, capacity);
                ps.setDouble(3, capacity);
                ps.setDouble(4, perMilli);
                ps.setDouble(5, capacity);
                ps.setDouble(6, perMilli);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return 0;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(waitSql)) {
                ps.setDouble(1, capacity);
                ps.setDouble(2, perMilli);
                ps.setString(3, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    double available = rs.next() ? rs.getDouble(1) : 0;
                    double millis = Math.max(1, (1 - available) / perMilli);
                    return (long) Math.ceil(millis * 1_000_000);
                }
            }
        } catch (SQLException e) {
            throw new KeyStoreException(table + ": rate limit check failed (SQL state " + e.getSQLState() + ", "
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    @Override
    public String toString() {
        return "JdbcRateLimiter[" + table + "]";
    }
}
