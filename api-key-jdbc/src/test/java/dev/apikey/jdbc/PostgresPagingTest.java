package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.KeyPage;
import dev.apikey.KeyQuery;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.StoredKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin list's paging on a real PostgreSQL server with 20,000 keys in one tenant (and 2,000 in others): a page
 * is read from the index, {@code limit + 1} rows and no sort of the tenant; paging through returns every key once;
 * every filter agrees with the in-memory store, the reference.
 */
class PostgresPagingTest {

    private static final int TENANT_KEYS = 20_000;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static HikariDataSource dataSource;
    private static String table;
    private static JdbcKeyStore store;
    private static final InMemoryKeyStore REFERENCE = new InMemoryKeyStore();
    private static List<StoredKey> keys;
    /** The linguistic collation the key id column was given, or null if the server has none. */
    private static String collation;

    @BeforeAll
    static void fillATenant() throws Exception {
        dataSource = Databases.postgresPool(4);
        table = Databases.freshTable();
        store = JdbcKeyStore.builder(dataSource).tableName(table).build();
        store.createSchemaIfMissing();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT collname FROM pg_collation WHERE collname IN "
                        + "('en-x-icu', 'und-x-icu', 'en_US.utf8', 'en_US') ORDER BY collname LIMIT 1")) {
            // A collation that sorts 'a' before 'B', as most databases' default does: the page order must not follow it.
            if (rs.next()) {
                try (Statement alter = c.createStatement()) {
                    alter.execute("ALTER TABLE " + table + " ALTER COLUMN key_id TYPE VARCHAR(8) COLLATE \""
                            + rs.getString(1) + "\"");
                }
                collation = rs.getString(1);
            }
            // And names in the C collation, whose LOWER leaves 'Ü' as it is, as a database with a C ctype does.
            try (Statement alter = c.createStatement()) {
                alter.execute("ALTER TABLE " + table + " ALTER COLUMN name TYPE VARCHAR(100) COLLATE \"C\"");
            }
        }
        keys = new ArrayList<>(dev.apikey.testkit.SampleKeys.varied(TENANT_KEYS, 20_000, NOW, "92"));
        keys.addAll(dev.apikey.testkit.SampleKeys.varied(2_000, 2_000, NOW, "93", null).stream()
                .filter(k -> keys.stream().noneMatch(t -> t.keyId().equals(k.keyId()))).toList());
        String sql = "INSERT INTO " + table + " (" + KeyRows.COLUMNS + ", change_seq) VALUES (" + KeyRows.PLACEHOLDERS
                + "nextval('" + table + "_change_seq'))";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (StoredKey k : keys) {
                KeyRows.bind(ps, k);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE " + table);
            }
        }
        keys.forEach(REFERENCE::insert);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Test
    void aPageOfTheTwentyThousandKeyTenantReadsOnlyLimitPlusOneRows() throws Exception {
        KeyFilter first = new KeyFilter(Set.of("92"), null, null, null, null, null, false, null, null, NOW);
        String middle = keys.stream().filter(k -> "92".equals(k.tenantId())).map(StoredKey::keyId).sorted()
                .toList().get(TENANT_KEYS / 2);
        KeyFilter later = new KeyFilter(Set.of("92"), null, null, null, null, null, false, null, middle, NOW);

        for (KeyFilter filter : List.of(first, later)) {
            JsonNode plan = explain(PageSql.of(table, JdbcKeyStore.Dialect.POSTGRESQL, filter, 51));
            List<JsonNode> nodes = new ArrayList<>();
            collect(plan, nodes);
            assertThat(nodes).as(plan.toPrettyString()).extracting(n -> n.path("Node Type").asText())
                    .doesNotContain("Sort", "Seq Scan");
            assertThat(nodes).as(plan.toPrettyString())
                    .allSatisfy(n -> assertThat(n.path("Actual Rows").asLong()).isLessThanOrEqualTo(51));
        }
    }

    @Test
    void theKeyIdColumnSortsLinguisticallySoByteOrderIsTheStoresDoing() throws Exception {
        assertThat(collation).as("a linguistic collation on this server").isNotNull();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 'a' < 'B' COLLATE \"" + collation + "\"")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    @Test
    void pagingThroughTheTenantReturnsEveryKeyExactlyOnceInByteOrder() {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(dev.apikey.testkit.KeyStoreContract.SCOPES)
                .hasher(Sha256Hasher.create()).build()) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                KeyPage page = apiKeys.listPage(KeyQuery.tenant("92"), cursor, 500);
                assertThat(page.keys()).hasSizeLessThanOrEqualTo(500);
                page.keys().stream().map(ApiKeyInfo::keyId).forEach(seen::add);
                cursor = page.nextCursor().orElse(null);
                pages++;
            } while (cursor != null && pages < 100);

            assertThat(pages).as("the page that reads limit + 1 rows knows whether another follows")
                    .isEqualTo(TENANT_KEYS / 500);
            assertThat(seen).hasSize(TENANT_KEYS).doesNotHaveDuplicates().isSorted()
                    .containsExactlyInAnyOrderElementsOf(keys.stream().filter(k -> "92".equals(k.tenantId()))
                            .map(StoredKey::keyId).toList());
        }
    }

    @Test
    void everyFilterAgreesWithTheInMemoryStorePageByPage() {
        for (Set<String> tenants : java.util.Arrays.asList(Set.of("92"), Set.of("92", "93"), null)) {
            for (KeyFilter filter : dev.apikey.testkit.SampleKeys.filters(NOW, tenants)) {
                List<String> expected = pageThrough(REFERENCE, filter);
                assertThat(pageThrough(store, filter)).as(filter.toString()).containsExactlyElementsOf(expected);
                assertThat(expected).as(filter.toString())
                        .containsExactlyElementsOf(keys.stream().filter(filter::matches).map(StoredKey::keyId)
                                .sorted().toList());
            }
        }
    }

    /** Every key the filter selects, 700 a page, each page starting after the last id of the one before. */
    private static List<String> pageThrough(KeyStore from, KeyFilter filter) {
        List<String> ids = new ArrayList<>();
        String after = filter.afterKeyId();
        for (int pages = 0; pages < 100; pages++) {
            List<StoredKey> page = from.findPage(new KeyFilter(filter.tenantIds(), filter.status(),
                    filter.environment(), filter.owner(), filter.nameContains(), filter.unusedSince(),
                    filter.rotateByPassed(), filter.expiringBefore(), after, filter.now()), 700);
            page.forEach(k -> ids.add(k.keyId()));
            if (page.size() < 700) {
                return ids;
            }
            after = page.get(page.size() - 1).keyId();
        }
        throw new AssertionError("more than 100 pages");
    }

    private static JsonNode explain(PageSql page) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + page.sql())) {
            List<Object> p = page.parameters();
            for (int i = 0; i < p.size(); i++) {
                if (p.get(i) instanceof Instant at) {
                    KeyRows.setInstant(ps, i + 1, at);
                } else if (p.get(i) instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setString(i + 1, (String) p.get(i));
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        into.add(node);
        for (JsonNode child : node.path("Plans")) {
            collect(child, into);
        }
    }
}
