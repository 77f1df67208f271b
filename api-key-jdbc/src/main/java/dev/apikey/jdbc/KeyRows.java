package dev.apikey.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.json.KeyJson;
import dev.apikey.model.Allowance;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Tenant;
import dev.apikey.spi.LegacyHash;
import dev.apikey.spi.StoredKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a {@link StoredKey} maps to a row, for both dialects: timestamps as {@code TIMESTAMP WITH TIME ZONE} in UTC,
 * scopes, metadata, address ranges, countries and allowances as JSON text (the codec's shapes, {@link KeyJson}), the version as
 * a number. The one place a row's columns are named.
 */
final class KeyRows {

    /** The key columns in binding order (the change sequence is set by each statement). */
    static final String COLUMNS = "key_id, tenant_id, name, secret_hash, scopes, created_utc, expires_utc, "
            + "revoked_utc, disabled_utc, last_used_utc, metadata, environment, owner, rotate_by_utc, allowed_cidrs, "
            + "rate_limit_requests, rate_limit_period_ms, replaced_by, quota_calls, quota_period, lineage_id, "
            + "allowances, allowed_countries, version, legacy_digest, external_id";

    /** The columns of {@link #COLUMNS}, in order. */
    private static final List<String> COLUMN_LIST = List.of(COLUMNS.split(", "));

    /** One {@code ?, } per column of {@link #COLUMNS}, for an insert's values. */
    static final String PLACEHOLDERS = "?, ".repeat(COLUMN_LIST.size());

    /**
     * The columns a replace sets, as {@code column = ?} pairs in binding order (see {@link #bindReplace}): all but the
     * key id (the row's identity) and the last use (a side write of its own).
     */
    static final String REPLACE_COLUMNS = String.join(", ", COLUMN_LIST.stream()
            .filter(KeyRows::replaced).map(c -> c + " = ?").toList());

    private static final ObjectMapper JSON = KeyJson.mapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    private KeyRows() {
    }

    private static boolean replaced(String column) {
        return !column.equals("key_id") && !column.equals("last_used_utc");
    }

    /** The value of each column of {@link #COLUMNS} for a key, in order; {@code null} for SQL NULL. */
    private static Object[] values(StoredKey key) {
        KeySpec a = key.attributes();
        return new Object[] {
            key.keyId(),
            a.tenantId().orElse(null),
            a.name(),
            key.secretHash(),
            json(List.copyOf(a.scopes())),
            key.createdAt(),
            a.expiresAt().orElse(null),
            key.revokedAt(),
            key.disabledAt(),
            key.lastUsedAt(),
            json(a.metadata()),
            a.environment().orElse(null),
            a.owner().orElse(null),
            a.rotateBy().orElse(null),
            json(a.allowedAddresses()),
            // rate_limit_requests, rate_limit_period_ms: the allowances column holds them now
            null,
            null,
            key.replacedBy(),
            // quota_calls, quota_period: likewise
            null,
            null,
            key.lineageId(),
            allowances(a.allowances()),
            countries(a.allowedCountries()),
            key.version(),
            // legacy keys (issue 29): what KeyDigestLookup finds them by; NULL for ours
            LegacyHash.lookupDigest(key.secretHash()),
            // imports (issue 29, import29): the source's id of an imported key, unique; NULL for the rest
            key.externalId()};
    }

    /** Binds every column of {@link #COLUMNS}, in order, from parameter 1. */
    static void bind(PreparedStatement ps, StoredKey key) throws SQLException {
        Object[] values = values(key);
        for (int i = 0; i < values.length; i++) {
            set(ps, i + 1, COLUMN_LIST.get(i), values[i]);
        }
    }

    /**
     * Binds the values of {@link #REPLACE_COLUMNS}, in order, from parameter 1.
     *
     * @return the next parameter index
     */
    static int bindReplace(PreparedStatement ps, StoredKey key) throws SQLException {
        Object[] values = values(key);
        int next = 1;
        for (int i = 0; i < values.length; i++) {
            if (replaced(COLUMN_LIST.get(i))) {
                set(ps, next++, COLUMN_LIST.get(i), values[i]);
            }
        }
        return next;
    }

    /** Binds one value by its column's type: timestamps in UTC, numbers as {@code BIGINT}, the rest as text. */
    private static void set(PreparedStatement ps, int index, String column, Object value) throws SQLException {
        if (column.endsWith("_utc")) {
            setInstant(ps, index, (Instant) value);
        } else if (value instanceof Long n) {
            ps.setLong(index, n);
        } else if (value == null && (column.startsWith("rate_limit_") || column.equals("quota_calls"))) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setString(index, (String) value);
        }
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
        KeySpec.Builder a = KeySpec.builder(rs.getString("name"))
                .scopes(parse(rs, "scopes", LIST))
                .expiresAt(inRange(instant(rs, "expires_utc")))
                .metadata(parse(rs, "metadata", MAP))
                .environment(rs.getString("environment"))
                .owner(rs.getString("owner"))
                .rotateBy(inRange(instant(rs, "rotate_by_utc")))
                .allowedAddresses(parse(rs, "allowed_cidrs", LIST))
                .allowedCountries(countries(rs.getString("allowed_countries")))
                .allowances(allowances(rs));
        String tenant = rs.getString("tenant_id");
        if (tenant != null) {
            a.tenantId(tenant);
        }
        return StoredKey.builder(rs.getString("key_id"))
                .secretHash(rs.getString("secret_hash"))
                .attributes(a.build())
                .createdAt(instant(rs, "created_utc"))
                .revokedAt(instant(rs, "revoked_utc"))
                .disabledAt(instant(rs, "disabled_utc"))
                .lastUsedAt(instant(rs, "last_used_utc"))
                .replacedBy(rs.getString("replaced_by"))
                .lineageId(rs.getString("lineage_id"))
                .externalId(rs.getString("external_id"))
                .version(rs.getLong("version"))
                .build();
    }

    /**
     * A date past year 9999 (written before dates were bounded) is the same as the last instant of 9999 for every
     * rule: read as that, so the row stays usable.
     */
    private static Instant inRange(Instant at) {
        return at != null && at.isAfter(LATEST) ? LATEST : at;
    }

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** The allowances column, or for a row written before it, the rate limit and quota columns. */
    private static List<Allowance> allowances(ResultSet rs) throws SQLException {
        String text = rs.getString("allowances");
        if (text != null) {
            try {
                return KeyJson.readAllowances(JSON.readTree(text), "allowances");
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IllegalArgumentException("allowances is not JSON of the expected shape");
            }
        }
        List<Allowance> legacy = new ArrayList<>();
        long requests = rs.getLong("rate_limit_requests");
        if (!rs.wasNull()) {
            // Whole seconds, as a rate limit's period is now: a fraction an older row held is rounded up (stricter).
            long seconds = Math.max(1, Math.floorDiv(rs.getLong("rate_limit_period_ms") + 999, 1_000));
            legacy.add(new RateLimit(requests, Duration.ofSeconds(seconds)));
        }
        long calls = rs.getLong("quota_calls");
        if (!rs.wasNull()) {
            legacy.add(new Quota(calls, Quota.Period.valueOf(rs.getString("quota_period"))));
        }
        return legacy;
    }

    private static String allowances(List<Allowance> allowances) {
        return allowances.isEmpty() ? null : KeyJson.writeAllowances(allowances).toString();
    }

    /** A country list as JSON text, {@code null} (SQL NULL) for none, as rows from before the column have. */
    static String countries(java.util.Set<String> countries) {
        return countries.isEmpty() ? null : json(List.copyOf(countries));
    }

    /** Reads a country list column: SQL NULL is none; each code is checked again by the core. */
    private static List<String> countries(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            return JSON.readValue(text, LIST);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("allowed_countries is not JSON of the expected shape");
        }
    }

    /** {@return allowances as the JSON text of a tenant's record: {@code []} for none} */
    static String allowancesJson(List<Allowance> allowances) {
        return KeyJson.writeAllowances(allowances).toString();
    }

    /** The columns of a tenant's record, in the order {@link #tenant} reads them and {@link #setTenant} writes them. */
    static final String TENANT_COLUMNS = "allowances, allowed_countries, status, plan_scopes, max_live_keys, version";

    /**
     * Reads a tenant's record from a row of {@link #TENANT_COLUMNS}: a NULL status is active, NULL plan scopes no plan,
     * a NULL cap the default (rows from before those columns).
     *
     * @throws SQLException for a record the store cannot use, naming the tenant and the rule
     */
    static Tenant tenant(String tenantId, ResultSet rs) throws SQLException {
        try {
            String status = rs.getString("status");
            String plan = rs.getString("plan_scopes");
            int cap = rs.getInt("max_live_keys");
            if (rs.wasNull()) {
                cap = 0;
            }
            return new Tenant(tenantId, KeyJson.readAllowances(JSON.readTree(rs.getString("allowances")), "allowances"),
                    java.util.Set.copyOf(countries(rs.getString("allowed_countries"))),
                    status == null ? Tenant.Status.ACTIVE : Tenant.Status.valueOf(status),
                    plan == null ? java.util.Set.of() : java.util.Set.copyOf(JSON.readValue(plan, LIST)),
                    cap, rs.getLong("version"));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SQLException("stored record of tenant " + tenantId + " is unusable: allowances, countries, "
                    + "status, plan scopes, cap or version out of rule", "22000");
        }
    }

    /** Sets a tenant's record as the parameters {@code first} to {@code first + 5}, in {@link #TENANT_COLUMNS}. */
    static void setTenant(PreparedStatement ps, int first, Tenant tenant) throws SQLException {
        ps.setString(first, allowancesJson(tenant.allowances()));
        ps.setString(first + 1, countries(tenant.allowedCountries()));
        ps.setString(first + 2, tenant.suspended() ? tenant.status().name() : null);
        ps.setString(first + 3, tenant.planScopes().isEmpty() ? null : json(List.copyOf(tenant.planScopes())));
        if (tenant.maxLiveKeys() == 0) {
            ps.setNull(first + 4, Types.INTEGER);
        } else {
            ps.setInt(first + 4, tenant.maxLiveKeys());
        }
        ps.setLong(first + 5, tenant.version());
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
