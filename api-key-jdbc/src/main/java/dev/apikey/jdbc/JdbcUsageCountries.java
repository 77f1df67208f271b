package dev.apikey.jdbc;

import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.UsageCountry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The countries keys were seen from, by hour, in {@code <table>_usage_countries} of PostgreSQL or H2: a row per key,
 * hour and country, written once ({@code ON CONFLICT DO NOTHING} on PostgreSQL, {@code MERGE ... KEY} on H2), in one
 * sorted order so that two instances' batches cannot deadlock; deleted with the hour rows of the usage counts.
 *
 * <p>Thread-safe. Package-private: {@link JdbcKeyStore} is the {@link dev.apikey.spi.UsageStore}.
 */
final class JdbcUsageCountries {

    private static final Comparator<UsageCountry> ROW_ORDER = Comparator.comparing(UsageCountry::keyId)
            .thenComparing(UsageCountry::hour).thenComparing(UsageCountry::country);
    /** A unique key violated by a concurrent insert, a serialization failure, a deadlock: the write is tried again. */
    private static final java.util.Set<String> RETRY_STATES = java.util.Set.of("23505", "40001", "40P01");
    private static final int MAX_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final String table;
    private final int timeoutSeconds;
    private final JdbcKeyStore owner;

    JdbcUsageCountries(DataSource dataSource, String keyTable, int timeoutSeconds, JdbcKeyStore owner) {
        this.dataSource = dataSource;
        this.table = keyTable + "_usage_countries";
        this.timeoutSeconds = timeoutSeconds;
        this.owner = owner;
    }

    void add(List<UsageCountry> countries) {
        TreeMap<UsageCountry, UsageCountry> rows = new TreeMap<>(ROW_ORDER);
        for (UsageCountry c : List.copyOf(countries)) {
            rows.putIfAbsent(c, c);
        }
        if (rows.isEmpty()) {
            return;
        }
        List<UsageCountry> sorted = new ArrayList<>(rows.keySet());
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                if (owner.dialectOf(c) == JdbcKeyStore.Dialect.POSTGRESQL) {
                    addPostgres(c, sorted);
                } else {
                    addH2(c, sorted);
                }
                return;
            } catch (SQLException e) {
                if (attempt == MAX_ATTEMPTS || !RETRY_STATES.contains(String.valueOf(e.getSQLState()))) {
                    throw failure("add countries", e);
                }
            }
        }
    }

    /** One statement, so one transaction of its own: all rows or none. */
    private void addPostgres(Connection c, List<UsageCountry> rows) throws SQLException {
        int n = rows.size();
        Object[][] columns = new Object[4][n];
        for (int i = 0; i < n; i++) {
            UsageCountry r = rows.get(i);
            columns[0][i] = r.keyId();
            columns[1][i] = r.hour().getEpochSecond();
            columns[2][i] = r.country();
            columns[3][i] = r.tenantId();
        }
        String[] types = {"varchar", "bigint", "varchar", "varchar"};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (key_id, bucket, country, tenant_id) SELECT * FROM unnest(?::varchar(8)[], ?::bigint[],"
                + " ?::char(2)[], ?::varchar(36)[]) ON CONFLICT (key_id, bucket, country) DO NOTHING")) {
            ps.setQueryTimeout(timeoutSeconds);
            for (int col = 0; col < 4; col++) {
                ps.setArray(col + 1, c.createArrayOf(types[col], columns[col]));
            }
            ps.executeUpdate();
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /** One transaction: every row or none. */
    private void addH2(Connection c, List<UsageCountry> rows) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO " + table
                + " (key_id, bucket, country, tenant_id) KEY (key_id, bucket, country) VALUES (?, ?, ?, ?)")) {
            ps.setQueryTimeout(timeoutSeconds);
            for (UsageCountry r : rows) {
                ps.setString(1, r.keyId());
                ps.setLong(2, r.hour().getEpochSecond());
                ps.setString(3, r.country());
                if (r.tenantId() == null) {
                    ps.setNull(4, Types.VARCHAR);
                } else {
                    ps.setString(4, r.tenantId());
                }
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    List<UsageCountry> read(String keyId, Instant from, Instant to) {
        java.util.Objects.requireNonNull(keyId, "keyId");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT bucket, country, tenant_id FROM " + table
                        + " WHERE key_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket, country")) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, keyId);
            ps.setLong(2, from.getEpochSecond());
            ps.setLong(3, to.getEpochSecond());
            List<UsageCountry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UsageCountry(Instant.ofEpochSecond(rs.getLong(1)), keyId, rs.getString(3),
                            rs.getString(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read countries", e);
        }
    }

    long purge(Instant before) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE bucket < ?")) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setLong(1, before.getEpochSecond());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("purge countries", e);
        }
    }

    private KeyStoreException failure(String what, SQLException e) {
        // The SQL state and class only: driver messages may quote row values.
        return new KeyStoreException(table + ": " + what + " failed (SQL state " + e.getSQLState() + ", "
                + e.getClass().getSimpleName() + ")", e);
    }
}
