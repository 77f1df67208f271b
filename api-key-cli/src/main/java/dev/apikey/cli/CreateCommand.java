package dev.apikey.cli;

import dev.apikey.IssuedKey;
import dev.apikey.model.Actor;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.KeySpec;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code apikey create}: a new key, printed once. */
@Command(name = "create", description = "Create a key and print it once.", footerHeading = "%nExamples:%n",
        footer = {"  apikey create --tenant 92 --name zapier-prod --scope events:read \\",
            "      --expires 2027-01-01 --owner team-crm@example.com",
            "  apikey create --name crm --scope events:read --scope webhooks:write \\",
            "      --allow 203.0.113.0/24 --rate-limit 600/min --quota 10000/day",
            "  apikey create --name etl --scope events:read \\",
            "      --allowance burst=10/second --allowance 50000/day",
            "  apikey --json create --name nightly --scope events:read",
            "", KeyCommand.STORE_OPTIONS})
final class CreateCommand extends KeyCommand implements Callable<Integer> {

    @Mixin
    AttributeOptions.Create attributes;

    @Override
    public Integer call() {
        KeySpec.Builder b = KeySpec.builder(attributes.name);
        attributes.applyTo(b);
        KeySpec keySpec = b.build();
        try (KeyStoreSession session = cli.openOrCreate()) {
            // An operator with the database grants every scope, but its creates keep the tenant's cap of live keys.
            IssuedKey issued = session.apiKeys.manage(new Actor("cli", GrantCeiling.everything(), null)).create(keySpec);
            PrintWriter out = out();
            if (json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("api_key", issued.plaintext());
                m.putAll(Output.fields(issued.info()));
                Output.json(out, m);
            } else {
                out.println("API key (shown once, store it now):");
                out.println();
                out.println("  " + issued.plaintext());
                out.println();
                Output.text(out, issued.info());
            }
            return 0;
        }
    }
}
