package dev.apikey.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apikey}: manage the keys of a store, diagnose a key, run the demo API. Results go to standard
 * output, logs to standard error. One exit-code rule for every command (listed in {@code apikey --help}): 0 done,
 * or granted, or nothing to do because the key is in the state asked for already (a note says so); 1 refused or
 * failed; 2 bad arguments. With {@code --json} (anywhere on the line) results and failures are JSON on standard
 * output. Every command answers {@code --help} with its usage and examples.
 */
@Command(name = "apikey", mixinStandardHelpOptions = true, version = "apikey 0.1.0",
        description = "Manage API keys, diagnose a key, run the demo API.",
        subcommands = {CreateCommand.class, ListCommand.class, ShowCommand.class, EditCommand.class,
            SwitchCommand.Disable.class, SwitchCommand.Enable.class, RevokeCommand.class, RotateCommand.class,
            HistoryCommand.class, TenantCommand.class, UsageCommand.class, AnomaliesCommand.class,
            DiagnoseCommand.class,
            ScannerRulesCommand.class, DemoCommand.class, ExportCommand.class, ImportCommand.class,
            CopyCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes (every command):%n",
        exitCodeList = {
            "0:Done, or granted (diagnose); also when the key is in the state asked for already (a second revoke, "
                + "disable or enable): nothing changes, and a note says so.",
            "1:Refused or failed: no key database, no such key, a key that cannot go to that state (enable a revoked "
                + "key, rotate a replaced one), a key diagnose refuses, a store failure.",
            "2:Bad arguments: an unknown command or option, or a value that breaks its rule (the message names the "
                + "option)."},
        footerHeading = "%nExamples:%n",
        footer = {"  apikey demo                   # the demo API on 127.0.0.1:8080, with a key",
            "  apikey create --tenant 92 --name zapier-prod --scope events:read",
            "  apikey list --status active",
            "  apikey history 3kTz9QbC --since 7d",
            "  apikey --db jdbc:postgresql://127.0.0.1/keys --db-user keys list",
            "  apikey create --help          # a command's options and examples"})
public final class ApiKeyCli {

    @Option(names = "--db", paramLabel = "<jdbc-url>",
            description = "Key store database (default: an H2 file ./apikeys.mv.db in this directory).")
    String db = "jdbc:h2:./apikeys";

    @Option(names = "--db-user", paramLabel = "<user>", description = "Database user.")
    String dbUser = "";

    @Option(names = "--db-password", paramLabel = "<password>", description = "Database password (an H2 file "
            + "without one gets a generated password, kept beside it in <name>.db-password, owner-only).")
    String dbPassword;

    @Option(names = "--prefix", paramLabel = "<prefix>", description = "Key prefix of this environment (default: wlcro).")
    String prefix = "wlcro";

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT,
            description = "Print JSON: results, and failures as {code, message}.")
    boolean json;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    /** The configured command line, writing to the given streams; for main and for tests. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ApiKeyCli());
        cli.setOut(out);
        cli.setErr(err);
        // A line that does not parse never set the option: look for it among the words.
        cli.setParameterExceptionHandler((e, args) -> Errors.report(e, jsonAsked(args), out, err));
        cli.setExecutionExceptionHandler((e, command, parsed) ->
                Errors.report(e, cli.<ApiKeyCli>getCommand().json, out, err));
        return cli;
    }

    private static boolean jsonAsked(String[] args) {
        for (String arg : args) {
            if ("--".equals(arg)) {
                return false;
            }
            if ("--json".equals(arg)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Opens the key database these options name, which must exist with its key table (upgraded in place if an
     * older version made it).
     *
     * @throws CliException {@code no_database} if there is none
     */
    KeyStoreSession open() {
        return KeyStoreSession.open(db, dbUser, dbPassword, prefix, false);
    }

    /** Opens the key database these options name, creating it and its key table if missing. */
    KeyStoreSession openOrCreate() {
        return KeyStoreSession.open(db, dbUser, dbPassword, prefix, true);
    }
}
