package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeyEvent;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.StoredKey;
import dev.apikey.testkit.KeyStoreContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A change and its history are one transaction: when the history's insert fails (here a CHECK constraint refuses
 * the event's type), the change is rolled back with it, on H2 and on PostgreSQL, and the key is as it was.
 */
class HistoryRollbackTest {

    private static HikariDataSource dataSource(String database) {
        return database.equals("h2") ? Databases.h2() : Databases.postgresPool(4);
    }

    private static void refuse(HikariDataSource ds, String table, KeyEvent.Type type) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + table + "_events ADD CONSTRAINT " + table + "_no_" + type.jsonName()
                    + " CHECK (event_type <> '" + type.name() + "')");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aFailedHistoryInsertLeavesTheChangeUndone(String database) throws SQLException {
        String table = Databases.freshTable();
        try (HikariDataSource ds = dataSource(database)) {
            JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(table).pushChanges(false).build();
            store.createSchemaIfMissing();
            try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(KeyStoreContract.SCOPES)
                    .hasher(Sha256Hasher.create()).build()) {
                IssuedKey issued = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build());
                String id = issued.info().keyId();
                StoredKey before = store.findById(id).orElseThrow();
                for (KeyEvent.Type type : new KeyEvent.Type[] {KeyEvent.Type.REVOKED, KeyEvent.Type.EDITED,
                        KeyEvent.Type.DISABLED, KeyEvent.Type.ROTATED}) {
                    refuse(ds, table, type);
                }

                assertFails(() -> apiKeys.revoke(id));
                assertFails(() -> apiKeys.update(id, KeyUpdate.builder().name("renamed").build()));
                assertFails(() -> apiKeys.disable(id));
                assertFails(() -> apiKeys.rotate(id, Duration.ofHours(1)));

                assertThat(store.findById(id).orElseThrow()).as("the key as it was").isEqualTo(before);
                assertThat(store.findPage(new KeyFilter(null, null, null, null, null, null, false, null, null,
                        Instant.now()), 10)).as("no rotation's new key").hasSize(1);
                assertThat(apiKeys.history().ofKey(id)).extracting(KeyEvent::type)
                        .containsExactly(KeyEvent.Type.CREATED);
                try (ApiKeys fresh = ApiKeys.builder().prefix("wlcro").store(store).scopes(KeyStoreContract.SCOPES)
                        .build()) {
                    assertThat(fresh.verify(issued.plaintext(), "events:read").isGranted())
                            .as("still active, read from the database").isTrue();
                }
            }
        }
    }

    private static void assertFails(Supplier<?> change) {
        assertThatExceptionOfType(KeyStoreException.class).isThrownBy(change::get)
                .withMessageContaining("write failed");
    }
}
