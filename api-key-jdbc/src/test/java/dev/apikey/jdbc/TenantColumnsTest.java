package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Tenant;
import dev.apikey.model.Verification;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A tenant's status, plan and cap in the tenants table (issue 26 §5): an older table gains the columns in place and its
 * records read as active, without a plan; a suspension through one instance reaches another sharing the database
 * through the change feed, on H2 and PostgreSQL.
 */
class TenantColumnsTest {

    private static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events")
            .scope("events:write", "Write events").build();

    @Test
    void anOlderH2TenantsTableGainsTheColumnsAndItsRecordsReadAsActiveWithoutAPlan() throws SQLException {
        try (HikariDataSource dataSource = Databases.h2()) {
            upgrade(dataSource, "api_keys");
        }
    }

    @Test
    void anOlderPostgresTenantsTableGainsTheColumnsAndItsRecordsReadAsActiveWithoutAPlan() throws SQLException {
        try (HikariDataSource dataSource = Databases.postgresPool(2)) {
            upgrade(dataSource, Databases.freshTable());
        }
    }

    private static void upgrade(DataSource dataSource, String table) throws SQLException {
        JdbcKeyStore store = JdbcKeyStore.builder(dataSource).tableName(table).build();
        store.createSchemaIfMissing();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // The tenants table as issue 25/26 left it: these four columns only.
            s.execute("DROP TABLE " + table + "_tenants");
            s.execute("CREATE TABLE " + table + "_tenants (tenant_id VARCHAR(36) NOT NULL PRIMARY KEY, "
                    + "allowances TEXT NOT NULL, allowed_countries TEXT, version BIGINT NOT NULL)");
            s.execute("INSERT INTO " + table + "_tenants VALUES ('92', '[{\"name\":\"plan\",\"kind\":\"quota\","
                    + "\"limit\":50,\"period\":\"day\"}]', '[\"DE\"]', 3)");
        }
        long start = store.changeFeedPosition();

        store.createSchemaIfMissing();

        Tenant old = store.findTenant("92").orElseThrow();
        assertThat(old).isEqualTo(new Tenant("92", List.of(Quota.perDay(50).named("plan")), Set.of("DE"), 3));
        assertThat(old.status()).isEqualTo(Tenant.Status.ACTIVE);
        assertThat(old.planScopes()).isEmpty();
        assertThat(old.maxLiveKeys()).isZero();
        Tenant suspended = old.withStatus(Tenant.Status.SUSPENDED).withPlanScopes(Set.of("events:read"))
                .withMaxLiveKeys(7);
        store.writeTenant(suspended, 3);
        assertThat(store.findTenant("92")).contains(suspended);
        assertThat(store.changesSince(start).tenantIds()).containsExactly("92");
    }

    @Test
    void aSuspensionThroughOneInstanceReachesAnotherOnH2() {
        try (HikariDataSource dataSource = Databases.h2()) {
            suspendAcrossInstances(dataSource, "api_keys");
        }
    }

    @Test
    void aSuspensionThroughOneInstanceReachesAnotherOnPostgres() {
        try (HikariDataSource dataSource = Databases.postgresPool(4)) {
            suspendAcrossInstances(dataSource, Databases.freshTable());
        }
    }

    private static ApiKeys apiKeys(JdbcKeyStore store) {
        // A staleness of ten minutes: only the change feed brings the other instance's change within the test.
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(SCOPES).hasher(Sha256Hasher.create())
                .cacheMaxStaleness(Duration.ofMinutes(10)).changeFeedPollInterval(Duration.ofMillis(200)).build();
    }

    private static void suspendAcrossInstances(DataSource dataSource, String table) {
        JdbcKeyStore store = JdbcKeyStore.builder(dataSource).tableName(table).build();
        store.createSchemaIfMissing();
        try (ApiKeys a = apiKeys(store); ApiKeys b = apiKeys(store)) {
            IssuedKey issued = a.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build());
            String other = a.create(KeySpec.builder("k").tenantId("93").scopes("events:read").build()).plaintext();
            assertThat(b.verify(issued.plaintext(), "events:read").isGranted()).as("cached on b").isTrue();

            a.tenants().suspend("92");
            // The change feed's bound is 2 s; the deadline is wider, for a loaded build machine.
            Verification refused = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> b.verify(issued.plaintext(), "events:read"), v -> !v.isGranted());
            assertThat(refused.failure()).contains(Failure.TENANT_SUSPENDED);
            assertThat(b.verify(other, "events:read").isGranted()).as("another tenant's key").isTrue();

            a.tenants().resume("92");
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> b.verify(issued.plaintext(), "events:read").isGranted());
        }
    }
}
