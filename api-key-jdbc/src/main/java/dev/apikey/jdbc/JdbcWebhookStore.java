package dev.apikey.jdbc;

import dev.apikey.model.WebhookEndpoint;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.WebhookStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Tenants' webhook endpoints in {@code <table>_webhooks} (issue 27 §3), the same SQL on PostgreSQL and H2.
 *
 * <p>Thread-safe. Package-private: {@link JdbcKeyStore} is the {@link WebhookStore}.
 */
final class JdbcWebhookStore implements WebhookStore {

    private static final String COLUMNS = "webhook_id, tenant_id, url, secret, created_utc";
    /** What a read takes: the columns written at insert, and whether and why the endpoint was disabled. */
    private static final String READ = COLUMNS + ", disabled_utc, disabled_reason";

    private final DataSource dataSource;
    private final String table;
    private final int timeoutSeconds;

    JdbcWebhookStore(DataSource dataSource, String keyTable, int timeoutSeconds) {
        this.dataSource = dataSource;
        this.table = keyTable + "_webhooks";
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public void insertWebhook(WebhookEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        String sql = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql)) {
            ps.setString(1, endpoint.webhookId());
            ps.setString(2, endpoint.tenantId());
            ps.setString(3, endpoint.url());
            ps.setString(4, endpoint.secret());
            KeyRows.setInstant(ps, 5, endpoint.createdAt());
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new DuplicateKeyException(endpoint.webhookId());
            }
            throw failure("insert webhook", e);
        }
    }

    @Override
    public List<WebhookEndpoint> findWebhooks(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        String sql = "SELECT " + READ + " FROM " + table + " WHERE tenant_id = ? ORDER BY created_utc, webhook_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql)) {
            ps.setString(1, tenantId);
            List<WebhookEndpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime disabled = rs.getObject(6, OffsetDateTime.class);
                    out.add(new WebhookEndpoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(),
                            disabled == null ? null : disabled.toInstant(), disabled == null ? null : rs.getString(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("find webhooks", e);
        }
    }

    @Override
    public boolean deleteWebhook(String tenantId, String webhookId) {
        String sql = "DELETE FROM " + table + " WHERE tenant_id = ? AND webhook_id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql)) {
            ps.setString(1, Objects.requireNonNull(tenantId, "tenantId"));
            ps.setString(2, Objects.requireNonNull(webhookId, "webhookId"));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("delete webhook", e);
        }
    }

    @Override
    public boolean disableWebhook(String tenantId, String webhookId, java.time.Instant at, String reason) {
        Objects.requireNonNull(at, "at");
        // The record's rule, checked before the write rather than found by the database.
        if (reason == null || reason.isEmpty() || reason.length() > WebhookEndpoint.MAX_REASON_LENGTH
                || !reason.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
            throw new IllegalArgumentException("disabledReason must be 1 to " + WebhookEndpoint.MAX_REASON_LENGTH
                    + " printable ASCII characters");
        }
        String sql = "UPDATE " + table + " SET disabled_utc = ?, disabled_reason = ? WHERE tenant_id = ? AND "
                + "webhook_id = ? AND disabled_utc IS NULL";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql)) {
            KeyRows.setInstant(ps, 1, at);
            ps.setString(2, reason);
            ps.setString(3, Objects.requireNonNull(tenantId, "tenantId"));
            ps.setString(4, Objects.requireNonNull(webhookId, "webhookId"));
            // One row changed on one instance: the others find it disabled already, so it is announced once.
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("disable webhook", e);
        }
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setQueryTimeout(timeoutSeconds);
        return ps;
    }

    private KeyStoreException failure(String what, SQLException e) {
        // The SQL state and class only: driver messages may quote row values, a secret among them.
        return new KeyStoreException(table + ": " + what + " failed (SQL state " + e.getSQLState() + ", "
                + e.getClass().getSimpleName() + ")", e);
    }
}
