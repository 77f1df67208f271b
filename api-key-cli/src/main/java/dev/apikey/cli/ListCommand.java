package dev.apikey.cli;

import dev.apikey.ApiKeys;
import dev.apikey.KeyPage;
import dev.apikey.KeyQuery;
import dev.apikey.model.ApiKeyInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apikey list}: the keys, of one tenant or all, of one status or all; read from the store page by page. */
@Command(name = "list", description = "List keys, oldest first.", footerHeading = "%nExamples:%n",
        footer = {"  apikey list", "  apikey list --tenant 92 --status active",
            "  apikey list --expiring 7d", "  apikey --json list --status revoked", "", KeyCommand.STORE_OPTIONS})
final class ListCommand extends KeyCommand implements Callable<Integer> {

    /** Keys read per page; tests make it small to cross page boundaries. */
    static int pageSize = ApiKeys.MAX_PAGE;

    @Option(names = "--tenant", description = "Only this tenant's keys.")
    String tenant;

    @Option(names = "--status", paramLabel = "<status>",
            description = "Only keys of this status now: active, expiring (replaced by a rotation, working until "
                    + "its overlap ends), disabled, revoked or expired.")
    String status;

    @Option(names = "--expiring", paramLabel = "<time>",
            description = "Only keys that expire or are due for rotation within this time (7d, 24h), or are "
                    + "overdue for rotation; shows what is due when.")
    String expiring;

    @Override
    public Integer call() {
        KeyQuery query = tenant == null ? KeyQuery.all() : KeyQuery.tenant(tenant);
        if (status != null) {
            query = query.status(parseStatus(status));
        }
        if (expiring != null) {
            query = query.expiringWithin(RotateCommand.parseDuration("--expiring", expiring));
        }
        try (KeyStoreSession session = cli.open()) {
            List<ApiKeyInfo> keys = readAll(session.apiKeys, query);
            keys.sort(Comparator.comparing(ApiKeyInfo::createdAt).thenComparing(ApiKeyInfo::keyId));
            PrintWriter out = out();
            if (json()) {
                Output.json(out, keys.stream().map(Output::fields).toList());
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

    /** Every page of the query, filtered by the store (in SQL for a database). */
    private static List<ApiKeyInfo> readAll(ApiKeys apiKeys, KeyQuery query) {
        List<ApiKeyInfo> keys = new ArrayList<>();
        String after = null;
        do {
            KeyPage page = apiKeys.listPage(query, after, pageSize);
            keys.addAll(page.keys());
            after = page.nextCursor().orElse(null);
        } while (after != null);
        return keys;
    }

    /** A status as {@code list} prints it, in any case. */
    static ApiKeyInfo.Status parseStatus(String text) {
        for (ApiKeyInfo.Status s : ApiKeyInfo.Status.values()) {
            if (s.name().equalsIgnoreCase(text.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("--status must be one of " + Arrays.stream(ApiKeyInfo.Status.values())
                .map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ", was '" + text
                + "'");
    }
}
