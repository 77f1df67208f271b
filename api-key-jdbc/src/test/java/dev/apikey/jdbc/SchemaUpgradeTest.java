package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
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
            // A rate limit in the columns of before allowances, and an expiry past year 9999 (before dates were
            // bounded): both must still read.
            s.execute("INSERT INTO " + table + " VALUES ('AAAAAAAA', NULL, 'old', '$sha256$x', '[\"events:read\"]', "
                    + "TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00', "
                    + "TIMESTAMP WITH TIME ZONE '20000-01-01 00:00:00+00', NULL, NULL, '{}', NULL, NULL, NULL, "
                    + "'[]', 600, 60000, 1)");
            // A period of a fraction of a second, which the old columns could hold: read as whole seconds, rounded up.
            s.execute("INSERT INTO " + table + " VALUES ('CCCCCCCC', NULL, 'fraction', '$sha256$z', '[\"events:read\"]', "
                    + "TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00', NULL, NULL, NULL, '{}', NULL, NULL, NULL, "
                    + "'[]', 1, 1500, 2)");
        }
        JdbcKeyStore store = JdbcKeyStore.builder(dataSource).tableName(table).build();

        store.createSchemaIfMissing();
        store.createSchemaIfMissing();

        StoredKey old = store.findById("AAAAAAAA").orElseThrow();
        assertThat(old.attributes().name()).isEqualTo("old");
        assertThat(old.replacedBy()).isNull();
        assertThat(old.version()).as("an old row starts at version 1").isEqualTo(1);
        assertThat(old.lineage()).as("an old row is its own lineage").isEqualTo("AAAAAAAA");
        assertThat(old.attributes().allowedCountries()).as("an old row has no country list").isEmpty();
        assertThat(old.attributes().allowances()).as("the old rate limit, as an allowance")
                .containsExactly(RateLimit.perMinute(600));
        assertThat(store.findById("CCCCCCCC").orElseThrow().attributes().allowances())
                .as("1 per 1.5 s reads as 1 per 2 s: stricter, never looser").containsExactly(
                        new RateLimit(1, java.time.Duration.ofSeconds(2)));
        assertThat(old.expiresAt()).as("a date past 9999 reads as the last instant of 9999")
                .isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
        StoredKey replacement = StoredKey.builder("BBBBBBBB").secretHash("$sha256$y").createdAt(T0)
                .attributes(old.attributes()).lineageId(old.lineage()).build();
        store.write(List.of(KeyWrite.replace(old.rotatedTo("BBBBBBBB", T0.plusSeconds(60)), old.version()),
                KeyWrite.insert(replacement)));
        StoredKey rotated = store.findById("AAAAAAAA").orElseThrow();
        assertThat(rotated.replacedBy()).isEqualTo("BBBBBBBB");
        assertThat(rotated.version()).isEqualTo(2);
        assertThat(rotated.attributes().allowances()).as("written back as allowances").containsExactly(
                RateLimit.perMinute(600));
        assertThat(store.findById("BBBBBBBB").orElseThrow().lineage()).isEqualTo("AAAAAAAA");
        store.replace(replacementDisabled(store.findById("BBBBBBBB").orElseThrow()), 1);
        assertThat(store.findById("BBBBBBBB").orElseThrow().disabledAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(store.recordNotice("BBBBBBBB", "expires:x", T0)).isEmpty();
    }

    private static StoredKey replacementDisabled(StoredKey k) {
        return k.withDisabledAt(T0.plusSeconds(5));
    }
}
