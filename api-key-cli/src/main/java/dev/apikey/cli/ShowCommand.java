package dev.apikey.cli;

import java.io.PrintWriter;
import dev.apikey.ApiKeyInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code apikey show}: one key's info. */
@Command(name = "show", description = "Show one key.")
final class ShowCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters) or the key's hint.")
    String keyId;

    @Override
    public Integer call() {
        try (KeyStoreSession session = cli.open()) {
            String id = keyIdOf(keyId, session.apiKeys);
            var found = session.apiKeys.get(id);
            PrintWriter out = out();
            if (found.isEmpty()) {
                err().println("apikey: no key with id " + id);
                return 1;
            }
            ApiKeyInfo info = found.get();
            if (json) {
                Output.json(out, Output.fields(info));
            } else {
                Output.text(out, info);
            }
            return 0;
        }
    }
}
