package dev.apikey.jdbc;

import dev.apikey.model.Anomaly;
import dev.apikey.model.UsageSubject;
import dev.apikey.spi.AnomalyLog;
import dev.apikey.spi.KeyStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Anomalies and leases (issue 27 §3) in two tables of PostgreSQL or H2, {@code <table>_anomalies} (a row per anomaly,
 * its id the primary key, so that the first insert wins across instances) and {@code <table>_leases} (a row per
 * lease: who holds it until when). Plain SQL both dialects share; times are epoch milliseconds.
 *
 * <p>Thread-safe. Package-private: {@link JdbcKeyStore} is the {@link AnomalyLog}.
 */
final class JdbcAnomalyLog implements AnomalyLog {

    private static final String COLUMNS = "id, kind, key_id, tenant_id, window_start, window_end, observed, baseline,"
            + " detail, opened_at, closed_at";

    private final DataSource dataSource;
    private final String anomalies;
    private final String leases;
    private final String keyTable;
    private final int timeoutSeconds;

    JdbcAnomalyLog(DataSource dataSource, String keyTable, int timeoutSeconds) {
        this.dataSource = dataSource;
        this.keyTable = keyTable;
        this.anomalies = keyTable + "_anomalies";
        this.leases = keyTable + "_leases";
        this.timeoutSeconds = timeoutSeconds;
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setQueryTimeout(timeoutSeconds);
        return ps;
    }

    @Override
    public boolean acquireLease(String name, String holder, Instant now, Duration ttl) {
        AnomalyLog.checkLease(name, holder, now, ttl);
        long until = now.plus(ttl).toEpochMilli();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = prepare(c, "UPDATE " + leases + " SET holder = ?, until_ms = ? WHERE name = ?"
                    + " AND (holder = ? OR until_ms < ?)")) {
                ps.setString(1, holder);
                ps.setLong(2, until);
                ps.setString(3, name);
                ps.setString(4, holder);
                ps.setLong(5, now.toEpochMilli());
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement ps = prepare(c, "INSERT INTO " + leases
                    + " (name, holder, until_ms) VALUES (?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, holder);
                ps.setLong(3, until);
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                // Somebody holds it (or took it between the update and this insert).
                if ("23505".equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure("acquire lease", e);
        }
    }

    @Override
    public boolean openAnomaly(Anomaly a) {
        Objects.requireNonNull(a, "anomaly");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, "INSERT INTO " + anomalies + " (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.kind().label());
            ps.setString(3, a.keyId().orElse(null));
            ps.setString(4, a.tenantId());
            ps.setLong(5, a.windowStart().toEpochMilli());
            ps.setLong(6, a.windowEnd().toEpochMilli());
            ps.setLong(7, a.observed());
            ps.setLong(8, a.baseline());
            ps.setString(9, a.detail());
            ps.setLong(10, a.openedAt().toEpochMilli());
            if (a.closedAt() == null) {
                ps.setNull(11, Types.BIGINT);
            } else {
                ps.setLong(11, a.closedAt().toEpochMilli());
            }
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw failure("open anomaly", e);
        }
    }

    @Override
    public int closeAnomalies(Instant windowEndedBy, Instant closedAt) {
        Objects.requireNonNull(windowEndedBy, "windowEndedBy");
        Objects.requireNonNull(closedAt, "closedAt");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, "UPDATE " + anomalies + " SET closed_at = ?"
                        + " WHERE closed_at IS NULL AND window_end <= ?")) {
            ps.setLong(1, closedAt.toEpochMilli());
            ps.setLong(2, windowEndedBy.toEpochMilli());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("close anomalies", e);
        }
    }

    @Override
    public List<Anomaly> readAnomalies(String tenantId, String keyId, boolean openOnly, int limit) {
        AnomalyLog.checkLimit(limit);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + anomalies + " WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (tenantId != null) {
            sql.append(" AND tenant_id = ?");
            args.add(tenantId);
        }
        if (keyId != null) {
            sql.append(" AND key_id = ?");
            args.add(keyId);
        }
        if (openOnly) {
            sql.append(" AND closed_at IS NULL");
        }
        sql.append(" ORDER BY opened_at DESC, id LIMIT ").append(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            List<Anomaly> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read anomalies", e);
        }
    }

    private static Anomaly row(ResultSet rs) throws SQLException {
        String keyId = rs.getString("key_id");
        String tenantId = rs.getString("tenant_id");
        long closed = rs.getLong("closed_at");
        Instant closedAt = rs.wasNull() ? null : Instant.ofEpochMilli(closed);
        return new Anomaly(rs.getString("id"), Anomaly.Kind.parse(rs.getString("kind")),
                keyId != null ? UsageSubject.key(keyId) : UsageSubject.tenant(tenantId), tenantId,
                Instant.ofEpochMilli(rs.getLong("window_start")), Instant.ofEpochMilli(rs.getLong("window_end")),
                rs.getLong("observed"), rs.getLong("baseline"), rs.getString("detail"),
                Instant.ofEpochMilli(rs.getLong("opened_at")), closedAt);
    }

    @Override
    public long purgeAnomalies(Instant before) {
        Objects.requireNonNull(before, "before");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, "DELETE FROM " + anomalies + " WHERE closed_at < ?")) {
            ps.setLong(1, before.toEpochMilli());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("purge anomalies", e);
        }
    }

    private KeyStoreException failure(String what, SQLException e) {
        // The SQL state and class only: driver messages may quote row values.
        return new KeyStoreException(keyTable + ": " + what + " failed (SQL state " + e.getSQLState() + ", "
                + e.getClass().getSimpleName() + ")", e);
    }
}
