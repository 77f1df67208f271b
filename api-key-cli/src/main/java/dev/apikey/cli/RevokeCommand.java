package dev.apikey.cli;

import dev.apikey.model.ApiKeyInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code apikey revoke}: the key stops working. */
@Command(name = "revoke", description = "Revoke a key: it stops working, for good. A key revoked already is left "
        + "as it is (exit code 0, with a note).", footerHeading = "%nExamples:%n",
        footer = {"  apikey revoke 3kTz9QbC", "  apikey revoke wlcro_92_3kTz9QbC --json", "", KeyCommand.STORE_OPTIONS})
final class RevokeCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters) or the key's hint.")
    String keyId;

    @Override
    public Integer call() {
        String id = keyIdOf(keyId, cli.prefix);
        try (KeyStoreSession session = cli.open()) {
            requireHintMatches(keyId, id, session.apiKeys);
            // A second revoke asks for the state the key is in: nothing changes, nothing is logged, exit code 0.
            boolean already = session.apiKeys.get(id).flatMap(ApiKeyInfo::revokedAt).isPresent();
            ApiKeyInfo info = session.apiKeys.manage(ACTOR).revoke(id);
            printStateChange(info, "revoked", info.revokedAt(), already);
            return 0;
        }
    }
}
