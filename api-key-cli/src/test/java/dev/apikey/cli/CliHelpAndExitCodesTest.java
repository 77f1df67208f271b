package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.cli.ApiKeyCliTest.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command answers {@code --help}; one exit-code rule for all, written in {@code apikey --help}. */
class CliHelpAndExitCodesTest {

    @TempDir
    Path dir;

    private Run run(String... args) {
        return ApiKeyCliTest.run(dir, args);
    }

    /** Every command the CLI has, read from picocli itself, so a command added later is held to this too. */
    private static List<String> commands() {
        return List.copyOf(ApiKeyCli.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())).getSubcommands().keySet());
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndExamplesAndExitsZero() {
        List<String> commands = commands();
        assertThat(commands).contains("create", "list", "show", "edit", "disable", "enable", "revoke", "rotate",
                "diagnose", "scanner-rules", "demo");
        for (String command : commands) {
            for (String help : new String[] {"--help", "-h"}) {
                Run r = run(command, help);
                assertThat(r.code()).as("apikey %s %s: %s", command, help, r.err()).isZero();
                assertThat(r.err()).as("apikey %s %s", command, help).isEmpty();
                assertThat(r.out()).as("apikey %s %s", command, help).contains("Usage: apikey " + command);
                if (!command.equals("help")) {
                    assertThat(r.out()).as("apikey %s %s", command, help).startsWith("Usage: apikey " + command);
                    assertThat(r.out()).as("apikey %s %s", command, help).contains("Examples:")
                            .contains("  apikey ").contains("apikey --help");
                }
            }
        }
        // Even where required options are missing (create, rotate) or the command starts a server (demo).
        assertThat(run("create", "--help").out()).contains("--name=<name>").contains("--scope=<scopes>")
                .contains("apikey create --tenant 92 --name zapier-prod");
        assertThat(run("rotate", "--help").out()).contains("--overlap=<overlap>");
        assertThat(run("demo", "--help").out()).contains("--port=<port>").contains("24 hours");
        assertThat(run("list", "--help").out()).contains("--status=<status>");
        assertThat(run("help", "create").out()).startsWith("Usage: apikey create");
        assertThat(dir).as("help opens no database").isEmptyDirectory();
    }

    @Test
    void aLineThatDoesNotParseSaysWhichHelpListsTheOptions() {
        Run missing = run("create", "--name", "x");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo(
                "apikey: Missing required option: '--scope=<scopes>' (apikey create --help lists them)");
        assertThat(run("list", "--frobnicate").err().strip()).isEqualTo(
                "apikey: Unknown option: '--frobnicate' (apikey list --help lists them)");
        assertThat(run("frobnicate").err()).contains("(apikey --help lists them)");
        assertThat(dir).as("nothing opened").isEmptyDirectory();
    }

    @Test
    void everyExampleFitsOnALineOfTheHelp() {
        CommandLine cli = ApiKeyCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<CommandLine> all = new java.util.ArrayList<>(cli.getSubcommands().values());
        all.add(cli);
        for (CommandLine c : all) {
            for (String line : c.getCommandSpec().usageMessage().footer()) {
                assertThat(line.length()).as("%s: %s", c.getCommandName(), line)
                        .isLessThan(c.getCommandSpec().usageMessage().width());
            }
        }
    }

    @Test
    void theTopHelpStatesTheExitCodeRule() {
        Run top = run("--help");
        assertThat(top.code()).isZero();
        // picocli wraps the text to 80 columns: compare it as one line.
        assertThat(top.out().replaceAll("\\s+", " ")).contains("Exit codes (every command):")
                .containsPattern("0 Done, or granted \\(diagnose\\); also when the key is in the state asked for")
                .contains("a second revoke, disable or enable").contains("nothing changes, and a note says so")
                .contains("1 Refused or failed").contains("2 Bad arguments")
                .contains("apikey create --help");
    }

    @Test
    void aRepeatedRevokeDisableOrEnableExitsZeroWithANoteAndChangesNothing() {
        String id = ApiKeyCliTest.keyIdOf(ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "twice",
                "--scope", "events:read").out()));
        String hint = "wlcro_92_" + id;

        Run enabled = run("enable", id);
        assertThat(enabled.code()).isZero();
        assertThat(enabled.out().strip()).isEqualTo("already enabled " + hint + "; nothing changed");
        assertThat(run("disable", id).code()).isZero();
        String disabled = run("show", id, "--json").out();
        Run again = run("disable", id);
        assertThat(again.code()).isZero();
        assertThat(again.out()).startsWith("already disabled " + hint + " at ").contains("; nothing changed");
        assertThat(run("show", id, "--json").out()).as("the first disable's time is kept").isEqualTo(disabled);

        assertThat(run("revoke", id).code()).isZero();
        String revoked = run("show", id, "--json").out();
        Run json = run("--json", "revoke", id);
        assertThat(json.code()).isZero();
        assertThat(json.out()).as("standard output stays the key").startsWith("{")
                .contains("\"status\" : \"revoked\"");
        assertThat(json.err().strip()).startsWith("apikey: note: already revoked " + hint + " at ")
                .endsWith("; nothing changed");
        assertThat(run("show", id, "--json").out()).as("nothing changed").isEqualTo(revoked);

        // What cannot reach the state asked for is still refused: a revoked key is not enabled again.
        Run refused = run("enable", id);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("only an active key can be enabled");
        assertThat(run("revoke", "ZZZZZZZZ").code()).as("no such key").isEqualTo(1);
    }
}
