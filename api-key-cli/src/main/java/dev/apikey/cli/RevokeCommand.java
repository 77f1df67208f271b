package dev.apikey.cli;

import java.io.PrintWriter;
import dev.apikey.ApiKeyInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code apikey revoke}: the key stops working. */
@Command(name = "revoke", description = "Revoke a key.")
final class RevokeCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters).")
    String keyId;

    @Override
    public Integer call() {
        try (KeyStoreSession session = cli.open()) {
            ApiKeyInfo info = session.apiKeys.revoke(keyId);
            PrintWriter out = out();
            if (json) {
                Output.json(out, Output.fields(info));
            } else {
                out.println("revoked " + info.hint() + " at " + info.revokedAt());
            }
            return 0;
        }
    }
}
