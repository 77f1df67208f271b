package dev.apikey.jdbc;

import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageStore;
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
 * Verify counts in one table, {@code <table>_usage}, of PostgreSQL or H2: a row per grain, key, bucket and outcome.
 * Each minute count is added to its minute, hour and day rows in the same transaction ({@code INSERT ... ON CONFLICT
 * DO UPDATE SET n = n + excluded.n} on PostgreSQL, {@code MERGE} on H2), so that instances add up without a rollup job
 * that would have to run once across them; the rows are written in one sorted order, so that two instances' batches
 * cannot deadlock. Network sketches are merged with a bitwise OR.
 *
 * <p>Thread-safe. Package-private: {@link JdbcKeyStore} is the {@link UsageStore}.
 */
final class JdbcUsageStore implements UsageStore {

    /**
     * The sum {@link UsageTotal.Rank#PROVEN} ranks by. The codes are written into the statement: they are the
     * library's own, each checked to be {@code [a-z_]}, never input.
     */
    private static final String PROVEN = "SUM(CASE WHEN outcome NOT IN (" + UsageTotal.UNPROVEN_OUTCOMES.stream()
            .sorted().map(JdbcUsageStore::literal).collect(java.util.stream.Collectors.joining(", "))
            + ") THEN n ELSE 0 END)";

    private static final Comparator<List<Object>> ROW_ORDER = Comparator
            .comparing((List<Object> r) -> (String) r.get(0))
            .thenComparing(r -> (String) r.get(1))
            .thenComparing(r -> (Long) r.get(2))
            .thenComparing(r -> (String) r.get(3));

    /** A unique key violated by a concurrent insert, a serialization failure, a deadlock: the write is tried again. */
    private static final java.util.Set<String> RETRY_STATES = java.util.Set.of("23505", "40001", "40P01");
    private static final int MAX_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final String table;
    private final int timeoutSeconds;
    private final JdbcKeyStore owner;

    JdbcUsageStore(DataSource dataSource, String keyTable, int timeoutSeconds, JdbcKeyStore owner) {
        this.dataSource = dataSource;
        this.table = keyTable + "_usage";
        this.timeoutSeconds = timeoutSeconds;
        this.owner = owner;
    }

    private static String grain(UsageGrain g) {
        return g.label().substring(0, 1);
    }

    /** PostgreSQL: every row in one statement, as arrays (each row once: they are merged before). */
    private String upsertPostgres() {
        return "INSERT INTO " + table + " AS u (grain, key_id, bucket, outcome, tenant_id, n, networks)"
                + " SELECT * FROM unnest(?::char(1)[], ?::varchar(8)[], ?::bigint[], ?::varchar(64)[],"
                + " ?::varchar(36)[], ?::bigint[], ?::bigint[])"
                + " ON CONFLICT (grain, key_id, bucket, outcome) DO UPDATE"
                + " SET n = u.n + EXCLUDED.n, networks = u.networks | EXCLUDED.networks";
    }

    private String upsertH2() {
        return "MERGE INTO " + table + " u USING (VALUES (CAST(? AS CHAR(1)), CAST(? AS VARCHAR(8)),"
                + " CAST(? AS BIGINT), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(36)), CAST(? AS BIGINT),"
                + " CAST(? AS BIGINT))) s (grain, key_id, bucket, outcome, tenant_id, n, networks)"
                + " ON u.grain = s.grain AND u.key_id = s.key_id AND u.bucket = s.bucket AND u.outcome = s.outcome"
                + " WHEN MATCHED THEN UPDATE SET n = u.n + s.n, networks = BITOR(u.networks, s.networks)"
                + " WHEN NOT MATCHED THEN INSERT (grain, key_id, bucket, outcome, tenant_id, n, networks)"
                + " VALUES (s.grain, s.key_id, s.bucket, s.outcome, s.tenant_id, s.n, s.networks)";
    }

    @Override
    public void addUsage(List<UsageCount> counts) {
        // Every grain's row, merged and sorted: one lock order for every instance.
        TreeMap<List<Object>, long[]> rows = new TreeMap<>(ROW_ORDER);
        TreeMap<String, String> tenants = new TreeMap<>();
        for (UsageCount c : List.copyOf(counts)) {
            if (c.keyId() == null) {
                throw new IllegalArgumentException("a count to add names its key id");
            }
            for (UsageGrain g : UsageGrain.values()) {
                long[] row = rows.computeIfAbsent(List.of(grain(g), c.keyId(), g.floor(c.bucket()).getEpochSecond(),
                        c.outcome()), r -> new long[2]);
                row[0] += c.count();
                row[1] |= c.networks();
            }
            if (c.tenantId() != null) {
                tenants.put(c.keyId(), c.tenantId());
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                add(c, rows, tenants);
                return;
            } catch (SQLException e) {
                // Two writers inserting the same new row at once: H2's MERGE lets both try the insert, and one fails
                // on the key; its transaction was rolled back whole, so it is written again, now as an update.
                if (attempt == MAX_ATTEMPTS || !RETRY_STATES.contains(String.valueOf(e.getSQLState()))) {
                    throw failure("add usage", e);
                }
            }
        }
    }

    /** One transaction: every row or none. */
    private void add(Connection c, TreeMap<List<Object>, long[]> rows, TreeMap<String, String> tenants)
            throws SQLException {
        if (owner.dialectOf(c) == JdbcKeyStore.Dialect.POSTGRESQL) {
            addAtOnce(c, rows, tenants);
            return;
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(upsertH2())) {
            ps.setQueryTimeout(timeoutSeconds);
            for (var row : rows.entrySet()) {
                List<Object> id = row.getKey();
                ps.setString(1, (String) id.get(0));
                ps.setString(2, (String) id.get(1));
                ps.setLong(3, (Long) id.get(2));
                ps.setString(4, (String) id.get(3));
                String tenant = tenants.get((String) id.get(1));
                if (tenant == null) {
                    ps.setNull(5, Types.VARCHAR);
                } else {
                    ps.setString(5, tenant);
                }
                ps.setLong(6, row.getValue()[0]);
                ps.setLong(7, row.getValue()[1]);
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

    /** One statement, so one transaction of its own: all rows or none. */
    private void addAtOnce(Connection c, TreeMap<List<Object>, long[]> rows, TreeMap<String, String> tenants)
            throws SQLException {
        int n = rows.size();
        Object[][] columns = new Object[7][n];
        int i = 0;
        for (var row : rows.entrySet()) {
            List<Object> id = row.getKey();
            columns[0][i] = id.get(0);
            columns[1][i] = id.get(1);
            columns[2][i] = id.get(2);
            columns[3][i] = id.get(3);
            columns[4][i] = tenants.get((String) id.get(1));
            columns[5][i] = row.getValue()[0];
            columns[6][i] = row.getValue()[1];
            i++;
        }
        String[] types = {"varchar", "varchar", "bigint", "varchar", "varchar", "bigint", "bigint"};
        try (PreparedStatement ps = c.prepareStatement(upsertPostgres())) {
            ps.setQueryTimeout(timeoutSeconds);
            for (int col = 0; col < 7; col++) {
                ps.setArray(col + 1, c.createArrayOf(types[col], columns[col]));
            }
            ps.executeUpdate();
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    @Override
    public List<UsageCount> readUsage(UsageSubject subject, UsageGrain grain, Instant from, Instant to) {
        String who = switch (subject.kind()) {
            case KEY -> "key_id = ?";
            case TENANT -> "tenant_id = ? AND key_id <> '" + UsageCount.UNKNOWN_KEY + "'";
            case UNKNOWN -> "key_id = '" + UsageCount.UNKNOWN_KEY + "'";
        };
        try (Connection c = dataSource.getConnection()) {
            String sql = "SELECT bucket, outcome, SUM(n), " + bitOr(c) + "(networks) FROM " + table
                    + " WHERE grain = ? AND " + who + " AND bucket >= ? AND bucket < ?"
                    + " GROUP BY bucket, outcome ORDER BY bucket, outcome";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setQueryTimeout(timeoutSeconds);
                int i = 1;
                ps.setString(i++, grain(grain));
                if (subject.id() != null) {
                    ps.setString(i++, subject.id());
                }
                ps.setLong(i++, from.getEpochSecond());
                ps.setLong(i, to.getEpochSecond());
                String keyId = switch (subject.kind()) {
                    case KEY -> subject.id();
                    case TENANT -> null;
                    case UNKNOWN -> UsageCount.UNKNOWN_KEY;
                };
                String tenantId = subject.kind() == UsageSubject.Kind.TENANT ? subject.id() : null;
                List<UsageCount> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new UsageCount(Instant.ofEpochSecond(rs.getLong(1)), keyId, tenantId,
                                rs.getString(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw failure("read usage", e);
        }
    }

    @Override
    public List<UsageTotal> topUsage(String tenantId, UsageGrain grain, Instant from, Instant to,
            UsageTotal.Rank rank, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        try (Connection c = dataSource.getConnection()) {
            boolean postgres = owner.dialectOf(c) == JdbcKeyStore.Dialect.POSTGRESQL;
            String granted = "SUM(CASE WHEN outcome = 'granted' THEN n ELSE 0 END)";
            String refused = "SUM(CASE WHEN outcome <> 'granted' THEN n ELSE 0 END)";
            String by = switch (rank) {
                case CALLS -> "SUM(n)";
                case REFUSALS -> refused;
                case PROVEN -> PROVEN;
            };
            String sql = "SELECT key_id, MAX(tenant_id), " + granted + ", " + refused + " FROM " + table
                    + " WHERE grain = ? AND bucket >= ? AND bucket < ? AND key_id <> '" + UsageCount.UNKNOWN_KEY + "'"
                    + (tenantId == null ? "" : " AND tenant_id = ?")
                    + " GROUP BY key_id HAVING " + by + " > 0 ORDER BY " + by + " DESC, key_id"
                    + (postgres ? " COLLATE \"C\"" : "") + " LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setQueryTimeout(timeoutSeconds);
                int i = 1;
                ps.setString(i++, grain(grain));
                ps.setLong(i++, from.getEpochSecond());
                ps.setLong(i++, to.getEpochSecond());
                if (tenantId != null) {
                    ps.setString(i++, tenantId);
                }
                ps.setInt(i, limit);
                List<UsageTotal> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new UsageTotal(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw failure("read top usage", e);
        }
    }

    @Override
    public long purgeUsage(UsageGrain grain, Instant before) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE grain = ? AND bucket < ?")) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, grain(grain));
            ps.setLong(2, before.getEpochSecond());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("purge usage", e);
        }
    }

    private String bitOr(Connection c) throws SQLException {
        return owner.dialectOf(c) == JdbcKeyStore.Dialect.POSTGRESQL ? "BIT_OR" : "BIT_OR_AGG";
    }

    private KeyStoreException failure(String what, SQLException e) {
        // The SQL state and class only: driver messages may quote row values.
        return new KeyStoreException(table + ": " + what + " failed (SQL state " + e.getSQLState() + ", "
                + e.getClass().getSimpleName() + ")", e);
    }

    private static String literal(String code) {
        if (!code.matches("[a-z_]{1,64}")) {
            throw new IllegalStateException("an outcome code is not [a-z_]: " + code);
        }
        return "'" + code + "'";
    }
}
