package dev.apikey.cli;

import dev.apikey.KeyManager;
import dev.apikey.model.Allowance;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeyUpdate;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code apikey edit}: a key's name, scopes, expiry, address allow list or allowances; its secret stays. */
@Command(name = "edit", description = "Edit a key's name, scopes, expiry, allowed addresses or allowances (rate "
        + "limits, quotas); its secret stays.", footerHeading = "%nExamples:%n",
        footer = {"  apikey edit 3kTz9QbC --name crm-v2 --scope events:read --scope webhooks:write",
            "  apikey edit wlcro_92_3kTz9QbC --no-expiry --allow-anywhere --rate-limit 10/s",
            "  apikey edit 3kTz9QbC --allowance burst=10/second --allowance 50000/day",
            "", KeyCommand.STORE_OPTIONS})
final class EditCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters) or the key's hint.")
    String keyId;

    @Mixin
    AttributeOptions.Edit attributes;

    @Override
    public Integer call() {
        String id = keyIdOf(keyId, cli.prefix);
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("nothing to change: give --name, --scope, --expires, --no-expiry, "
                    + "--allow, --allow-anywhere, --country, --any-country, --rate-limit, --no-rate-limit, --quota, --no-quota, --allowance "
                    + "or --no-allowances");
        }
        KeyUpdate.Builder b = KeyUpdate.builder();
        // Read and checked before the store is opened, so that a bad value changes nothing and opens nothing.
        UnaryOperator<List<Allowance>> allowances = attributes.applyTo(b);
        try (KeyStoreSession session = cli.open()) {
            requireHintMatches(keyId, id, session.apiKeys);
            KeyManager manager = session.apiKeys.manage(ACTOR);
            if (allowances != null) {
                // A key that is not there has none; the update below says it is not found.
                ApiKeyInfo read = session.apiKeys.get(id).orElse(null);
                b.allowances(allowances.apply(read == null ? List.of() : read.attributes().allowances()));
                if (read != null) {
                    // The list keeps the allowances as read: written only over that read, never over a later edit.
                    manager = manager.ifVersion(read.version());
                }
            }
            ApiKeyInfo info;
            try {
                info = manager.update(id, b.build());
            } catch (dev.apikey.model.StaleVersionException e) {
                throw new dev.apikey.model.KeyChangedException(id, "edited");
            }
            PrintWriter out = out();
            if (json()) {
                Output.json(out, Output.fields(info));
            } else {
                out.println("edited " + info.hint());
                Output.text(out, info);
            }
            return 0;
        }
    }
}
