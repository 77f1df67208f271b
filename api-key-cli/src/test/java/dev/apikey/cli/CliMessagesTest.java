package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.cli.ApiKeyCliTest.Run;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refusal names the flag the user typed, not the library's Java field, keeps the rule word for word, writes a
 * duration as it is typed ({@code 400d}, not {@code PT9600H}), exits with 2 and changes nothing.
 */
class CliMessagesTest {

    private static final String DATE_RANGE = "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z "
            + "(year 9999 at most), was +10000-01-01T00:00:00Z";

    @TempDir
    Path dir;

    private Run run(String... args) {
        return ApiKeyCliTest.run(dir, args);
    }

    /** Runs a line that must be refused as a bad argument, and returns its one line without {@code apikey: }. */
    private String refused(String... args) {
        Run r = run(args);
        assertThat(r.code()).as("%s: %s", String.join(" ", args), r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("apikey: ");
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        String message = r.err().strip().substring("apikey: ".length());
        assertThat(message).as("names no Java field").doesNotContainPattern(
                "^(expiresAt|rotateBy|tenantId|allowedAddresses|metadata|overlap|within|requests|name|owner)\\b")
                .doesNotContainPattern("\\bPT[0-9]");
        return message;
    }

    @Test
    void createNamesTheFlagOfEachRefusedValueAndCreatesNothing() {
        String key = ApiKeyCliTest.keyIn(run("create", "--name", "first", "--scope", "events:read").out());
        String before = run("list", "--json").out();

        assertThat(refused("create", "--name", "x", "--scope", "events:read", "--expires", "2020-01-01"))
                .isEqualTo("--expires must be in the future, was 2020-01-01T00:00:00Z");
        assertThat(refused("create", "--name", "x", "--scope", "events:read", "--expires", "+10000-01-01T00:00:00Z"))
                .isEqualTo("--expires " + DATE_RANGE);
        assertThat(refused("create", "--name", "x", "--scope", "events:read", "--rotate-by", "+10000-01-01T00:00:00Z"))
                .isEqualTo("--rotate-by " + DATE_RANGE);
        assertThat(refused("create", "--name", " x", "--scope", "events:read"))
                .isEqualTo("--name must not start or end with whitespace");
        assertThat(refused("create", "--name", "copy of " + key, "--scope", "events:read"))
                .startsWith("--name must not hold an API key").doesNotContain(key);
        assertThat(refused("create", "--name", "x", "--owner", key, "--scope", "events:read"))
                .startsWith("--owner must not hold an API key").doesNotContain(key);
        assertThat(refused("create", "--name", "x", "--tenant", "a b", "--scope", "events:read"))
                .startsWith("--tenant ");
        assertThat(refused("create", "--name", "x", "--scope", "events:read", "--meta", "a b=c"))
                .isEqualTo("--meta key must be 1 to 64 of [A-Za-z0-9._-]");
        assertThat(refused("create", "--name", "x", "--scope", "events:read", "--allow", "10.0.0.1/33"))
                .isEqualTo("--allow: allowed range prefix must be 0 to 32");
        assertThat(refused("create", "--name", "x", "--scope", "events:read", "--rate-limit", "9999999999/s"))
                .isEqualTo("--rate-limit requests must be 1 to 1000000000, was 9999999999");

        assertThat(run("list", "--json").out()).as("nothing created").isEqualTo(before);
    }

    @Test
    void jsonFailuresNameTheFlagToo() {
        run("create", "--name", "first", "--scope", "events:read");
        Run r = run("--json", "create", "--name", "x", "--scope", "events:read", "--expires", "2020-01-01");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("\"code\" : \"bad_argument\"")
                .contains("\"message\" : \"--expires must be in the future, was 2020-01-01T00:00:00Z\"");
    }

    @Test
    void editRotateAndListNameTheirFlagsAndWriteDurationsAsTyped() {
        String id = ApiKeyCliTest.keyIdOf(ApiKeyCliTest.keyIn(run("create", "--name", "e", "--scope", "events:read",
                "--expires", "2099-01-01").out()));
        String before = run("show", id, "--json").out();

        assertThat(refused("edit", id, "--expires", "2020-01-01"))
                .isEqualTo("--expires must be in the future, was 2020-01-01T00:00:00Z");
        assertThat(refused("edit", id, "--expires", "+10000-01-01T00:00:00Z")).isEqualTo("--expires " + DATE_RANGE);
        assertThat(refused("edit", id, "--name", "x "))
                .isEqualTo("--name must not start or end with whitespace");
        assertThat(refused("rotate", id, "--overlap", "400d"))
                .isEqualTo("--overlap must be between 0 and 365 days, was 400d");
        assertThat(refused("rotate", id, "--overlap", "9601h"))
                .isEqualTo("--overlap must be between 0 and 365 days, was 9601h");
        assertThat(refused("rotate", id, "--overlap", "-PT1H"))
                .isEqualTo("--overlap must be between 0 and 365 days, was -1h");
        assertThat(refused("list", "--expiring", "4000d"))
                .isEqualTo("--expiring must be 1 minute to 3650 days, was 4000d");
        assertThat(refused("list", "--tenant", "a b")).startsWith("--tenant ");
        assertThat(run("show", id, "--json").out()).as("nothing changed").isEqualTo(before);

        // A replaced key's expiry is the end of its overlap: the flag, the key and the way out are named.
        String successor = ApiKeyCliTest.keyIdOf(ApiKeyCliTest.keyIn(run("rotate", id, "--overlap", "36h").out()));
        String overlap = ": its expiry is the end of its rotation's overlap (replaced by " + successor
                + "); revoke it to end the overlap early";
        assertThat(refused("edit", id, "--expires", "2098-01-01"))
                .isEqualTo("--expires and --no-expiry cannot change key " + id + overlap);
        assertThat(refused("edit", id, "--no-expiry")).isEqualTo("--expires and --no-expiry cannot change key " + id
                + overlap);
    }

    @Test
    void rotateSaysHowLongTheOldKeyWorksAsPeopleWriteIt() {
        String id = ApiKeyCliTest.keyIdOf(ApiKeyCliTest.keyIn(run("create", "--name", "r", "--scope", "events:read")
                .out()));
        Run rotated = run("rotate", id, "--overlap", "PT36H");
        assertThat(rotated.code()).isZero();
        assertThat(rotated.out()).contains(id + " keeps working for 36h:");
    }

    @Test
    void limitsArePrintedAsTheOptionsTakeThem() {
        Run created = run("create", "--name", "l", "--scope", "events:read", "--rate-limit", "600/min", "--quota",
                "10000/day");
        assertThat(created.out()).containsPattern("rate_limit +600/min\\R").containsPattern("quota +10000/day\\R")
                .doesNotContain("PT1M").doesNotContain("period_seconds");
        String key = ApiKeyCliTest.keyIn(created.out());
        Run diagnosed = run("diagnose", key);
        assertThat(diagnosed.out()).containsPattern("rate limit +600/min").doesNotContain("PT1M");
        String id = ApiKeyCliTest.keyIdOf(key);
        assertThat(run("edit", id, "--rate-limit", "10/s").out()).containsPattern("rate_limit +10/s\\R");
        assertThat(run("show", id, "--json").out()).as("JSON keeps its fields").contains("\"period_seconds\" : 1");
        assertThat(Flags.rateLimit(new dev.apikey.model.RateLimit(5, Duration.ofMinutes(90)))).isEqualTo("5/90m");
        assertThat(Flags.rateLimit(new dev.apikey.model.RateLimit(7, Duration.ofDays(1)))).isEqualTo("7/d");
    }

    @Test
    void durationsAreWrittenInTheLargestUnitThatDividesThem() {
        assertThat(Flags.human(Duration.ofDays(400))).isEqualTo("400d");
        assertThat(Flags.human(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(Flags.human(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Flags.human(Duration.ofSeconds(61))).isEqualTo("61s");
        assertThat(Flags.human(Duration.ZERO)).isEqualTo("0s");
        assertThat(Flags.human(Duration.ofHours(-1))).isEqualTo("-1h");
        assertThat(Flags.human(Duration.ofMillis(1500))).isEqualTo("PT1.5S");
        assertThat(Flags.translate("limit must be 1 to 1000, was 5000")).as("not a duration: as is")
                .isEqualTo("limit must be 1 to 1000, was 5000");
        assertThat(Flags.translate("key PT12H3MS was rotated")).as("only after 'was'")
                .isEqualTo("key PT12H3MS was rotated");
    }

    @Test
    void aFullTenantIsSaidReadablyWithWhatToDoAndItsOwnCode() {
        Exception full = new dev.apikey.model.KeyLimitReachedException("92", 1000);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();

        int code = Errors.report(full, false, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        Errors.report(full, true, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("apikey: tenant 92 already has 1000 live keys (active or "
                + "disabled), its limit: revoke the keys it no longer needs (apikey list --tenant 92; apikey revoke "
                + "<key-id>), then create again");
        assertThat(out.toString()).contains("\"code\" : \"key_limit_reached\"");
        assertThat(Errors.code(new dev.apikey.model.TooManyCreatesException(30, Duration.ofSeconds(2))))
                .isEqualTo("too_many_creates");
    }
}
