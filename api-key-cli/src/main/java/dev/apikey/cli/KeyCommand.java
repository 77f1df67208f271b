package dev.apikey.cli;

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
        int id = dev.apikey.KeyFormat.KEY_ID_LENGTH;
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
        int id = dev.apikey.KeyFormat.KEY_ID_LENGTH;
        return s != null && s.length() > id + 1 && s.charAt(s.length() - id - 1) == '_';
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
