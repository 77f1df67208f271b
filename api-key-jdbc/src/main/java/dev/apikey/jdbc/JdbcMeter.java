package dev.apikey.jdbc;

import dev.apikey.model.RateLimit;
import dev.apikey.spi.Meter;
import dev.apikey.spi.MeterException;
import dev.apikey.spi.MeterMath;
import dev.apikey.spi.Metered;
import dev.apikey.spi.Spend;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@link Meter} shared by every instance through PostgreSQL: one row per subject and allowance in
 * {@code <table>_meter} (made by {@link #createSchemaIfMissing()}), holding a token bucket's debt or a quota's count
 * in its current window. PostgreSQL only.
 *
 * <pre>{@code
 * JdbcMeter meter = JdbcMeter.builder(meterPool).tableName("api_keys").timeout(Duration.ofMillis(250)).build();
 * meter.createSchemaIfMissing();
 * }</pre>
 *
 * <ul>
 *   <li>One allowance: one statement, an upsert that spends only if the row has room (a refusal reads the row again
 *       for its retry-after).</li>
 *   <li>Several, all or none, exactly: one short transaction locks the batch's rows (an upsert, in one order, so two
 *       spends never wait on each other in a circle), checks every allowance and writes them only if all have room; a
 *       refusal rolls back. Two statements and a commit on a grant, one statement and a rollback on a refusal.</li>
 *   <li>Time is the {@code nowMillis} passed in (the verifier's clock), never the database's; a clock a little behind
 *       another instance's neither refills twice nor moves a quota back to an earlier window.</li>
 *   <li>Bounded: every statement by {@link Builder#timeout} on the network (and the pool's connection timeout when
 *       getting a connection: give the meter a small pool of its own with a short one). A failure throws
 *       {@link MeterException}.</li>
 *   <li>Rows: one per subject and allowance, rewritten in place when a window starts again; {@link #deleteIdle}
 *       removes those idle for 33 days (call it daily).</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class JdbcMeter implements Meter {

    private static final long IDLE_MILLIS = 33 * 86_400_000L;

    private final DataSource dataSource;
    private final String table;
    private final int timeoutMillis;
    private final String[] lockSql = new String[MeterMath.MAX_BATCH + 1];
    private final String[] updateSql = new String[MeterMath.MAX_BATCH + 1];
    private final String oneRateSql;
    private final String oneQuotaSql;
    private final String usedSql;

    private JdbcMeter(Builder b) {
        this.dataSource = b.dataSource;
        this.table = b.tableName + "_meter";
        this.timeoutMillis = (int) b.timeout.toMillis();
        for (int n = 1; n <= MeterMath.MAX_BATCH; n++) {
            lockSql[n] = MeterRows.lockSql(table, n);
            updateSql[n] = MeterRows.updateSql(table, n);
        }
        this.oneRateSql = MeterRows.oneRateSql(table);
        this.oneQuotaSql = MeterRows.oneQuotaSql(table);
        this.usedSql = "SELECT win, level, at_ms FROM " + table + " WHERE subject = ? AND allowance = ?";
    }

    /**
     * Starts a meter on a data source.
     *
     * @param dataSource the pool (a small one of its own is best)
     * @return a builder
     * @throws NullPointerException if dataSource is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Configures a {@link JdbcMeter}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String tableName = "api_keys";
        private Duration timeout = Duration.ofMillis(250);

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The key table's name, as given to {@link JdbcKeyStore}; the counts are in {@code <name>_meter}.
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
         * The longest one statement may take on the network; default 250 ms.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException unless 10 ms to 10 s
         */
        public Builder timeout(Duration timeout) {
            this.timeout = requireTimeout(timeout);
            return this;
        }

        /** {@return the meter; does not connect} */
        public JdbcMeter build() {
            return new JdbcMeter(this);
        }
    }

    static Duration requireTimeout(Duration timeout) {
        java.util.Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("timeout must be 10 ms to 10 s, was " + timeout);
        }
        return timeout;
    }

    /**
     * Creates the table {@code <table>_meter} unless it exists.
     *
     * @throws MeterException if the database refuses
     */
    public void createSchemaIfMissing() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setNetworkTimeout(Runnable::run, Math.max(timeoutMillis, 5_000));
            // subject: key:<lineage> or tenant:<id>; allowance: kind (r, qd, qm) and name; win: a rate limit's token
            // units or a quota's window; level: the debt or the count; at_ms: the verifier's time of the last spend.
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "subject VARCHAR(100) NOT NULL, allowance VARCHAR(40) NOT NULL, win BIGINT NOT NULL, "
                    + "level BIGINT NOT NULL, at_ms BIGINT NOT NULL, "
                    + "CONSTRAINT " + table.replace('.', '_') + "_pk PRIMARY KEY (subject, allowance))");
        } catch (SQLException e) {
            throw failure("create table", e);
        }
    }

    @Override
    public Spend spend(List<Metered> batch, long cost, long nowMillis) {
        Spend early = MeterMath.precheck(batch, cost, nowMillis);
        if (early != null) {
            return early;
        }
        int n = batch.size();
        if (n == 1) {
            return spendOne(batch.get(0), cost, nowMillis);
        }
        Integer[] order = MeterRows.lockOrder(batch);
        try (Connection c = dataSource.getConnection()) {
            c.setNetworkTimeout(Runnable::run, timeoutMillis);
            c.setAutoCommit(false);
            try {
                Spend answer = spendLocked(c, batch, order, cost, nowMillis);
                if (answer.granted()) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return answer;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        } catch (SQLException e) {
            throw failure("spend", e);
        }
    }

    /** One allowance: one statement that spends only if there is room; a refusal reads the row for its wait. */
    private Spend spendOne(Metered m, long cost, long now) {
        try (Connection c = dataSource.getConnection()) {
            c.setNetworkTimeout(Runnable::run, timeoutMillis);
            String sql = m.allowance() instanceof RateLimit ? oneRateSql : oneQuotaSql;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                MeterRows.bindOne(ps, m, cost, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return Spend.GRANTED;
                    }
                }
            }
            long[] row = MeterRows.read(c, usedSql, m);
            // Another instance may have made room since: the refusal stands, with the shortest wait.
            return Spend.refused(0, row == null ? 1 : MeterRows.check(m, row, cost, now, new long[3]));
        } catch (SQLException e) {
            throw failure("spend", e);
        }
    }

    private Spend spendLocked(Connection c, List<Metered> batch, Integer[] order, long cost, long now)
            throws SQLException {
        int n = batch.size();
        Map<String, long[]> rows;
        try (PreparedStatement ps = c.prepareStatement(lockSql[n])) {
            MeterRows.bindLock(ps, batch, order, now);
            try (ResultSet rs = ps.executeQuery()) {
                rows = MeterRows.byKey(rs);
            }
        }
        long[][] next = new long[n][];
        int worst = -1;
        long worstWait = 0;
        for (int i = 0; i < n; i++) {
            Metered m = batch.get(i);
            long[] row = rows.get(m.subject() + " " + MeterRows.column(m));
            if (row == null) {
                throw new SQLException("row of allowance " + i + " not returned");
            }
            next[i] = new long[3];
            long wait = MeterRows.check(m, row, cost, now, next[i]);
            if (wait > worstWait) {
                worst = i;
                worstWait = wait;
            }
        }
        if (worst >= 0) {
            return Spend.refused(worst, worstWait);
        }
        try (PreparedStatement ps = c.prepareStatement(updateSql[n])) {
            MeterRows.bindUpdate(ps, batch, next);
            ps.executeUpdate();
        }
        return Spend.GRANTED;
    }

    @Override
    public long used(Metered metered, long nowMillis) {
        MeterMath.checkTime(nowMillis);
        try (Connection c = dataSource.getConnection()) {
            c.setNetworkTimeout(Runnable::run, timeoutMillis);
            long[] row = MeterRows.read(c, usedSql, metered);
            return row == null ? 0 : MeterRows.used(metered, row[0], row[1], row[2], nowMillis);
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /**
     * Deletes the rows unused for 33 days before this time: their buckets are full and their windows over.
     *
     * @param nowMillis the verifier's time, in milliseconds since 1970
     * @return the rows deleted
     * @throws MeterException if the database fails
     */
    public int deleteIdle(long nowMillis) {
        MeterMath.checkTime(nowMillis);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE at_ms < ?")) {
            c.setNetworkTimeout(Runnable::run, Math.max(timeoutMillis, 5_000));
            ps.setLong(1, nowMillis - IDLE_MILLIS);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("delete idle rows", e);
        }
    }


    /** Gives the pool its connection back as it was; a broken one (a timeout closes it) the pool discards. */
    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            // the connection is closed: the failure that closed it is what the caller sees
        }
    }

    private static void rollbackQuietly(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private MeterException failure(String what, SQLException e) {
        return new MeterException(table + ": meter " + what + " failed (SQL state " + e.getSQLState() + ", "
                + e.getClass().getSimpleName() + ")", e);
    }

    @Override
    public String toString() {
        return "JdbcMeter[" + table + "]";
    }
}
