package dev.apikey.cli;

import dev.apikey.model.ApiKeyInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code apikey show}: one key's info. */
@Command(name = "show", description = "Show one key.", footerHeading = "%nExamples:%n",
        footer = {"  apikey show 3kTz9QbC", "  apikey show wlcro_92_3kTz9QbC --json", "", KeyCommand.STORE_OPTIONS})
final class ShowCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters) or the key's hint.")
    String keyId;

    @Override
    public Integer call() {
        String id = keyIdOf(keyId, cli.prefix);
        try (KeyStoreSession session = cli.open()) {
            requireHintMatches(keyId, id, session.apiKeys);
            ApiKeyInfo info = session.apiKeys.get(id).orElseThrow(
                    () -> new CliException("key_not_found", "no key with id " + id, 1));
            PrintWriter out = out();
            if (json()) {
                Output.json(out, Output.fields(info));
            } else {
                Output.text(out, info);
            }
            return 0;
        }
    }
}
