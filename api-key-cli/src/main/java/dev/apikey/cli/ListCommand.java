package dev.apikey.cli;

import java.io.PrintWriter;
import dev.apikey.ApiKeyInfo;
import dev.apikey.KeyQuery;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apikey list}: the keys, of one tenant or all. */
@Command(name = "list", description = "List keys.")
final class ListCommand extends KeyCommand implements Callable<Integer> {

    @Option(names = "--tenant", description = "Only this tenant's keys.")
    String tenant;

    @Option(names = "--expiring", paramLabel = "<time>",
            description = "Only keys that expire or are due for rotation within this time (7d, 24h), or are "
                    + "overdue for rotation; shows what is due when.")
    String expiring;

    @Override
    public Integer call() {
        KeyQuery query = tenant == null ? KeyQuery.all() : KeyQuery.tenant(tenant);
        if (expiring != null) {
            query = query.expiringWithin(RotateCommand.parseDuration("--expiring", expiring));
        }
        try (KeyStoreSession session = cli.open()) {
            List<ApiKeyInfo> keys = session.apiKeys.list(query).stream()
                    .sorted(Comparator.comparing(ApiKeyInfo::createdAt).thenComparing(ApiKeyInfo::keyId)).toList();
            PrintWriter out = out();
            if (json()) {
                Output.json(out, keys.stream().map(ApiKeyInfo::fields).toList());
            } else if (expiring != null) {
                Output.dueHeader(out);
                keys.forEach(k -> Output.dueLine(out, k));
            } else {
                Output.header(out);
                keys.forEach(k -> Output.line(out, k));
            }
            return 0;
        }
    }
}
