package dev.apikey.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.Quota;
import dev.apikey.RateLimit;
import dev.apikey.spi.StoredKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a {@link StoredKey} maps to a row: timestamps as {@code TIMESTAMP WITH TIME ZONE} in UTC, scopes,
 * metadata and address ranges as JSON text, the rate limit as two numbers.
 */
final class KeyRows {

    /** The key columns in binding order (the change sequence is set by each statement). */
    static final String COLUMNS = "key_id, tenant_id, name, secret_hash, scopes, created_utc, expires_utc, "
            + "revoked_utc, disabled_utc, last_used_utc, metadata, environment, owner, rotate_by_utc, allowed_cidrs, "
            + "rate_limit_requests, rate_limit_period_ms, replaced_by, quota_calls, quota_period, lineage_id";

    /** One {@code ?, } per column of {@link #COLUMNS}, for an insert's values. */
    static final String PLACEHOLDERS = "?, ".repeat(COLUMNS.split(",").length);

    /** The columns an edit sets, as {@code column = ?} pairs in binding order (see {@link #bindEditable}). */
    static final String EDITABLE_COLUMNS = "name = ?, scopes = ?, expires_utc = ?, allowed_cidrs = ?, "
            + "rate_limit_requests = ?, rate_limit_period_ms = ?, quota_calls = ?, quota_period = ?";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    private KeyRows() {
    }

    /** Binds every column of {@link #COLUMNS}, in order, from parameter 1. */
    static void bind(PreparedStatement ps, StoredKey key) throws SQLException {
        int i = 0;
        ps.setString(++i, key.keyId());
        ps.setString(++i, key.tenantId());
        ps.setString(++i, key.name());
        ps.setString(++i, key.secretHash());
        ps.setString(++i, json(List.copyOf(key.scopes())));
        setInstant(ps, ++i, key.createdAt());
        setInstant(ps, ++i, key.expiresAt());
        setInstant(ps, ++i, key.revokedAt());
        setInstant(ps, ++i, key.disabledAt());
        setInstant(ps, ++i, key.lastUsedAt());
        ps.setString(++i, json(key.metadata()));
        ps.setString(++i, key.environment());
        ps.setString(++i, key.owner());
        setInstant(ps, ++i, key.rotateBy());
        ps.setString(++i, json(key.allowedAddresses()));
        RateLimit limit = key.rateLimit();
        setLong(ps, ++i, limit == null ? null : limit.requests());
        setLong(ps, ++i, limit == null ? null : limit.period().toMillis());
        ps.setString(++i, key.replacedBy());
        i = bindQuota(ps, i, key.quota());
        ps.setString(++i, key.lineageId());
    }

    /** Binds the quota's two columns after parameter {@code after}; returns the last index bound. */
    private static int bindQuota(PreparedStatement ps, int after, Quota quota) throws SQLException {
        setLong(ps, after + 1, quota == null ? null : quota.calls());
        ps.setString(after + 2, quota == null ? null : quota.period().name());
        return after + 2;
    }

    /**
     * Binds the values of {@link #EDITABLE_COLUMNS}, in order, from parameter 1.
     *
     * @return the next parameter index
     */
    static int bindEditable(PreparedStatement ps, StoredKey key) throws SQLException {
        int i = 0;
        ps.setString(++i, key.name());
        ps.setString(++i, json(List.copyOf(key.scopes())));
        setInstant(ps, ++i, key.expiresAt());
        ps.setString(++i, json(key.allowedAddresses()));
        RateLimit limit = key.rateLimit();
        setLong(ps, ++i, limit == null ? null : limit.requests());
        setLong(ps, ++i, limit == null ? null : limit.period().toMillis());
        i = bindQuota(ps, i, key.quota());
        return i + 1;
    }

    /**
     * Reads one row.
     *
     * @throws SQLException for a row the store cannot use (unreadable JSON, a field out of range), naming the key
     *                      id and the rule, never the stored hash
     */
    static StoredKey read(ResultSet rs) throws SQLException {
        String keyId = rs.getString("key_id");
        try {
            return readFields(rs);
        } catch (RuntimeException e) {
            throw new SQLException("stored row of key " + keyId + " is unusable: " + e.getMessage(), "22000", e);
        }
    }

    private static StoredKey readFields(ResultSet rs) throws SQLException {
        long requests = rs.getLong("rate_limit_requests");
        RateLimit limit = rs.wasNull() ? null
                : new RateLimit(requests, Duration.ofMillis(rs.getLong("rate_limit_period_ms")));
        return StoredKey.builder(rs.getString("key_id"))
                .tenantId(rs.getString("tenant_id"))
                .name(rs.getString("name"))
                .secretHash(rs.getString("secret_hash"))
                .scopes(Set.copyOf(parse(rs, "scopes", LIST)))
                .createdAt(instant(rs, "created_utc"))
                .expiresAt(instant(rs, "expires_utc"))
                .revokedAt(instant(rs, "revoked_utc"))
                .disabledAt(instant(rs, "disabled_utc"))
                .lastUsedAt(instant(rs, "last_used_utc"))
                .metadata(parse(rs, "metadata", MAP))
                .environment(rs.getString("environment"))
                .owner(rs.getString("owner"))
                .rotateBy(instant(rs, "rotate_by_utc"))
                .allowedAddresses(parse(rs, "allowed_cidrs", LIST))
                .rateLimit(limit)
                .replacedBy(rs.getString("replaced_by"))
                .quota(quota(rs))
                .lineageId(rs.getString("lineage_id"))
                .build();
    }

    private static Quota quota(ResultSet rs) throws SQLException {
        long calls = rs.getLong("quota_calls");
        if (rs.wasNull()) {
            return null;
        }
        return new Quota(calls, Quota.Period.valueOf(rs.getString("quota_period")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads a JSON column; an unreadable value is an {@link IllegalArgumentException} naming the column. */
    private static <T> T parse(ResultSet rs, String column, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(rs.getString(column), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // Jackson's message quotes the stored text: the column name is enough, and the cause stays unlogged.
            throw new IllegalArgumentException(column + " is not JSON of the expected shape");
        }
    }
}
