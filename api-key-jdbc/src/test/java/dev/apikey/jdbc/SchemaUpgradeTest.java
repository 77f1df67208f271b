package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.spi.StoredKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A table made by an earlier snapshot (no rotation link, no disable column, no notices table) is upgraded in
 * place by createSchemaIfMissing.
 */
class SchemaUpgradeTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    /** The table as the first snapshot created it: every column but replaced_by and disabled_utc. */
    private static final String OLD_TABLE = "CREATE TABLE %s (key_id VARCHAR(8) NOT NULL PRIMARY KEY, "
            + "tenant_id VARCHAR(36), name VARCHAR(100) NOT NULL, secret_hash VARCHAR(512) NOT NULL, "
            + "scopes TEXT NOT NULL, created_utc TIMESTAMP WITH TIME ZONE NOT NULL, "
            + "expires_utc TIMESTAMP WITH TIME ZONE, revoked_utc TIMESTAMP WITH TIME ZONE, "
            + "last_used_utc TIMESTAMP WITH TIME ZONE, metadata TEXT NOT NULL, environment VARCHAR(32), "
            + "owner VARCHAR(200), rotate_by_utc TIMESTAMP WITH TIME ZONE, allowed_cidrs TEXT NOT NULL, "
            + "rate_limit_requests BIGINT, rate_limit_period_ms BIGINT, change_seq BIGINT NOT NULL)";

    @Test
    void anOldH2TableGainsTheNewColumnsAndKeepsItsRows() throws SQLException {
        try (HikariDataSource dataSource = Databases.h2()) {
            upgradeAndRotate(dataSource, "api_keys");
        }
    }

    @Test
    void anOldPostgresTableGainsTheNewColumnsAndKeepsItsRows() throws SQLException {
        try (HikariDataSource dataSource = Databases.postgresPool(2)) {
            upgradeAndRotate(dataSource, Databases.freshTable());
        }
    }

    private static void upgradeAndRotate(DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SEQUENCE " + table + "_change_seq");
            s.execute(String.format(OLD_TABLE, table));
            s.execute("INSERT INTO " + table + " VALUES ('AAAAAAAA', NULL, 'old', '$sha256$x', '[]', "
                    + "TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00', NULL, NULL, NULL, '{}', NULL, NULL, NULL, "
                    + "'[]', NULL, NULL, 1)");
        }
        JdbcKeyStore store = JdbcKeyStore.builder(dataSource).tableName(table).build();

        store.createSchemaIfMissing();
        store.createSchemaIfMissing();

        StoredKey old = store.findById("AAAAAAAA").orElseThrow();
        assertThat(old.name()).isEqualTo("old");
        assertThat(old.replacedBy()).isNull();
        assertThat(old.lineage()).as("an old row is its own lineage").isEqualTo("AAAAAAAA");
        StoredKey replacement = StoredKey.builder("BBBBBBBB").name("old").secretHash("$sha256$y").scopes(Set.of())
                .createdAt(T0).lineageId(old.lineage()).build();
        assertThat(store.rotate("AAAAAAAA", T0.plusSeconds(60), replacement)).isTrue();
        assertThat(store.findById("AAAAAAAA").orElseThrow().replacedBy()).isEqualTo("BBBBBBBB");
        assertThat(store.findById("BBBBBBBB").orElseThrow().lineage()).isEqualTo("AAAAAAAA");
        assertThat(store.setDisabled("BBBBBBBB", T0.plusSeconds(5)).orElseThrow().disabledAt())
                .isEqualTo(T0.plusSeconds(5));
        assertThat(store.recordNotice("BBBBBBBB", "expires:x", T0)).isEmpty();
    }
}
