package dev.apikey.cli;

import dev.apikey.model.ApiKeyInfo;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every key command has: the top command's store options and {@code --json}, its own streams. */
abstract class KeyCommand {

    @ParentCommand
    ApiKeyCli cli;

    @Spec
    CommandSpec spec;

    /** Every command answers {@code --help} with its usage and examples, before any check of its options. */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help, with examples, and exit.")
    boolean help;

    /** Who a command's changes are made by, in the key's history: {@code cli}, granting everything. */
    static final dev.apikey.model.Actor ACTOR = new dev.apikey.model.Actor("cli",
            dev.apikey.model.GrantCeiling.everything(), null);

    /** The last line of every command's examples: where the store options go. */
    static final String STORE_OPTIONS = "Store options (--db, --prefix, ...) go before the command: "
            + "see apikey --help.";

    /** Whether {@code --json} was given, before or after the command's name. */
    boolean json() {
        return cli.json;
    }

    /**
     * The key id a command argument names: the id itself ({@code 3kTz9QbC}) or the key's hint, as logs and
     * {@code list} print it ({@code wlcro_92_3kTz9QbC}). Checks the argument's shape before any database is
     * opened; {@link #requireHintMatches} checks a hint against the stored key after.
     *
     * @throws IllegalArgumentException if the argument is neither, or a hint of another prefix
     */
    static String keyIdOf(String idOrHint, String prefix) {
        int id = dev.apikey.model.KeyFormat.KEY_ID_LENGTH;
        if (isHint(idOrHint)) {
            String head = idOrHint.substring(0, idOrHint.length() - id - 1);
            if (!head.equals(prefix) && !head.startsWith(prefix + "_")) {
                throw new IllegalArgumentException("'" + idOrHint + "' is a hint of another prefix; this store's is "
                        + prefix);
            }
            return idOrHint.substring(idOrHint.length() - id);
        }
        if (idOrHint == null || idOrHint.length() != id) {
            throw new IllegalArgumentException("<key-id> must be a key id (" + id + " characters) or a key hint such "
                    + "as " + prefix + "_92_3kTz9QbC");
        }
        return idOrHint;
    }

    /**
     * A hint names its key's tenant too: it must be the stored key's.
     *
     * @throws IllegalArgumentException if the key exists under another hint
     */
    static void requireHintMatches(String idOrHint, String keyId, dev.apikey.ApiKeys apiKeys) {
        if (isHint(idOrHint)) {
            apiKeys.get(keyId).filter(k -> !k.hint().equals(idOrHint)).ifPresent(k -> {
                throw new IllegalArgumentException("'" + idOrHint + "' does not match key " + k.hint());
            });
        }
    }

    private static boolean isHint(String s) {
        int id = dev.apikey.model.KeyFormat.KEY_ID_LENGTH;
        return s != null && s.length() > id + 1 && s.charAt(s.length() - id - 1) == '_';
    }

    /**
     * Prints the key a state change (revoke, disable, enable) left: its fields with {@code --json}, else one line.
     * When the key was in that state already nothing changed, the exit code is still 0 (the state asked for holds),
     * and a note says so: in the line, or with {@code --json} on standard error, so standard output stays the key.
     */
    void printStateChange(ApiKeyInfo info, String verb, java.util.Optional<java.time.Instant> at, boolean already) {
        String line = (already ? "already " : "") + verb + " " + info.hint() + at.map(t -> " at " + t).orElse("")
                + (already ? "; nothing changed" : "");
        if (json()) {
            Output.json(out(), Output.fields(info));
            if (already) {
                err().println("apikey: note: " + line);
            }
        } else {
            out().println(line);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
