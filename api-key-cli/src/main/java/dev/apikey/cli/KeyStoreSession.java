package dev.apikey.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.ApiKeys;
import dev.apikey.jdbc.JdbcKeyStore;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * A key database, its key table and an {@link ApiKeys} over it, closed together. Only {@code create} and
 * {@code demo} make a database or table that is missing; every other command says that there is none. H2 file
 * databases are shared between processes on loopback only, with a password: see {@link H2FileDatabase}.
 */
final class KeyStoreSession implements AutoCloseable {

    private static final String TABLE = "api_keys";
    /** H2's "database not found" codes: with IFEXISTS=TRUE, and for a missing file otherwise. */
    private static final int H2_NOT_FOUND_IF_EXISTS = 90146;
    private static final int H2_NOT_FOUND = 90013;
    /** PostgreSQL's invalid_catalog_name: the database does not exist. */
    private static final String PG_NO_DATABASE = "3D000";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KeyStoreSession.class);

    final HikariDataSource dataSource;
    final ApiKeys apiKeys;
    /** The store itself: what export and copy read (stored hashes, history). */
    final JdbcKeyStore store;

    private KeyStoreSession(HikariDataSource dataSource, ApiKeys apiKeys, JdbcKeyStore store) {
        this.dataSource = dataSource;
        this.apiKeys = apiKeys;
        this.store = store;
    }

    /**
     * Opens a key store session.
     *
     * @param password the password the user chose, or null for none: an H2 file database then has the generated
     *     one ({@link H2FileDatabase}), PostgreSQL the empty one
     */
    static KeyStoreSession open(String url, String user, String password, String prefix, boolean mayCreate) {
        return open(url, user, password, prefix, mayCreate, null, null);
    }

    /**
     * Opens a key store session whose keys are hashed with {@code hasher} (a peppered one: import, copy), or the
     * default when it is null; with a longer store query timeout than the default where one is given (an import's
     * batch is one transaction, and its history one batched statement).
     */
    static KeyStoreSession open(String url, String user, String password, String prefix, boolean mayCreate,
            dev.apikey.spi.SecretHasher hasher, java.time.Duration queryTimeout) {
        H2FileDatabase.bindServerToLoopback();
        boolean h2 = url.startsWith("jdbc:h2:");
        if (!h2 && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--db must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        HikariConfig config = new HikariConfig();
        H2FileDatabase.Connect h2Connect = h2 ? H2FileDatabase.prepare(url, user, password, mayCreate) : null;
        String jdbcUrl = h2 ? h2Connect.url() : url;
        config.setJdbcUrl(h2 && !mayCreate ? existingOnly(jdbcUrl) : jdbcUrl);
        config.setUsername(user);
        config.setPassword(h2 ? h2Connect.password() : password == null ? "" : password);
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        config.setPoolName("apikey");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            if (isMissingDatabase(e)) {
                throw noDatabase(url, "no key database");
            }
            throw e;
        }
        if (h2Connect != null) {
            h2Connect.restrictFiles();
        }
        try {
            JdbcKeyStore.Builder storeBuilder = JdbcKeyStore.builder(dataSource).tableName(TABLE);
            JdbcKeyStore store = (queryTimeout == null ? storeBuilder : storeBuilder.queryTimeout(queryTimeout)).build();
            if (!mayCreate && !tableExists(dataSource)) {
                throw noDatabase(url, "no key table " + TABLE + " in the database");
            }
            // Creates what is missing for create and demo; for the others it only upgrades an older table.
            store.createSchemaIfMissing();
            dev.apikey.ApiKeysBuilder builder = ApiKeys.builder().prefix(prefix).store(store).scopes(SeedApi.SCOPES);
            ApiKeys apiKeys = (hasher == null ? builder : builder.hasher(hasher)).build();
            return new KeyStoreSession(dataSource, apiKeys, store);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** An H2 URL that opens a database only if it exists (H2 creates one on connect otherwise). */
    private static String existingOnly(String url) {
        boolean memory = url.startsWith("jdbc:h2:mem:");
        boolean asked = url.toUpperCase(Locale.ROOT).contains(";IFEXISTS=");
        return memory || asked ? url : url + ";IFEXISTS=TRUE";
    }

    private static boolean tableExists(HikariDataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            for (String name : new String[] {TABLE, TABLE.toUpperCase(Locale.ROOT)}) {
                try (ResultSet rs = meta.getTables(null, null, name, new String[] {"TABLE"})) {
                    if (rs.next()) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            throw new dev.apikey.spi.KeyStoreException("cannot read the database's tables (SQL state "
                    + e.getSQLState() + ")", e);
        }
    }

    private static boolean isMissingDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == H2_NOT_FOUND_IF_EXISTS
                    || s.getErrorCode() == H2_NOT_FOUND || PG_NO_DATABASE.equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static CliException noDatabase(String url, String what) {
        return new CliException("no_database", what + " at " + withoutParameters(url)
                + "; 'apikey create' makes one, or name another with --db", 1);
    }

    /** The URL up to its parameters, which may hold a password. */
    private static String withoutParameters(String url) {
        int cut = url.length();
        for (char c : new char[] {';', '?'}) {
            int i = url.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return url.substring(0, cut);
    }

    @Override
    public void close() {
        apiKeys.close();
        if (dataSource.getJdbcUrl().startsWith("jdbc:h2:")) {
            // Every commit on disk before the pool lets go: the next command may open the file while this one's
            // database is still closing (two commands back to back in one JVM, as the tests run them), and must find
            // this one's last change there.
            try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            } catch (SQLException e) {
                LOG.warn("could not flush the H2 database to disk before closing it: {}", e.toString());
            }
        }
        dataSource.close();
    }
}
