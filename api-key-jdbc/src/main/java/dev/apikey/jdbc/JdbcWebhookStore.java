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
        String sql = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = ? ORDER BY created_utc, webhook_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql)) {
            ps.setString(1, tenantId);
            List<WebhookEndpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new WebhookEndpoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant()));
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
