package dev.apikey.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the CLI opens an H2 file database so that {@code apikey create} can run beside {@code apikey demo} without
 * opening the database to anyone else.
 *
 * <p>H2's automatic mixed mode ({@code AUTO_SERVER=TRUE}) lets the first process serve the file to the others over
 * TCP, and advertises the address in the {@code .lock.db} file. H2 binds that server to every interface unless the
 * {@code h2.bindAddress} system property names one, and it reads the property once, when its classes load: this
 * class sets it to {@value #BIND_ADDRESS} before the CLI touches H2 (unless the user set it), and adds
 * {@code AUTO_SERVER} only when the property is in effect.
 *
 * <p>Whoever reaches that port with the database's user and password runs SQL, and H2's SQL runs Java
 * ({@code CREATE ALIAS}), so the database never keeps the empty password unless the user chose it with
 * {@code --db-password}: a new database gets a generated password, kept in {@code <name>.db-password} beside
 * {@code <name>.mv.db}, readable by its owner only; a database made by an earlier version (empty password, no such
 * file) is moved to a generated one the first time the CLI opens it. The database, lock, trace and password files
 * are made readable by their owner only.
 */
final class H2FileDatabase {

    /** The address H2's automatic-mixed-mode server listens on, unless the user sets {@code h2.bindAddress}. */
    static final String BIND_ADDRESS = "127.0.0.1";
    /** Beside {@code <name>.mv.db}: the generated password. */
    static final String PASSWORD_SUFFIX = ".db-password";

    private static final Logger LOG = LoggerFactory.getLogger(H2FileDatabase.class);
    private static final String BIND_PROPERTY = "h2.bindAddress";
    /** H2's "wrong user name or password". */
    private static final int WRONG_PASSWORD = 28000;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final String[] FILE_SUFFIXES = {".mv.db", ".lock.db", ".trace.db", PASSWORD_SUFFIX};
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        bindServerToLoopback();
    }

    /** What to connect with: the URL and the password. */
    record Connect(String url, String password, Optional<Path> base) {

        /** Makes the database's files readable by their owner only (once open, the lock file exists too). */
        void restrictFiles() {
            base.ifPresent(H2FileDatabase::restrictAll);
        }
    }

    private H2FileDatabase() {
    }

    /**
     * Sets {@code h2.bindAddress} to {@value #BIND_ADDRESS} unless the user set it. Called before anything loads
     * H2's classes (PostgreSQL's driver lookup loads every JDBC driver, H2's too): H2 keeps the value it finds then.
     */
    static void bindServerToLoopback() {
        if (System.getProperty(BIND_PROPERTY) == null) {
            System.setProperty(BIND_PROPERTY, BIND_ADDRESS);
        }
    }

    /**
     * The URL and password to open an H2 database with.
     *
     * @param url a {@code jdbc:h2:} URL
     * @param user the database user
     * @param password the password the user chose, or null for none chosen
     * @param mayCreate whether a missing database is created
     * @throws CliException {@code wrong_db_password} if the database refuses the generated and the empty password
     */
    static Connect prepare(String url, String user, String password, boolean mayCreate) {
        Optional<Path> base = basePath(url);
        if (base.isEmpty()) {
            return new Connect(url, password == null ? "" : password, base);
        }
        String upper = url.toUpperCase(Locale.ROOT);
        String shared = !upper.contains(";AUTO_SERVER=") && serverBindsToChosenAddress()
                ? url + ";AUTO_SERVER=TRUE" : url;
        if (password != null || upper.contains(";PASSWORD=")) {
            return new Connect(shared, password == null ? "" : password, base);
        }
        return new Connect(shared, generatedPassword(shared, user, base.get(), mayCreate), base);
    }

    /**
     * The database's path without {@code .mv.db} for a file URL ({@code jdbc:h2:./keys}, {@code jdbc:h2:file:~/keys});
     * empty for in-memory, server and other URLs ({@code mem:}, {@code tcp:}, {@code nio:}, ...).
     */
    static Optional<Path> basePath(String url) {
        String rest = url.substring("jdbc:h2:".length());
        int parameters = rest.indexOf(';');
        rest = parameters < 0 ? rest : rest.substring(0, parameters);
        if (rest.regionMatches(true, 0, "file:", 0, 5)) {
            rest = rest.substring(5);
        } else if (rest.matches("(?s)[A-Za-z]{2,}:.*")) {
            return Optional.empty();
        }
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return Optional.of(Path.of(rest));
    }

    /**
     * Whether H2's server would listen on an address someone chose: the loopback one set here or the user's. H2
     * reads the property once; if its classes loaded before this class (another caller in the same JVM), it binds
     * to every interface, and the file is then opened without a server.
     */
    static boolean serverBindsToChosenAddress() {
        String address = org.h2.engine.SysProperties.BIND_ADDRESS;
        if (address == null || address.isBlank()) {
            LOG.warn("H2 was loaded before the CLI could restrict its server to {}: the database is opened "
                    + "without AUTO_SERVER (apikey create cannot run beside apikey demo)", BIND_ADDRESS);
            return false;
        }
        return true;
    }

    private static String generatedPassword(String url, String user, Path base, boolean mayCreate) {
        Path file = sibling(base, PASSWORD_SUFFIX);
        Path data = sibling(base, ".mv.db");
        if (Files.exists(file)) {
            String password = read(file);
            if (Files.exists(data) && !accepts(url, user, password)) {
                if (!accepts(url, user, "")) {
                    throw new CliException("wrong_db_password", "the H2 database at " + data + " refuses the password"
                            + " in " + file.getFileName() + "; give its password with --db-password", 1);
                }
                // The file was written but the password not set (the process stopped in between): set it now.
                moveToPassword(url, user, password, file);
            }
            return password;
        }
        if (Files.exists(data)) {
            if (!accepts(url, user, "")) {
                throw new CliException("wrong_db_password", "the H2 database at " + data + " has a password and there"
                        + " is no " + file.getFileName() + " beside it; give its password with --db-password", 1);
            }
            String password = create(file);
            moveToPassword(url, user, password, file);
            return password;
        }
        if (!mayCreate) {
            return ""; // no database: opening it fails with no_database, and nothing is written
        }
        createOwnerOnly(data);
        return create(file);
    }

    /** Sets the password of a database that has the empty one (made by an earlier version of the CLI). */
    private static void moveToPassword(String url, String user, String password, Path file) {
        try (Connection c = connect(url, user, "");
                PreparedStatement set = c.prepareStatement("SET PASSWORD ?")) {
            set.setString(1, password);
            set.execute();
        } catch (SQLException e) {
            throw new dev.apikey.spi.KeyStoreException("cannot set the H2 database's password (SQL state "
                    + e.getSQLState() + ")", e);
        }
        LOG.info("The H2 database had the empty password; it now has the generated one in {}", file);
    }

    /** Whether the database opens with this password; false only for H2's wrong-password answer. */
    @SuppressWarnings("try") // the connection is opened only to be closed
    private static boolean accepts(String url, String user, String password) {
        try (Connection ignored = connect(url, user, password)) {
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == WRONG_PASSWORD) {
                return false;
            }
            return true; // another failure (no database, locked): opening it reports that itself
        }
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // Never creates a database: the probes are for one that exists.
        String existing = url.toUpperCase(Locale.ROOT).contains(";IFEXISTS=") ? url : url + ";IFEXISTS=TRUE";
        Connection c = new org.h2.Driver().connect(existing, properties);
        if (c == null) {
            throw new SQLException("not an H2 URL");
        }
        return c;
    }

    private static String read(Path file) {
        try {
            restrict(file);
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new CliException("wrong_db_password", file + " is empty; delete it and give the database's "
                        + "password with --db-password", 1);
            }
            return password;
        } catch (IOException e) {
            throw new CliException("wrong_db_password", "cannot read " + file + " (" + e.getClass().getSimpleName()
                    + ")", 1);
        }
    }

    /** A new random password in a new owner-only file; the one already there if another process was first. */
    private static String create(Path file) {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Files.createFile(file, ownerOnly());
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
            return password;
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } catch (IOException e) {
            throw new CliException("wrong_db_password", "cannot write " + file + " (" + e.getClass().getSimpleName()
                    + ")", 1);
        }
    }

    /** An empty database file, owner-only from the start: H2 fills an empty file as a new database. */
    private static void createOwnerOnly(Path data) {
        try {
            Path parent = data.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(data, ownerOnly());
        } catch (FileAlreadyExistsException e) {
            // made by another process meanwhile: H2 opens it
        } catch (IOException e) {
            LOG.warn("Cannot create {} readable by its owner only ({}); H2 creates it", data,
                    e.getClass().getSimpleName());
        }
    }

    private static void restrictAll(Path base) {
        for (String suffix : FILE_SUFFIXES) {
            Path file = sibling(base, suffix);
            if (Files.exists(file)) {
                restrict(file);
            }
        }
    }

    /** Makes a file readable and writable by its owner only, where the file system has POSIX permissions. */
    private static void restrict(Path file) {
        if (!posix()) {
            return;
        }
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (IOException e) {
            LOG.warn("Cannot make {} readable by its owner only ({})", file, e.getClass().getSimpleName());
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static Path sibling(Path base, String suffix) {
        return base.resolveSibling(base.getFileName() + suffix);
    }
}
