package dev.apikey.jdbc;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.spi.KeyFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL of {@link JdbcKeyStore#findPage}: a {@link KeyFilter} as one parameterised {@code WHERE}, keyset paging on
 * the sort column and the key id ({@code col > ? OR col = ? AND key_id > ? OR col IS NULL}, {@code NULLS LAST} in
 * both directions, as {@link KeyFilter#order}), key ids in byte order ({@code COLLATE "C"} on PostgreSQL, whose default collation would
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
        String direction = f.descending() ? " DESC" : " ASC";
        String after = f.descending() ? " < ?" : " > ?";
        String column = column(f.sort(), dialect);
        if (f.afterKeyId() != null) {
            if (column == null) {
                where.append(" AND ").append(keyOrder).append(after);
            } else if (f.afterValue() == null) {
                // The cursor is in the tail of keys without the value, which is last in both directions.
                where.append(" AND ").append(column).append(" IS NULL AND ").append(keyOrder).append(after);
            } else {
                where.append(" AND (").append(column).append(after).append(" OR ").append(column)
                        .append(" = ? AND ").append(keyOrder).append(after).append(" OR ").append(column)
                        .append(" IS NULL)");
                p.add(f.afterValue());
                p.add(f.afterValue());
                p.add(f.afterKeyId());
            }
            if (column == null || f.afterValue() == null) {
                p.add(f.afterKeyId());
            }
        }
        p.add(limit);
        String order = (column == null ? "" : column + direction + " NULLS LAST, ") + keyOrder + direction;
        return new PageSql("SELECT " + KeyRows.COLUMNS + " FROM " + table + where + " ORDER BY " + order
                + " LIMIT ?", List.copyOf(p));
    }

    /**
     * The column of a sort, or {@code null} for the key id alone. Names in code order like Java's
     * {@link String#compareTo} ({@code COLLATE "C"} on PostgreSQL: UTF-8 byte order, the same but for characters
     * beyond U+FFFF against U+E000 to U+FFFF, which the name rule's printable text rarely mixes).
     */
    private static String column(KeyFilter.Sort sort, JdbcKeyStore.Dialect dialect) {
        return switch (sort) {
            case KEY_ID -> null;
            case NAME -> dialect == JdbcKeyStore.Dialect.POSTGRESQL ? "name COLLATE \"C\"" : "name";
            case CREATED -> "created_utc";
            case LAST_USED -> "last_used_utc";
            case EXPIRES -> "expires_utc";
        };
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
