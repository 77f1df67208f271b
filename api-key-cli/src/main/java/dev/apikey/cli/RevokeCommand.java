package dev.apikey.cli;

import java.io.PrintWriter;
import dev.apikey.ApiKeyInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code apikey revoke}: the key stops working. */
@Command(name = "revoke", description = "Revoke a key.")
final class RevokeCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters) or the key's hint.")
    String keyId;

    @Override
    public Integer call() {
        String id = keyIdOf(keyId, cli.prefix);
        try (KeyStoreSession session = cli.open()) {
            requireHintMatches(keyId, id, session.apiKeys);
            java.util.Optional<java.time.Instant> before = session.apiKeys.get(id)
                    .flatMap(ApiKeyInfo::revokedAt);
            if (before.isPresent()) {
                // Nothing to do, and nothing is changed or logged as a revocation.
                throw new CliException("already_revoked", "key " + id + " was already revoked at " + before.get()
                        + "; nothing changed", 1);
            }
            ApiKeyInfo info = session.apiKeys.revoke(id);
            PrintWriter out = out();
            if (json()) {
                Output.json(out, info.fields());
            } else {
                out.println("revoked " + info.hint() + " at " + info.revokedAt().orElseThrow());
            }
            return 0;
        }
    }
}
