package dev.apikey.cli;

import dev.apikey.ApiKeyInfo;
import dev.apikey.Allowance;
import dev.apikey.KeyUpdate;
import dev.apikey.Quota;
import dev.apikey.RateLimit;
import java.util.ArrayList;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code apikey edit}: a key's name, scopes, expiry, address allow list or rate limit; its secret stays. */
@Command(name = "edit", description = "Edit a key's name, scopes, expiry, allowed addresses, rate limit or quota; "
        + "its secret stays.", footerHeading = "%nExamples:%n",
        footer = {"  apikey edit 3kTz9QbC --name crm-v2 --scope events:read --scope webhooks:write",
            "  apikey edit wlcro_92_3kTz9QbC --no-expiry --allow-anywhere --rate-limit 10/s",
            "", KeyCommand.STORE_OPTIONS})
final class EditCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters) or the key's hint.")
    String keyId;

    @Option(names = "--name", description = "A new name.")
    String name;

    @Option(names = "--scope", description = "The scopes the key holds from now on; repeat for more.")
    List<String> scopes;

    @ArgGroup(exclusive = true)
    Expiry expiry;

    @ArgGroup(exclusive = true)
    Addresses addresses;

    @ArgGroup(exclusive = true)
    Limit limit;

    @ArgGroup(exclusive = true)
    QuotaChange quotaChange;

    /** A new expiry, or none. */
    static final class Expiry {
        @Option(names = "--expires", description = "A new expiry: a date (2027-01-01, midnight UTC) or an instant.")
        String expires;

        @Option(names = "--no-expiry", description = "The key no longer expires.")
        boolean never;
    }

    /** A new allow list, or anywhere. */
    static final class Addresses {
        @Option(names = "--allow", paramLabel = "<cidr>", description = "The address ranges the key may be used from "
                + "from now on; repeat for more.")
        List<String> allow;

        @Option(names = "--allow-anywhere", description = "The key may be used from any address.")
        boolean anywhere;
    }

    /** A new quota, or none. */
    static final class QuotaChange {
        @Option(names = "--quota", paramLabel = "<n/period>", description = "Calls per UTC day or month, e.g. 10000/day.")
        String quota;

        @Option(names = "--no-quota", description = "The key has no quota.")
        boolean none;
    }

    /** A new own rate limit, or none. */
    static final class Limit {
        @Option(names = "--rate-limit", paramLabel = "<n/period>", description = "The key's own rate limit, e.g. 600/min.")
        String rateLimit;

        @Option(names = "--no-rate-limit", description = "The key follows its tenant's or the default limit.")
        boolean none;
    }

    @Override
    public Integer call() {
        String id = keyIdOf(keyId, cli.prefix);
        KeyUpdate.Builder b = KeyUpdate.builder();
        if (name != null) {
            b.name(name);
        }
        if (scopes != null) {
            b.scopes(scopes);
        }
        if (expiry != null) {
            if (expiry.never) {
                b.neverExpires();
            } else {
                b.expiresAt(CreateCommand.parseExpiry("--expires", expiry.expires));
            }
        }
        if (addresses != null) {
            b.allowedAddresses(addresses.anywhere ? List.of() : addresses.allow);
        }
        if (b.isEmpty() && limit == null && quotaChange == null) {
            throw new IllegalArgumentException("nothing to change: give --name, --scope, --expires, --no-expiry, "
                    + "--allow, --allow-anywhere, --rate-limit, --no-rate-limit, --quota or --no-quota");
        }
        // Parsed before the store is opened, so that a bad value changes nothing and opens nothing.
        RateLimit newLimit = limit == null || limit.none ? null : CreateCommand.parseRateLimit(limit.rateLimit);
        Quota newQuota = quotaChange == null || quotaChange.none ? null : CreateCommand.parseQuota(quotaChange.quota);
        try (KeyStoreSession session = cli.open()) {
            requireHintMatches(keyId, id, session.apiKeys);
            if (limit != null || quotaChange != null) {
                // --rate-limit and --quota replace the key's allowance of their kind and keep the other.
                List<Allowance> allowances = new ArrayList<>();
                // A key that is not there has none; the update below says it is not found.
                for (Allowance a : session.apiKeys.get(id).map(k -> k.attributes().allowances()).orElse(List.of())) {
                    if (!(a instanceof RateLimit && limit != null) && !(a instanceof Quota && quotaChange != null)) {
                        allowances.add(a);
                    }
                }
                if (newLimit != null) {
                    allowances.add(newLimit);
                }
                if (newQuota != null) {
                    allowances.add(newQuota);
                }
                b.allowances(allowances);
            }
            ApiKeyInfo info = session.apiKeys.update(id, b.build());
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
