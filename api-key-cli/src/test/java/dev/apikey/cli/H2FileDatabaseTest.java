package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the CLI keeps an H2 file database: a generated password in an owner-only file beside it unless the user
 * chose one, databases of earlier versions (empty password) opened and moved to a generated one, owner-only files.
 * In-process, on real H2 files; {@link DemoProcessTest} checks the server's address in a real process.
 */
class H2FileDatabaseTest {

    private static final String OWNER_ONLY = "rw-------";

    @TempDir
    Path dir;

    @BeforeAll
    static void beforeH2Loads() {
        H2FileDatabase.bindServerToLoopback();
    }

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
    }

    private Path base() {
        return dir.resolve("keys").toAbsolutePath();
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--db", "jdbc:h2:" + base()));
        all.addAll(List.of(args));
        int code = ApiKeyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        CliLeakCheck.output(all.toArray(String[]::new), out + "\n" + err);
        return new Run(code, out.toString(), err.toString());
    }

    private Path file(String suffix) {
        return dir.resolve("keys" + suffix);
    }

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    /** Opens the database as any H2 client would, with this password. */
    private Connection open(String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "");
        p.setProperty("password", password);
        return new org.h2.Driver().connect("jdbc:h2:" + base() + ";IFEXISTS=TRUE", p);
    }

    private void assertRefuses(String password) {
        assertThatThrownBy(() -> open(password).close()).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).as("wrong user name or password").isEqualTo(28000));
    }

    @Test
    void aNewDatabaseGetsAGeneratedPasswordInAnOwnerOnlyFile() throws Exception {
        Run created = run("create", "--name", "first", "--scope", "events:read");
        assertThat(created.code()).as(created.err()).isZero();

        Path passwordFile = file(H2FileDatabase.PASSWORD_SUFFIX);
        String password = Files.readString(passwordFile).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        assertThat(permissions(passwordFile)).isEqualTo(OWNER_ONLY);
        assertThat(permissions(file(".mv.db"))).isEqualTo(OWNER_ONLY);
        assertRefuses("");
        open(password).close();
        assertThat(created.out() + created.err()).doesNotContain(password);
        Run listed = run("list");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("first");
    }

    @Test
    void aDatabaseWithTheEmptyPasswordStillOpensAndMovesToAGeneratedPassword() throws Exception {
        // As earlier versions of the CLI left it: the empty password, no password file, readable by all.
        assertThat(run("--db-password", "", "create", "--name", "old", "--scope", "events:read").code()).isZero();
        assertThat(file(H2FileDatabase.PASSWORD_SUFFIX)).doesNotExist();
        Files.setPosixFilePermissions(file(".mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        open("").close();

        Run listed = run("list");

        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("old");
        String password = Files.readString(file(H2FileDatabase.PASSWORD_SUFFIX)).strip();
        assertThat(permissions(file(H2FileDatabase.PASSWORD_SUFFIX))).isEqualTo(OWNER_ONLY);
        assertThat(permissions(file(".mv.db"))).isEqualTo(OWNER_ONLY);
        assertRefuses("");
        open(password).close();
        assertThat(run("list").out()).contains("old");
    }

    @Test
    void aPasswordFileWrittenButNotSetIsSetOnTheNextOpen() throws Exception {
        assertThat(run("--db-password", "", "create", "--name", "old", "--scope", "events:read").code()).isZero();
        Files.writeString(file(H2FileDatabase.PASSWORD_SUFFIX), "written-before-a-crash\n");

        Run listed = run("list");

        assertThat(listed.code()).as(listed.err()).isZero();
        assertRefuses("");
        open("written-before-a-crash").close();
        assertThat(permissions(file(H2FileDatabase.PASSWORD_SUFFIX))).isEqualTo(OWNER_ONLY);
    }

    @Test
    void aChosenPasswordIsUsedAsGivenAndAMissingOneIsAClearRefusalThatWritesNothing() throws Exception {
        assertThat(run("--db-password", "chosen-pw", "create", "--name", "mine", "--scope", "events:read").code())
                .isZero();
        assertThat(file(H2FileDatabase.PASSWORD_SUFFIX)).doesNotExist();
        open("chosen-pw").close();

        Run refused = run("list");

        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("has a password").contains("--db-password").doesNotContain("chosen-pw");
        assertThat(file(H2FileDatabase.PASSWORD_SUFFIX)).doesNotExist();
        Run json = run("--json", "list");
        assertThat(json.out()).contains("\"code\" : \"wrong_db_password\"");
        assertThat(run("--db-password", "chosen-pw", "list").out()).contains("mine");
    }

    @Test
    void aPasswordFileTheDatabaseRefusesIsAClearRefusal() throws Exception {
        assertThat(run("--db-password", "chosen-pw", "create", "--name", "mine", "--scope", "events:read").code())
                .isZero();
        Files.writeString(file(H2FileDatabase.PASSWORD_SUFFIX), "not-the-password\n");

        Run refused = run("list");

        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("refuses the password in keys.db-password").contains("--db-password")
                .doesNotContain("not-the-password");
        open("chosen-pw").close();
    }

    @Test
    void aCommandOnAMissingDatabaseWritesNothing() throws Exception {
        Run missing = run("list");

        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no key database");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void onlyPlainFileUrlsAreSharedAndGetAPassword() {
        assertThat(H2FileDatabase.basePath("jdbc:h2:./apikeys")).contains(Path.of("./apikeys"));
        assertThat(H2FileDatabase.basePath("jdbc:h2:file:/tmp/k;MODE=PostgreSQL")).contains(Path.of("/tmp/k"));
        assertThat(H2FileDatabase.basePath("jdbc:h2:~/k")).contains(Path.of(System.getProperty("user.home"), "k"));
        assertThat(H2FileDatabase.basePath("jdbc:h2:C:/data/k")).contains(Path.of("C:/data/k"));
        for (String other : List.of("jdbc:h2:mem:k", "jdbc:h2:tcp://localhost/k", "jdbc:h2:ssl://h/k",
                "jdbc:h2:nio:/tmp/k", "jdbc:h2:zip:/tmp/k.zip!/k")) {
            assertThat(H2FileDatabase.basePath(other)).as(other).isEqualTo(Optional.empty());
            H2FileDatabase.Connect connect = H2FileDatabase.prepare(other, "", null, true);
            assertThat(connect.url()).as("no server for " + other).isEqualTo(other);
        }
        assertThat(H2FileDatabase.prepare("jdbc:h2:" + base(), "", "chosen", true).url())
                .isEqualTo("jdbc:h2:" + base() + ";AUTO_SERVER=TRUE");
        assertThat(H2FileDatabase.prepare("jdbc:h2:" + base() + ";AUTO_SERVER=FALSE", "", "chosen", true).url())
                .as("the URL's own choice").isEqualTo("jdbc:h2:" + base() + ";AUTO_SERVER=FALSE");
    }
}
