package dev.apikey.jdbc;

import dev.apikey.model.KeyEvent;
import dev.apikey.model.Tenant;
import dev.apikey.spi.ChangeFeed;
import dev.apikey.spi.ChangePush;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.EventFilter;
import dev.apikey.spi.KeyChanges;
import dev.apikey.spi.KeyDigestLookup;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyHistory;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.NoticeLog;
import dev.apikey.spi.StoredKey;
import dev.apikey.spi.TenantStore;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageStore;
import dev.apikey.spi.VersionConflictException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link KeyStore} in one table of a PostgreSQL or H2 database, over any {@link DataSource} (bring your
 * pool: HikariCP, your container's). Plain JDBC: every statement parameterised, a query timeout on each,
 * connections returned at once, multi-row changes in one transaction that is rolled back on failure.
 *
 * <pre>{@code
 * JdbcKeyStore store = JdbcKeyStore.builder(dataSource).tableName("api_keys").build();
 * store.createSchemaIfMissing();   // or run schema-postgresql.sql from this jar yourself
 * }</pre>
 *
 * <p>Every create, edit, disable, enable, revoke and rotation takes a number from a sequence into
 * {@code change_seq}; that column is the change feed other instances follow. Warnings sent by the hygiene check are
 * remembered in a second table, {@code <table>_notices}; tenants' own records (their shared allowances, status, plan
 * and cap, in the change feed too) in a third, {@code <table>_tenants}; every key's history ({@link KeyHistory}) in a
 * fourth, {@code <table>_events}, each event inserted in the transaction of its change; verify counts by key, outcome
 * and minute, hour and day in a fifth, {@code <table>_usage} (a {@link UsageStore}), and the countries keys were
 * seen from by hour in {@code <table>_usage_countries}; tenants' webhook endpoints
 * in a sixth, {@code <table>_webhooks}. Database failures surface as {@link KeyStoreException}, which the
 * verifier answers with {@code store_unavailable}, never with a rejected key.
 *
 * <p>Thread-safe.
 */
public final class JdbcKeyStore implements KeyStore, ChangeFeed, ChangePush, NoticeLog, TenantStore, KeyHistory,
        UsageStore, KeyDigestLookup, dev.apikey.spi.ExternalIdLookup, dev.apikey.spi.AnomalyLog,
        dev.apikey.spi.WebhookStore {

    private static final String COLUMNS = KeyRows.COLUMNS;

    private final DataSource dataSource;
    private final String table;
    private final int queryTimeoutSeconds;
    private volatile Dialect dialect;
    /** The PostgreSQL channel that carries changed key ids: short, whatever the table's name. */
    private final String channel;
    private final boolean pushChanges;
    private final EventRows events;
    /**
     * Sequence numbers missing from the feed (a transaction that took one has not committed yet, or rolled back),
     * to when this store first saw each missing: the feed waits for one up to {@link #LATE_COMMIT_MILLIS}.
     */
    private final Map<Long, Long> holes = new java.util.concurrent.ConcurrentHashMap<>();
    /** Verify counts, in {@code <table>_usage} (issue 27). */
    private final JdbcUsageStore usage;
    /** The countries keys were seen from, in {@code <table>_usage_countries} (issue 27, new country). */
    private final JdbcUsageCountries countries;
    /** Anomalies and leases, in {@code <table>_anomalies} and {@code <table>_leases} (issue 27 §3). */
    private final JdbcAnomalyLog anomalies;
    /** Tenants' webhook endpoints, in {@code <table>_webhooks} (issue 27 §3). */
    private final JdbcWebhookStore webhooks;

    /** How long the feed waits for a change that took a lower sequence number but has not committed yet. */
    static final long LATE_COMMIT_MILLIS = 10_000;

    /** The databases whose SQL this store speaks. */
    public enum Dialect {
        /** PostgreSQL 12 or later. */
        POSTGRESQL("schema-postgresql.sql"),
        /** H2 2.x. */
        H2("schema-h2.sql");

        private final String schemaFile;

        Dialect(String schemaFile) {
            this.schemaFile = schemaFile;
        }

        /** {@return the schema file in this jar, under {@code dev/apikey/jdbc/}} */
        public String schemaFile() {
            return schemaFile;
        }

        String nextChange(String table) {
            return this == POSTGRESQL ? "nextval('" + table + "_change_seq')" : "NEXT VALUE FOR " + table + "_change_seq";
        }
    }

    private JdbcKeyStore(Builder b) {
        this.dataSource = b.dataSource;
        this.table = b.tableName;
        this.queryTimeoutSeconds = (int) Math.max(1, b.queryTimeout.toSeconds());
        this.dialect = b.dialect;
        this.pushChanges = b.pushChanges;
        this.events = new EventRows(b.tableName);
        this.channel = "apikey_" + Integer.toHexString(b.tableName.hashCode() & 0x7fffffff) + "_"
                + b.tableName.replaceAll("[^a-z0-9_]", "_").substring(0, Math.min(30, b.tableName.length()));
        this.usage = new JdbcUsageStore(dataSource, table, queryTimeoutSeconds, this);
        this.countries = new JdbcUsageCountries(dataSource, table, queryTimeoutSeconds, this);
        this.anomalies = new JdbcAnomalyLog(dataSource, table, queryTimeoutSeconds);
        this.webhooks = new JdbcWebhookStore(dataSource, table, queryTimeoutSeconds);
    }

    /**
     * The rule for the key table's name, shared with the rate limiter and quota counter that name their tables
     * after it: 1 to 48 of {@code [a-z0-9_]} starting with a letter, optionally schema-qualified.
     *
     * @param name the key table's name
     * @return the name
     * @throws IllegalArgumentException if it breaks the rule
     */
    static String requireTableName(String name) {
        Objects.requireNonNull(name, "tableName");
        if (!name.matches("([a-z][a-z0-9_]{0,47}\\.)?[a-z][a-z0-9_]{0,47}")) {
            throw new IllegalArgumentException("tableName must be 1 to 48 of [a-z0-9_] starting with a letter, "
                    + "optionally schema-qualified");
        }
        return name;
    }

    /**
     * Starts a store over a data source.
     *
     * @param dataSource the pool to use
     * @return a builder
     * @throws NullPointerException if dataSource is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Configures a {@link JdbcKeyStore}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String tableName = "api_keys";
        private Duration queryTimeout = Duration.ofSeconds(2);
        private Dialect dialect;
        private boolean pushChanges = true;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The table; default {@code api_keys}. Its sequence and indexes are named after it.
         *
         * @return this builder
         * @param name 1 to 48 of {@code [a-z0-9_]}, starting with a letter, optionally prefixed by a schema
         *             of the same rule and a dot
         * @throws IllegalArgumentException if the name breaks that rule
         */
        public Builder tableName(String name) {
            this.tableName = requireTableName(name);
            return this;
        }

        /**
         * The timeout of every statement; default 2 s. Keep it short: a verify that misses the cache waits
         * for it.
         *
         * @param timeout the statement timeout
         * @return this builder
         * @throws IllegalArgumentException unless 1 s to 60 s
         */
        public Builder queryTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "queryTimeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("queryTimeout must be 1 s to 60 s, was " + timeout);
            }
            this.queryTimeout = timeout;
            return this;
        }

        /**
         * The database's dialect; by default read from the connection's metadata on first use.
         *
         * @param dialect the dialect
         * @return this builder
         */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Whether, on PostgreSQL, changes are pushed to other instances with {@code LISTEN}/{@code NOTIFY} (each
         * {@code ApiKeys} on the store then holds one pooled connection); default on. Off, other instances learn
         * of changes by polling only.
         *
         * @param push whether to push
         * @return this builder
         */
        public Builder pushChanges(boolean push) {
            this.pushChanges = push;
            return this;
        }

        /**
         * Builds the store; does not connect.
         *
         * @return the store
         */
        public JdbcKeyStore build() {
            return new JdbcKeyStore(this);
        }
    }

    /**
     * Creates the table, its sequence and indexes unless they exist, from the dialect's schema file.
     *
     * @throws KeyStoreException if the database refuses
     */
    public void createSchemaIfMissing() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(queryTimeoutSeconds);
            String sql = schema(dialect(c)).replace("api_keys", table);
            for (String statement : sql.split(";")) {
                String trimmed = stripComments(statement);
                if (!trimmed.isEmpty()) {
                    s.execute(trimmed);
                }
            }
        } catch (SQLException e) {
            throw failure("create schema", e);
        }
    }

    private static String schema(Dialect dialect) {
        try (InputStream in = JdbcKeyStore.class.getResourceAsStream(dialect.schemaFile())) {
            if (in == null) {
                throw new IllegalStateException("schema file " + dialect.schemaFile() + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dialect.schemaFile(), e);
        }
    }

    private static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        return out.toString().strip();
    }

    /**
     * Every record in one transaction: an insert per new key, an {@code UPDATE ... WHERE key_id = ? AND version = ?}
     * per replace; the first that finds a duplicate id or another version rolls the whole transaction back.
     */
    @Override
    public void write(List<KeyWrite> writes) {
        write(writes, List.of());
    }

    /** The records as {@link #write(List)} writes them, and an insert per event, in the same transaction. */
    @Override
    public void write(List<KeyWrite> writes, List<KeyEvent> newEvents) {
        List<KeyWrite> checked = KeyStore.requireWrites(writes);
        List<KeyEvent> adding = KeyHistory.requireEvents(newEvents);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (KeyWrite w : checked) {
                    if (w.isInsert()) {
                        insert(c, w.key());
                    } else {
                        replace(c, w);
                    }
                }
                insertEvents(c, adding);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    private void insert(Connection c, StoredKey key) throws SQLException {
        String sql = "INSERT INTO " + table + " (" + COLUMNS + ", change_seq) VALUES "
                + "(" + KeyRows.PLACEHOLDERS + dialect(c).nextChange(table) + ")";
        try (PreparedStatement ps = prepare(c, sql)) {
            KeyRows.bind(ps, key);
            ps.executeUpdate();
            notifyChanged(c, key.keyId());
        } catch (SQLException e) {
            if (isDuplicate(e)) {
                throw new DuplicateKeyException(key.keyId());
            }
            throw e;
        }
    }

    /** A replace at the expected version; a change of version takes a new change-feed number and is announced. */
    private void replace(Connection c, KeyWrite w) throws SQLException {
        String sql = "UPDATE " + table + " SET " + KeyRows.REPLACE_COLUMNS
                + (w.changesVersion() ? ", change_seq = " + dialect(c).nextChange(table) : "")
                + " WHERE key_id = ? AND version = ?";
        try (PreparedStatement ps = prepare(c, sql)) {
            int next = KeyRows.bindReplace(ps, w.key());
            ps.setString(next, w.key().keyId());
            ps.setLong(next + 1, w.expectedVersion());
            if (ps.executeUpdate() != 1) {
                throw new VersionConflictException(w.key().keyId(), w.expectedVersion());
            }
        }
        if (w.changesVersion()) {
            notifyChanged(c, w.key().keyId());
        }
    }

    private void insertEvents(Connection c, List<KeyEvent> adding) throws SQLException {
        if (adding.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = prepare(c, events.insertSql())) {
            EventRows.bindEvents(ps, adding);
            ps.executeBatch();
        }
    }

    /** The events in one transaction. */
    @Override
    public void append(List<KeyEvent> newEvents) {
        List<KeyEvent> adding = KeyHistory.requireEvents(newEvents);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                insertEvents(c, adding);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure("append events", e);
        }
    }

    /** One statement: filtered, ordered newest first and cut in SQL, from the by-key or by-tenant index. */
    @Override
    public List<KeyEvent> findEvents(EventFilter filter, int limit) {
        KeyHistory.requirePage(filter, limit);
        EventRows.Page page = events.page(filter, limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, page.sql())) {
            EventRows.bindPage(ps, page.parameters());
            try (ResultSet rs = ps.executeQuery()) {
                return EventRows.read(rs);
            }
        } catch (SQLException e) {
            throw failure("find events", e);
        }
    }

    @Override
    public int purgeBefore(Instant cutoff, int max) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, events.purgeSql())) {
            KeyRows.setInstant(ps, 1, cutoff);
            ps.setInt(2, max);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("purge events", e);
        }
    }

    @Override
    public Optional<StoredKey> findById(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        List<StoredKey> found = query("find by id", "SELECT " + COLUMNS + " FROM " + table + " WHERE key_id = ?",
                keyId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Legacy keys (issue 29): one indexed read by the look-up digest's unique index. */
    @Override
    public Optional<StoredKey> findByLookupDigest(String lookupDigest) {
        Objects.requireNonNull(lookupDigest, "lookupDigest");
        List<StoredKey> found = query("find by legacy digest", "SELECT " + COLUMNS + " FROM " + table
                + " WHERE legacy_digest = ?", lookupDigest);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Imports (issue 29, import29): one indexed read by the external id's unique index. */
    @Override
    public Optional<StoredKey> findByExternalId(String externalId) {
        Objects.requireNonNull(externalId, "externalId");
        List<StoredKey> found = query("find by external id", "SELECT " + COLUMNS + " FROM " + table
                + " WHERE external_id = ?", externalId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Imports (issue 29, import29): {@value #IDS_PER_READ} ids a statement, each found by the unique index. */
    @Override
    public Map<String, StoredKey> findByExternalIds(Collection<String> externalIds) {
        List<String> ids = List.copyOf(externalIds);
        Map<String, StoredKey> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_READ) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + IDS_PER_READ));
            String sql = "SELECT " + COLUMNS + " FROM " + table + " WHERE external_id IN ("
                    + String.join(", ", java.util.Collections.nCopies(part.size(), "?")) + ")";
            for (StoredKey k : query("find by external ids", sql, part.toArray())) {
                found.put(k.externalId(), k);
            }
        }
        return found;
    }

    /** External ids per statement of {@link #findByExternalIds}: well under both databases' parameter limits. */
    private static final int IDS_PER_READ = 500;

    /**
     * One page in a single statement: filtered, sorted and cut in SQL ({@link PageSql}), so that the database reads
     * the page from the tenant's index and sends {@code limit} rows, however many keys the tenant has.
     */
    @Override
    public List<StoredKey> findPage(KeyFilter filter, int limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (filter.tenantIds() != null && filter.tenantIds().isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            List<StoredKey> keys = new ArrayList<>();
            KeyFilter from = filter;
            while (true) {
                int wanted = limit - keys.size();
                PageSql page = PageSql.of(table, dialect(c), from, wanted);
                List<StoredKey> rows;
                try (PreparedStatement ps = prepare(c, page.sql())) {
                    rows = read(ps, page.parameters().toArray());
                }
                // The SQL may let through a name beyond ASCII that the rule leaves out; read on past it.
                rows.stream().filter(filter::matches).forEach(keys::add);
                if (rows.size() < wanted || keys.size() >= limit) {
                    return keys;
                }
                from = from.after(rows.get(rows.size() - 1));
            }
        } catch (SQLException e) {
            throw failure("find page", e);
        }
    }

    /** Runs a query; string parameters are bound as text, instants as UTC timestamps. */
    private List<StoredKey> query(String what, String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql)) {
            return read(ps, parameters);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Binds strings as text, instants as UTC timestamps and integers as integers, and reads every row. */
    private static List<StoredKey> read(PreparedStatement ps, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof Instant at) {
                KeyRows.setInstant(ps, i + 1, at);
            } else if (parameters[i] instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) parameters[i]);
            }
        }
        try (ResultSet rs = ps.executeQuery()) {
            List<StoredKey> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(KeyRows.read(rs));
            }
            return keys;
        }
    }

    /** An insert into the notices table; a duplicate means another instance recorded it first, whose time wins. */
    @Override
    public Optional<Instant> recordNotice(String keyId, String notice, Instant sentAt) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(sentAt, "sentAt");
        NoticeLog.requireNotice(notice);
        String notices = table + "_notices";
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = prepare(c, "INSERT INTO " + notices + " (key_id, notice, sent_utc) VALUES (?, ?, ?)")) {
                ps.setString(1, keyId);
                ps.setString(2, notice);
                KeyRows.setInstant(ps, 3, sentAt);
                ps.executeUpdate();
                return Optional.empty();
            } catch (SQLException e) {
                if (!isDuplicate(e)) {
                    throw e;
                }
            }
            try (PreparedStatement ps = prepare(c, "SELECT sent_utc FROM " + notices + " WHERE key_id = ? AND notice = ?")) {
                ps.setString(1, keyId);
                ps.setString(2, notice);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("notice vanished after a duplicate insert", "40001");
                    }
                    return Optional.of(rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
                }
            }
        } catch (SQLException e) {
            throw failure("record notice", e);
        }
    }

    /** One batched statement for the whole map; a stored time that is later is kept. */
    @Override
    public void recordLastUsed(Map<String, Instant> lastUsed) {
        Objects.requireNonNull(lastUsed, "lastUsed");
        if (lastUsed.isEmpty()) {
            return;
        }
        String sql = "UPDATE " + table + " SET last_used_utc = ? WHERE key_id = ? "
                + "AND (last_used_utc IS NULL OR last_used_utc < ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql)) {
            for (Map.Entry<String, Instant> e : lastUsed.entrySet()) {
                KeyRows.setInstant(ps, 1, e.getValue());
                ps.setString(2, e.getKey());
                KeyRows.setInstant(ps, 3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw failure("record last use", e);
        }
    }

    @Override
    public Optional<Tenant> findTenant(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        String sql = "SELECT " + KeyRows.TENANT_COLUMNS + " FROM " + table + "_tenants WHERE tenant_id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql)) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(KeyRows.tenant(tenantId, rs));
            }
        } catch (SQLException e) {
            throw failure("find tenant", e);
        }
    }

    /**
     * An insert for version 0 (a duplicate: another writer was first), else an update at the expected version; either
     * takes the next number of the change feed, so other instances drop the tenant's cached keys.
     */
    @Override
    public void writeTenant(Tenant tenant, long expectedVersion) {
        Objects.requireNonNull(tenant, "tenant");
        try (Connection c = dataSource.getConnection()) {
            String next = dialect(c).nextChange(table);
            String sql = expectedVersion == 0
                    ? "INSERT INTO " + table + "_tenants (" + KeyRows.TENANT_COLUMNS + ", change_seq, tenant_id) "
                            + "VALUES (?, ?, ?, ?, ?, ?, " + next + ", ?)"
                    : "UPDATE " + table + "_tenants SET allowances = ?, allowed_countries = ?, status = ?, "
                            + "plan_scopes = ?, max_live_keys = ?, version = ?, change_seq = " + next
                            + " WHERE tenant_id = ? AND version = ?";
            try (PreparedStatement ps = prepare(c, sql)) {
                KeyRows.setTenant(ps, 1, tenant);
                ps.setString(7, tenant.tenantId());
                if (expectedVersion != 0) {
                    ps.setLong(8, expectedVersion);
                }
                if (ps.executeUpdate() != 1) {
                    throw new VersionConflictException("tenant:" + tenant.tenantId(), expectedVersion);
                }
            }
        } catch (SQLException e) {
            if (isDuplicate(e)) {
                throw new VersionConflictException("tenant:" + tenant.tenantId(), expectedVersion);
            }
            throw failure("write tenant", e);
        }
    }

    @Override
    public long changeFeedPosition() {
        String sql = "SELECT GREATEST(COALESCE(MAX(change_seq), 0), (SELECT COALESCE(MAX(change_seq), 0) FROM " + table
                + "_tenants)) FROM " + table;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("read change feed position", e);
        }
    }

    /**
     * The keys changed after {@code position}. A transaction that took a lower sequence number may commit after one
     * with a higher number was read: the returned position then stops before the missing number, so the next call
     * reads from there again (returning some keys twice, which only drops them from caches again), until the number
     * turns up or {@value #LATE_COMMIT_MILLIS} ms have passed (a rolled-back change never turns up).
     */
    @Override
    public KeyChanges changesSince(long position) {
        // Keys and tenants share the sequence: one ordered read of both, the holes reckoned across them.
        String sql = "SELECT key_id, 0 AS tenant, change_seq FROM " + table + " WHERE change_seq > ? UNION ALL "
                + "SELECT tenant_id, 1, change_seq FROM " + table + "_tenants WHERE change_seq > ? ORDER BY 3";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql)) {
            ps.setLong(1, position);
            ps.setLong(2, position);
            Set<String> ids = new LinkedHashSet<>();
            Set<String> tenants = new LinkedHashSet<>();
            long settled = position;
            boolean waiting = false;
            long now = System.currentTimeMillis();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    (rs.getInt(2) == 1 ? tenants : ids).add(rs.getString(1));
                    long seq = rs.getLong(3);
                    if (waiting) {
                        continue;
                    }
                    for (long missing = settled + 1; missing < seq && !waiting; missing++) {
                        long firstSeen = holes.computeIfAbsent(missing, m -> now);
                        waiting = now - firstSeen < LATE_COMMIT_MILLIS;
                    }
                    if (!waiting) {
                        settled = seq;
                    }
                }
            }
            long done = settled;
            holes.keySet().removeIf(seq -> seq <= done);
            return new KeyChanges(settled, List.copyOf(ids), List.copyOf(tenants));
        } catch (SQLException e) {
            throw failure("read change feed", e);
        }
    }

    /**
     * On PostgreSQL, a listener that pushes each changed key id as its change commits ({@code LISTEN}/{@code NOTIFY}),
     * holding one connection of the pool; elsewhere (H2), or if the database cannot be reached to tell, empty.
     */
    @Override
    public Optional<AutoCloseable> subscribeToChanges(java.util.function.Consumer<String> changed) {
        Objects.requireNonNull(changed, "changed");
        if (!pushChanges) {
            return Optional.empty();
        }
        Dialect d = dialect;
        if (d == null) {
            try (Connection c = dataSource.getConnection()) {
                d = dialect(c);
            } catch (SQLException | KeyStoreException e) {
                org.slf4j.LoggerFactory.getLogger("dev.apikey.jdbc.listen").warn(
                        "cannot tell the database of {}; key changes are polled only: {}", table, e.toString());
                return Optional.empty();
            }
        }
        if (d != Dialect.POSTGRESQL) {
            return Optional.empty();
        }
        return Optional.of(new PgChangeListener(dataSource, channel, table, changed).start());
    }

    /** On PostgreSQL, tells listeners the key changed; sent when the surrounding transaction commits. */
    private void notifyChanged(Connection c, String keyId) throws SQLException {
        if (dialect(c) != Dialect.POSTGRESQL) {
            return;
        }
        try (PreparedStatement ps = prepare(c, "SELECT pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, keyId);
            ps.execute();
        }
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setQueryTimeout(queryTimeoutSeconds);
        return ps;
    }

    /** The dialect of the database behind {@code c}, read once. */
    Dialect dialectOf(Connection c) throws SQLException {
        return dialect(c);
    }

    private Dialect dialect(Connection c) throws SQLException {
        Dialect d = dialect;
        if (d == null) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                d = Dialect.POSTGRESQL;
            } else if (product.contains("h2")) {
                d = Dialect.H2;
            } else {
                throw new KeyStoreException("unsupported database '" + product + "': PostgreSQL or H2 only", null);
            }
            dialect = d;
        }
        return d;
    }

    private static boolean isDuplicate(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    private KeyStoreException failure(String what, SQLException e) {
        // The SQL state and class only: driver messages may quote row values.
        return new KeyStoreException(table + ": " + what + " failed (SQL state " + e.getSQLState() + ", "
                + e.getClass().getSimpleName() + ")", e);
    }

    @Override
    public String toString() {
        return "JdbcKeyStore[" + table + "]";
    }

    // Verify counts (issue 27), kept by JdbcUsageStore in <table>_usage.

    @Override
    public void addUsage(List<UsageCount> counts) {
        usage.addUsage(counts);
    }

    @Override
    public List<UsageCount> readUsage(dev.apikey.model.UsageSubject subject, dev.apikey.model.UsageGrain grain,
            Instant from, Instant to) {
        return usage.readUsage(subject, grain, from, to);
    }

    @Override
    public List<dev.apikey.model.UsageTotal> topUsage(String tenantId, dev.apikey.model.UsageGrain grain,
            Instant from, Instant to, dev.apikey.model.UsageTotal.Rank rank, int limit) {
        return usage.topUsage(tenantId, grain, from, to, rank, limit);
    }

    @Override
    public long purgeUsage(dev.apikey.model.UsageGrain grain, Instant before) {
        long rows = usage.purgeUsage(grain, before);
        return grain == dev.apikey.model.UsageGrain.HOUR ? rows + countries.purge(before) : rows;
    }

    /** {@return {@code true}: countries are kept by the hour in {@code <table>_usage_countries}} */
    @Override
    public boolean keepsCountries() {
        return true;
    }

    @Override
    public void addCountries(List<dev.apikey.spi.UsageCountry> seen) {
        countries.add(seen);
    }

    @Override
    public List<dev.apikey.spi.UsageCountry> readCountries(String keyId, Instant from, Instant to) {
        return countries.read(keyId, from, to);
    }

    // Anomalies (issue 27 §3), kept by JdbcAnomalyLog.

    @Override
    public boolean acquireLease(String name, String holder, Instant now, java.time.Duration ttl) {
        return anomalies.acquireLease(name, holder, now, ttl);
    }

    @Override
    public boolean openAnomaly(dev.apikey.model.Anomaly anomaly) {
        return anomalies.openAnomaly(anomaly);
    }

    @Override
    public int closeAnomalies(Instant windowEndedBy, Instant closedAt) {
        return anomalies.closeAnomalies(windowEndedBy, closedAt);
    }

    @Override
    public List<dev.apikey.model.Anomaly> readAnomalies(String tenantId, String keyId, boolean openOnly, int limit) {
        return anomalies.readAnomalies(tenantId, keyId, openOnly, limit);
    }

    @Override
    public long purgeAnomalies(Instant before) {
        return anomalies.purgeAnomalies(before);
    }

    // Tenants' webhook endpoints (issue 27 §3), kept by JdbcWebhookStore in <table>_webhooks.

    @Override
    public void insertWebhook(dev.apikey.model.WebhookEndpoint endpoint) {
        webhooks.insertWebhook(endpoint);
    }

    @Override
    public List<dev.apikey.model.WebhookEndpoint> findWebhooks(String tenantId) {
        return webhooks.findWebhooks(tenantId);
    }

    @Override
    public boolean deleteWebhook(String tenantId, String webhookId) {
        return webhooks.deleteWebhook(tenantId, webhookId);
    }

    @Override
    public boolean disableWebhook(String tenantId, String webhookId, Instant at, String reason) {
        return webhooks.disableWebhook(tenantId, webhookId, at, reason);
    }
}
