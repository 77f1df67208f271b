package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.StoredKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets for the row mapping, on a real H2 result set: any key written reads back the same, and any row a
 * person or a broken migration could leave reads as a key or fails as an {@link SQLException} that names no
 * stored hash. Corpus under {@code src/test/resources/dev/apikey/jdbc/KeyRowsFuzzTestInputs}.
 */
class KeyRowsFuzzTest {

    private static final String TEXT = "CAST(? AS VARCHAR)";
    private static final String TIME = "CAST(? AS TIMESTAMP WITH TIME ZONE)";
    private static final String NUMBER = "CAST(? AS BIGINT)";
    /** One row, straight from bound parameters, with the columns and types of the key table. */
    private static final String ROW = "SELECT " + String.join(", ", List.of(TEXT + " key_id", TEXT + " tenant_id",
            TEXT + " name", TEXT + " secret_hash", TEXT + " scopes", TIME + " created_utc", TIME + " expires_utc",
            TIME + " revoked_utc", TIME + " disabled_utc", TIME + " last_used_utc", TEXT + " metadata", TEXT + " environment", TEXT + " owner",
            TIME + " rotate_by_utc", TEXT + " allowed_cidrs", NUMBER + " rate_limit_requests",
            NUMBER + " rate_limit_period_ms", TEXT + " replaced_by", NUMBER + " quota_calls", TEXT + " quota_period",
            TEXT + " lineage_id", TEXT + " allowances", TEXT + " allowed_countries", NUMBER + " version",
            TEXT + " legacy_digest", TEXT + " external_id"));

    private static Connection connection;
    private static PreparedStatement row;

    @BeforeAll
    static void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:rows");
        row = connection.prepareStatement(ROW);
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    private static String text(FuzzedDataProvider data) {
        return data.consumeBoolean() ? null : data.consumeString(40);
    }

    /** An instant at microsecond precision, as both databases store it, between 1970 and 9999. */
    private static Instant instant(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            return null;
        }
        long micros = data.consumeLong(0, 253_402_300_799_000_000L);
        return Instant.EPOCH.plusNanos(micros % 1_000_000 * 1000).plusSeconds(micros / 1_000_000);
    }

    /** A key from fuzzed values, or {@code null} where the values break a rule of {@link KeySpec} (never stored). */
    private static StoredKey key(FuzzedDataProvider data) {
        try {
            KeySpec.Builder a = KeySpec.builder(data.consumeString(40));
            for (int n = data.consumeInt(1, 4); n > 0; n--) {
                a.scopes(data.consumeString(20));
            }
            String tenant = text(data);
            if (tenant != null) {
                a.tenantId(tenant);
            }
            for (int n = data.consumeInt(0, 3); n > 0; n--) {
                a.metadata(data.consumeString(10), data.consumeString(20));
            }
            for (int n = data.consumeInt(0, 3); n > 0; n--) {
                a.allowedAddresses(data.consumeString(20));
            }
            for (int n = data.consumeInt(0, 3); n > 0; n--) {
                a.allowedCountries(data.consumeString(2));
            }
            if (data.consumeBoolean()) {
                a.allowance(new RateLimit(data.consumeLong(1, 1_000_000_000),
                        Duration.ofSeconds(data.consumeLong(1, 86_400))));
            }
            if (data.consumeBoolean()) {
                a.allowance(data.consumeBoolean() ? Quota.perDay(data.consumeLong(1, 1_000_000_000_000L))
                        : Quota.perMonth(data.consumeLong(1, 1_000_000_000_000L)).named("plan"));
            }
            a.expiresAt(instant(data)).environment(text(data)).owner(text(data)).rotateBy(instant(data));
            Instant created = instant(data);
            return StoredKey.builder(data.consumeString(8)).secretHash(data.consumeString(80)).attributes(a.build())
                    .createdAt(created == null ? Instant.EPOCH : created).revokedAt(instant(data))
                    .disabledAt(instant(data)).lastUsedAt(instant(data)).replacedBy(text(data)).lineageId(text(data))
                    .externalId(data.consumeBoolean() ? null : "cust-" + data.consumeInt())
                    .version(data.consumeLong(1, Long.MAX_VALUE)).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return null;
        }
    }

    private static StoredKey readOne() throws SQLException {
        try (ResultSet rs = row.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return KeyRows.read(rs);
        }
    }

    @Test
    void rowsACarelessEditCouldLeaveFailAsSqlNamingTheKey() throws SQLException {
        StoredKey good = StoredKey.builder("3kTz9QbC").secretHash("$sha256$c2FsdA$aGFzaA")
                .attributes(KeySpec.builder("crm").scopes("events:read").build())
                .createdAt(Instant.parse("2026-11-23T10:00:00Z")).build();
        String[][] edits = {{"5", "null"}, {"5", "[null]"}, {"5", "{}"}, {"5", "[]"}, {"11", "null"}, {"11", "[1]"},
            {"15", "null"}, {"16", "-1"}, {"16", "0"}, {"22", "{}"}, {"22", "[{\"kind\":\"rate\"}]"},
            {"22", "[{\"kind\":\"quota\",\"limit\":5,\"period\":\"week\"}]"}, {"23", "[\"XX\"]"}, {"23", "{}"},
            {"23", "[null]"}, {"24", "0"}};
        for (String[] edit : edits) {
            KeyRows.bind(row, good);
            row.setString(Integer.parseInt(edit[0]), edit[1]);
            if (edit[0].equals("16")) {
                row.setLong(17, 60_000);
            }
            assertThatExceptionOfType(SQLException.class).as("column %s = %s", edit[0], edit[1])
                    .isThrownBy(KeyRowsFuzzTest::readOne)
                    .withMessageStartingWith("stored row of key 3kTz9QbC is ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("c2FsdA"));
        }
    }

    @FuzzTest(maxDuration = "5m")
    void aKeyWrittenReadsBackTheSame(FuzzedDataProvider data) throws SQLException {
        StoredKey key = key(data);
        if (key == null) {
            return;
        }
        KeyRows.bind(row, key);
        assertThat(readOne()).isEqualTo(key);
    }

    @FuzzTest(maxDuration = "5m")
    void anyRowReadsOrFailsAsSqlWithoutTheHash(FuzzedDataProvider data) throws SQLException {
        String secretHash = "$sha256$" + data.consumeString(30) + "$hashhash";
        int i = 0;
        row.setString(++i, data.consumeString(12));
        row.setString(++i, text(data));
        row.setString(++i, text(data));
        row.setString(++i, data.consumeBoolean() ? null : secretHash);
        row.setString(++i, text(data));
        for (int t = 0; t < 4; t++) {
            KeyRows.setInstant(row, ++i, instant(data));
        }
        row.setString(++i, text(data));
        row.setString(++i, text(data));
        row.setString(++i, text(data));
        KeyRows.setInstant(row, ++i, instant(data));
        row.setString(++i, text(data));
        for (int n = 0; n < 2; n++) {
            if (data.consumeBoolean()) {
                row.setNull(++i, Types.BIGINT);
            } else {
                row.setLong(++i, data.consumeLong());
            }
        }
        row.setString(++i, text(data));
        if (data.consumeBoolean()) {
            row.setNull(++i, Types.BIGINT);
        } else {
            row.setLong(++i, data.consumeLong());
        }
        row.setString(++i, text(data));
        row.setString(++i, text(data));
        long version = data.consumeLong();
        row.setString(++i, data.consumeRemainingAsString());
        row.setLong(++i, version);
        try {
            StoredKey key = readOne();
            assertThat(key.secretHash()).isEqualTo(secretHash);
        } catch (SQLException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secretHash);
            }
        }
    }
}
