package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.KeyFormat;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apikey command driven in-process against an H2 file database in a temporary directory. */
class ApiKeyCliTest {

    private static final Pattern KEY = Pattern.compile(KeyFormat.of("wlcro").regex());

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
    }

    Run run(String... args) {
        return run(dir, args);
    }

    /** Runs the command line in-process on the H2 file {@code keys} in {@code dir}, and checks it leaked no key. */
    static Run run(Path dir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--db";
        all[1] = "jdbc:h2:" + dir.resolve("keys").toAbsolutePath();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = ApiKeyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all);
        CliLeakCheck.output(all, out + "\n" + err);
        return new Run(code, out.toString(), err.toString());
    }

    static String keyIn(String text) {
        Matcher m = KEY.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group();
    }

    static String keyIdOf(String key) {
        return KeyFormat.of("wlcro").parse(key).orElseThrow().keyId();
    }

    @AfterEach
    void restoreStdin() {
        DiagnoseCommand.stdin = System.in;
    }

    @Test
    void createListShowRotateRevoke() {
        Run created = run("create", "--tenant", "92", "--name", "zapier-prod", "--scope", "events:read",
                "--expires", "2099-01-01", "--meta", "env=prod");
        assertThat(created.code()).isZero();
        String key = keyIn(created.out());
        String id = keyIdOf(key);
        assertThat(created.out()).contains("shown once").contains("zapier-prod").contains("2099-01-01T00:00:00Z");

        Run list = run("list", "--tenant", "92");
        assertThat(list.out()).contains(id).contains("zapier-prod").contains("active").doesNotContain(key);
        Run json = run("list", "--json");
        assertThat(json.out()).contains("\"key_id\" : \"" + id + "\"").contains("\"env\" : \"prod\"");

        assertThat(run("show", id).out()).contains("wlcro_92_" + id);
        Run rotated = run("rotate", id, "--overlap", "24h", "--json");
        assertThat(rotated.code()).isZero();
        assertThat(rotated.out()).contains("\"replaces\" : \"" + id + "\"");
        String fresh = keyIn(rotated.out().substring(rotated.out().indexOf("api_key")));
        assertThat(fresh).isNotEqualTo(key);

        Run revoked = run("revoke", id);
        assertThat(revoked.out()).startsWith("revoked wlcro_92_" + id);
        assertThat(run("show", id, "--json").out()).contains("\"status\" : \"revoked\"");
        assertThat(run("show", "ZZZZZZZZ").code()).isEqualTo(1);
    }

    @Test
    void createWithAllowListAndRateLimitThenEditEachField() {
        Run created = run("create", "--tenant", "92", "--name", "crm", "--scope", "events:read", "--allow",
                "203.0.113.0/24", "--allow", "2001:db8::/32", "--rate-limit", "600/min", "--json");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("\"203.0.113.0/24\"").contains("\"2001:db8::/32\"")
                .contains("\"requests\" : 600").contains("\"period_seconds\" : 60");
        String id = keyIdOf(keyIn(created.out()));

        Run edited = run("edit", "wlcro_92_" + id, "--name", "crm-v2", "--scope", "webhooks:write", "--scope",
                "events:read", "--expires", "2099-01-01", "--allow-anywhere", "--rate-limit", "10/s", "--json");
        assertThat(edited.code()).as(edited.err()).isZero();
        assertThat(edited.out()).contains("\"name\" : \"crm-v2\"").contains("\"webhooks:write\"")
                .contains("\"expires_at\" : \"2099-01-01T00:00:00Z\"").contains("\"allowed_addresses\" : [ ]")
                .contains("\"requests\" : 10").contains("\"period_seconds\" : 1");

        Run again = run("edit", id, "--no-expiry", "--no-rate-limit", "--allow", "10.0.0.0/8");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).startsWith("edited wlcro_92_" + id);
        Run shown = run("show", id, "--json");
        assertThat(shown.out()).contains("\"10.0.0.0/8\"").doesNotContain("2099-01-01").doesNotContain("\"requests\"");
    }

    @Test
    void badEditsSayWhatIsWrongAndChangeNothing() {
        String id = keyIdOf(keyIn(run("create", "--name", "k", "--scope", "events:read").out()));
        String before = run("show", id, "--json").out();

        Run nothing = run("edit", id);
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.err()).contains("nothing to change");
        Run badLimit = run("edit", id, "--rate-limit", "600/week");
        assertThat(badLimit.code()).isEqualTo(2);
        assertThat(badLimit.err()).contains("--rate-limit must be requests per s, min, h or d, like 600/min");
        Run badScope = run("edit", id, "--scope", "events:raed");
        assertThat(badScope.code()).isEqualTo(2);
        assertThat(badScope.err()).contains("events:read");
        Run both = run("edit", id, "--expires", "2099-01-01", "--no-expiry");
        assertThat(both.code()).isEqualTo(2);
        Run badCidr = run("create", "--name", "k2", "--scope", "events:read", "--allow", "10.0.0.1/33");
        assertThat(badCidr.code()).isEqualTo(2);
        assertThat(badCidr.err()).contains("--allow: allowed range prefix must be 0 to 32")
                .doesNotContain("allowedAddresses");

        assertThat(run("show", id, "--json").out()).isEqualTo(before);
        run("revoke", id);
        Run revoked = run("edit", id, "--name", "x");
        assertThat(revoked.code()).isEqualTo(1);
        assertThat(revoked.err()).contains("only an active key can be edited");
    }

    @Test
    void disableAndEnableAKeyThenListWhatExpiresSoon() {
        String id = keyIdOf(keyIn(run("create", "--tenant", "92", "--name", "crm", "--scope", "events:read",
                "--owner", "team-crm@example.com").out()));

        Run disabled = run("disable", "wlcro_92_" + id);
        assertThat(disabled.code()).as(disabled.err()).isZero();
        assertThat(disabled.out()).startsWith("disabled wlcro_92_" + id + " at ");
        assertThat(run("show", id, "--json").out()).contains("\"status\" : \"disabled\"");
        assertThat(run("disable", id).out()).startsWith("already disabled").contains("nothing changed");
        Run enabled = run("enable", id, "--json");
        assertThat(enabled.code()).isZero();
        assertThat(enabled.out()).contains("\"status\" : \"active\"").contains("\"disabled_at\" : null");
        run("revoke", id);
        Run refused = run("disable", id);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("only an active key can be disabled");

        String soon = keyIdOf(keyIn(run("create", "--name", "soon", "--scope", "events:read", "--expires",
                java.time.Instant.now().plus(java.time.Duration.ofDays(3)).toString(), "--owner", "ops").out()));
        keyIdOf(keyIn(run("create", "--name", "later", "--scope", "events:read", "--expires", "2099-01-01").out()));
        Run expiring = run("list", "--expiring", "7d");
        assertThat(expiring.code()).as(expiring.err()).isZero();
        assertThat(expiring.out()).contains("DUE").contains(soon).contains("expires").contains("ops")
                .doesNotContain("later");
        Run metered = run("create", "--name", "metered", "--scope", "events:read", "--quota", "2/day", "--json");
        assertThat(metered.out()).contains("\"calls\" : 2").contains("\"period\" : \"day\"")
                .contains("\"quota_remaining\" : 2");
        String meteredId = keyIdOf(keyIn(metered.out()));
        assertThat(run("edit", meteredId, "--quota", "5/month", "--json").out()).contains("\"period\" : \"month\"");
        assertThat(run("edit", meteredId, "--no-quota", "--json").out()).contains("\"quota\" : null");
        Run badQuota = run("create", "--name", "q", "--scope", "events:read", "--quota", "5/week");
        assertThat(badQuota.code()).isEqualTo(2);
        assertThat(badQuota.err()).contains("--quota must be calls per day or month, like 10000/day");
        Run bad = run("list", "--expiring", "soon");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--expiring must be like 30m, 24h, 7d or PT24H");
    }

    @Test
    void theTruffleHogDetectorCallsTheChecksumCheckWhenGivenItsUrl() {
        Run plain = run("scanner-rules");
        assertThat(plain.out()).contains("    # verify:").contains("pass --verify-url");
        Run withUrl = run("scanner-rules", "--verify-url", "http://127.0.0.1:8080/scanner/verify");
        assertThat(withUrl.code()).isZero();
        assertThat(withUrl.out()).contains("    verify:\n      - endpoint: http://127.0.0.1:8080/scanner/verify\n"
                + "        unsafe: true");
        Run bad = run("scanner-rules", "--verify-url", "ftp://x");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--verify-url must be an http or https URL");
    }

    @Test
    void theGitleaksRuleFindsEveryKeyAndNoNearMiss() {
        Run rules = run("scanner-rules");
        assertThat(rules.code()).isZero();
        Matcher toml = Pattern.compile("regex = \'\'\'(.+)\'\'\'").matcher(rules.out());
        assertThat(toml.find()).as(rules.out()).isTrue();
        Pattern gitleaks = Pattern.compile(toml.group(1));
        assertThat(rules.out()).contains("keywords = [\"wlcro_\"]").contains("key: '" + toml.group(1) + "'");

        java.util.List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            keys.add(keyIn(run("create", "--tenant", "92", "--name", "k" + i, "--scope", "events:read").out()));
            keys.add(keyIn(run("create", "--name", "t" + i, "--scope", "events:read").out()));
        }
        for (String key : keys) {
            assertThat(gitleaks.matcher("API_KEY=" + key + "\n").find()).as("in a .env line").isTrue();
            assertThat(gitleaks.matcher("\"" + key + "\"").find()).as("in a string").isTrue();
            Matcher found = gitleaks.matcher("token " + key + " end");
            assertThat(found.find()).isTrue();
            assertThat(found.group()).isEqualTo(key);
            assertThat(KeyFormat.checksumValid(found.group())).isTrue();
        }
        String key = keys.get(0);
        for (String nearMiss : new String[] {key.replace("wlcro_", "wlcrx_"), key.substring(0, key.length() - 1),
            key + "A", "x" + key, key.substring(0, 20) + "-" + key.substring(21)}) {
            assertThat(gitleaks.matcher(nearMiss).find()).as(nearMiss.substring(0, 12)).isFalse();
        }
        String badChecksum = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        assertThat(gitleaks.matcher(badChecksum).find()).as("the regex finds a candidate").isTrue();
        assertThat(KeyFormat.checksumValid(badChecksum)).as("the checksum drops it").isFalse();
        assertThat(run("--prefix", "acme_prod", "scanner-rules", "--json").out()).contains("\"prefix\" : \"acme_prod\"")
                .contains("acme_prod_");
    }

    @Test
    void keysAreNamedByIdOrHintAndASecondRevokeChangesNothingAndExitsZero() {
        String key = keyIn(run("create", "--tenant", "92", "--name", "h", "--scope", "events:read",
                "--expires", "2099-01-01").out());
        String id = keyIdOf(key);
        String hint = "wlcro_92_" + id;

        assertThat(run("show", hint).out()).contains(hint).contains("2099-01-01T00:00:00Z");
        Run rotated = run("rotate", hint, "--overlap", "1h", "--json");
        assertThat(rotated.out()).as("the replacement keeps the absolute expiry")
                .contains("\"expires_at\" : \"2099-01-01T00:00:00Z\"");
        Run other = run("show", "wlcro_93_" + id);
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("does not match key " + hint);

        Run first = run("revoke", hint);
        assertThat(first.code()).isZero();
        String revokedAt = first.out().substring(first.out().indexOf(" at ") + 4).strip();
        Run second = run("revoke", id);
        assertThat(second.code()).as("the key is in the state asked for: exit code 0").isZero();
        assertThat(second.out().strip()).isEqualTo("already revoked " + hint + " at " + revokedAt
                + "; nothing changed");
        assertThat(second.err()).isEmpty();
    }

    @Test
    void aKeyInItsOverlapIsListedAsExpiringAndIsNotRotatedAgain() {
        String key = keyIn(run("create", "--name", "o", "--scope", "events:read").out());
        String id = keyIdOf(key);
        String successor = keyIdOf(keyIn(run("rotate", id, "--overlap", "2d").out()));

        Run again = run("rotate", id, "--overlap", "PT1H");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("key " + id + " was rotated already: " + successor + " replaced it")
                .contains("rotate " + successor + " instead");
        Run againJson = run("rotate", id, "--overlap", "PT1H", "--json");
        assertThat(againJson.out()).contains("\"code\" : \"key_already_rotated\"");

        Run list = run("list");
        assertThat(list.out().lines().findFirst().orElseThrow()).contains("STATUS").contains("EXPIRES");
        String oldLine = list.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertThat(oldLine).contains("expiring").containsPattern("20\\d\\d-\\d\\d-\\d\\dT");
        String newLine = list.out().lines().filter(l -> l.startsWith(successor)).findFirst().orElseThrow();
        assertThat(newLine).contains("active");
        assertThat(list.out().lines().count()).as("no second successor").isEqualTo(3);
        assertThat(run("show", id, "--json").out()).contains("\"status\" : \"expiring\"")
                .contains("\"replaced_by\" : \"" + successor + "\"").contains("\"expires_at\" : \"20");
    }

    @Test
    void readOnlyCommandsCreateNoDatabase() {
        for (String[] args : new String[][] {{"list"}, {"show", "AAAAAAAA"}, {"revoke", "AAAAAAAA"},
            {"rotate", "AAAAAAAA", "--overlap", "1h"}, {"diagnose", "wlcro_x"}}) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.err()).contains("no key database at jdbc:h2:").contains("'apikey create' makes one");
        }
        assertThat(dir).as("nothing written").isEmptyDirectory();

        Run created = run("create", "--name", "first", "--scope", "events:read");
        assertThat(created.code()).isZero();
        assertThat(run("list").out()).contains("first");
    }

    @Test
    void jsonIsAcceptedAnywhereAndFailuresAreJsonToo() {
        keyIn(run("--json", "create", "--name", "j", "--scope", "events:read").out());
        assertThat(run("--json", "list").out()).startsWith("[").contains("\"name\" : \"j\"");
        assertThat(run("list", "--json").out()).startsWith("[");

        Run notFound = run("--json", "show", "ZZZZZZZZ");
        assertThat(notFound.code()).isEqualTo(1);
        assertThat(notFound.out()).contains("\"code\" : \"key_not_found\"").contains("\"message\" : \"no key with id ZZZZZZZZ\"");
        Run unknownOption = run("--json", "list", "--frobnicate");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.out()).contains("\"code\" : \"bad_argument\"").contains("--frobnicate");
        Run unknownScope = run("create", "--name", "x", "--scope", "event:read", "--json");
        assertThat(unknownScope.out()).contains("\"code\" : \"unknown_scope\"").contains("did you mean 'events:read'?");
        assertThat(unknownScope.err()).isEmpty();
    }

    @Test
    void badArgumentsExitWithTwoAndOneLine() {
        Run unknownScope = run("create", "--name", "x", "--scope", "event:read");
        assertThat(unknownScope.code()).isEqualTo(2);
        assertThat(unknownScope.err().strip()).isEqualTo("apikey: unknown scope 'event:read' (did you mean 'events:read'?)");

        for (String[] args : new String[][] {
            {"create", "--name", "x"}, {"create", "--name", "x", "--scope", "admin", "--expires", "tomorrow"},
            {"create", "--name", "x", "--scope", "admin", "--meta", "novalue"}, {"rotate", "AAAAAAAA", "--overlap", "2x"},
            {"show", "short"}, {"create", "--name", "", "--scope", "admin"}, {"frobnicate"}}) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("apikey: ");
        }
    }

    @Test
    void diagnoseWalksTheStepsAndNamesTheFailure() {
        String key = keyIn(run("create", "--tenant", "92", "--name", "d", "--scope", "events:read").out());

        Run good = run("diagnose", key, "--scope", "events:read", "--tenant", "92");
        assertThat(good.code()).isZero();
        assertThat(good.out()).contains("ok        tenant").contains("not asked host policy").endsWith("granted" + System.lineSeparator());

        Run scope = run("diagnose", key, "--scope", "webhooks:write");
        assertThat(scope.code()).isEqualTo(1);
        assertThat(scope.out()).contains("FAILED    scope").contains("skipped   rate limit").contains("refused: insufficient_scope (HTTP 403)")
                .contains("what to do:");

        Run checksum = run("diagnose", key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A"));
        assertThat(checksum.out()).contains("FAILED    format and checksum").contains("malformed_api_key");

        run("revoke", keyIdOf(key));
        DiagnoseCommand.stdin = new ByteArrayInputStream((key + "\n").getBytes(StandardCharsets.UTF_8));
        Run revoked = run("diagnose", "-", "--json");
        assertThat(revoked.code()).isEqualTo(1);
        assertThat(revoked.out()).contains("\"code\" : \"revoked_api_key\"").contains("\"result\" : \"FAILED\"")
                .contains("Create a new key");
        assertThat(revoked.out() + revoked.err()).doesNotContain(key);
    }
}
