package dev.apikey.cli;

import dev.apikey.ApiKeyInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code apikey revoke}: the key stops working. */
@Command(name = "revoke", description = "Revoke a key.")
final class RevokeCommand implements Callable<Integer> {

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
            ApiKeyInfo info = session.apiKeys.revoke(keyId);
            var out = spec.commandLine().getOut();
            if (json) {
                Output.json(out, Output.fields(info));
            } else {
                out.println("revoked " + info.hint() + " at " + info.revokedUtc());
            }
            return 0;
        }
    }
}
