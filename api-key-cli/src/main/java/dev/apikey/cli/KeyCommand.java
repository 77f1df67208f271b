package dev.apikey.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every key command has: the top command's store options, its own streams, and {@code --json}. */
abstract class KeyCommand {

    @ParentCommand
    ApiKeyCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /**
     * The key id a command argument names: the id itself ({@code 3kTz9QbC}) or the key's hint, as logs and
     * {@code list} print it ({@code wlcro_92_3kTz9QbC}).
     *
     * @throws IllegalArgumentException if the argument is neither, or a hint of another prefix or tenant
     */
    static String keyIdOf(String idOrHint, dev.apikey.ApiKeys apiKeys) {
        int id = dev.apikey.KeyFormat.KEY_ID_LENGTH;
        if (idOrHint != null && idOrHint.length() > id + 1 && idOrHint.charAt(idOrHint.length() - id - 1) == '_') {
            String keyId = idOrHint.substring(idOrHint.length() - id);
            String head = idOrHint.substring(0, idOrHint.length() - id - 1);
            boolean ownPrefix = head.equals(apiKeys.prefix()) || head.startsWith(apiKeys.prefix() + "_");
            if (!ownPrefix) {
                throw new IllegalArgumentException("'" + idOrHint + "' is a hint of another prefix; this store's is "
                        + apiKeys.prefix());
            }
            apiKeys.get(keyId).filter(k -> !k.hint().equals(idOrHint)).ifPresent(k -> {
                throw new IllegalArgumentException("'" + idOrHint + "' does not match key " + k.hint());
            });
            return keyId;
        }
        if (idOrHint == null || idOrHint.length() != id) {
            throw new IllegalArgumentException("<key-id> must be a key id (" + id + " characters) or a key hint such "
                    + "as " + apiKeys.prefix() + "_92_3kTz9QbC");
        }
        return idOrHint;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
