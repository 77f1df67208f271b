package dev.apikey.cli;

import dev.apikey.ApiKeyInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code apikey show}: one key's info. */
@Command(name = "show", description = "Show one key.")
final class ShowCommand implements Callable<Integer> {

    @ParentCommand
    ApiKeyCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters).")
    String keyId;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (KeyStoreSession session = cli.open()) {
            var found = session.apiKeys.get(keyId);
            var out = spec.commandLine().getOut();
            if (found.isEmpty()) {
                spec.commandLine().getErr().println("apikey: no key with id " + keyId);
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
