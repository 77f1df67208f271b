package dev.apikey.jdbc;

import dev.apikey.ApiKeyInfo;
import dev.apikey.spi.KeyFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL of {@link JdbcKeyStore#findPage}: a {@link KeyFilter} as one parameterised {@code WHERE}, keyset paging on
 * the key id ({@code key_id > ?}), byte order ({@code COLLATE "C"} on PostgreSQL, whose default collation would
 * sort {@code a} before {@code B}; H2 compares strings by character code already), and {@code LIMIT}. Each condition
 * is {@link KeyFilter#matches} in SQL, or (the name beyond ASCII) a superset of it that {@link JdbcKeyStore#findPage}
 * narrows; the store contract tests hold them to agree.
 *
 * @param sql        the statement
 * @param parameters its parameters in order: strings, instants and one integer (the limit)
 */
record PageSql(String sql, List<Object> parameters) {

    /** A name with a character beyond ASCII: more bytes in UTF-8 than characters. */
    private static final String NON_ASCII = "OCTET_LENGTH(name) <> CHAR_LENGTH(name)";

    static PageSql of(String table, JdbcKeyStore.Dialect dialect, KeyFilter f, int limit) {
        String keyOrder = dialect == JdbcKeyStore.Dialect.POSTGRESQL ? "key_id COLLATE \"C\"" : "key_id";
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> p = new ArrayList<>();
        if (f.tenantIds() != null) {
            where.append(" AND tenant_id IN (").append(String.join(", ", f.tenantIds().stream().map(t -> "?").toList()))
                    .append(')');
            p.addAll(f.tenantIds().stream().sorted().toList());
        }
        if (f.status() != null) {
            status(f.status(), where, p, f);
        }
        if (f.environment() != null) {
            where.append(" AND environment = ?");
            p.add(f.environment());
        }
        if (f.owner() != null) {
            where.append(" AND owner = ?");
            p.add(f.owner());
        }
        if (f.nameContains() != null) {
            // LOWER agrees with Java's lower case on ASCII in every locale, not beyond (a database with a C ctype
            // leaves 'Ü' as it is): names with other characters pass here and findPage holds them to the rule.
            String needle = f.nameContains().toLowerCase(Locale.ROOT);
            if (needle.chars().allMatch(c -> c < 0x80)) {
                where.append(" AND (LOWER(name) LIKE ? ESCAPE '\\' OR ").append(NON_ASCII).append(')');
                p.add("%" + likeEscaped(needle) + "%");
            } else {
                where.append(" AND ").append(NON_ASCII);
            }
        }
        if (f.unusedSince() != null) {
            where.append(" AND (last_used_utc IS NULL OR last_used_utc < ?)");
            p.add(f.unusedSince());
        }
        if (f.rotateByPassed()) {
            where.append(" AND rotate_by_utc <= ?");
            p.add(f.now());
        }
        if (f.expiringBefore() != null) {
            where.append(" AND revoked_utc IS NULL AND (expires_utc IS NULL OR expires_utc > ?)"
                    + " AND (expires_utc <= ? OR rotate_by_utc <= ?)");
            p.add(f.now());
            p.add(f.expiringBefore());
            p.add(f.expiringBefore());
        }
        if (f.afterKeyId() != null) {
            where.append(" AND ").append(keyOrder).append(" > ?");
            p.add(f.afterKeyId());
        }
        p.add(limit);
        return new PageSql("SELECT " + KeyRows.COLUMNS + " FROM " + table + where + " ORDER BY " + keyOrder
                + " LIMIT ?", List.copyOf(p));
    }

    /** {@link KeyFilter#status}'s order of tests as conditions: revoked, expired, disabled, replaced. */
    private static void status(ApiKeyInfo.Status status, StringBuilder where, List<Object> p, KeyFilter f) {
        String live = " AND revoked_utc IS NULL AND (expires_utc IS NULL OR expires_utc > ?)";
        switch (status) {
            case REVOKED -> where.append(" AND revoked_utc IS NOT NULL");
            case EXPIRED -> {
                where.append(" AND revoked_utc IS NULL AND expires_utc <= ?");
                p.add(f.now());
            }
            case DISABLED -> {
                where.append(live).append(" AND disabled_utc IS NOT NULL");
                p.add(f.now());
            }
            case EXPIRING -> {
                where.append(live).append(" AND disabled_utc IS NULL AND replaced_by IS NOT NULL");
                p.add(f.now());
            }
            case ACTIVE -> {
                where.append(live).append(" AND disabled_utc IS NULL AND replaced_by IS NULL");
                p.add(f.now());
            }
        }
    }

    /** The text with LIKE's wildcards and the escape character escaped, so that it matches only itself. */
    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
