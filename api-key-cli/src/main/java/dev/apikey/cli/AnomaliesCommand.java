package dev.apikey.cli;

import dev.apikey.json.AnomalyJson;
import dev.apikey.json.KeyJson;
import dev.apikey.model.Anomaly;
import dev.apikey.model.UsageSubject;
import dev.apikey.spi.AnomalyLog;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apikey anomalies}: what the anomaly detection of the instances sharing this store opened (refusal bursts,
 * volume spikes, new networks, quotas, old keys still used), read from the store's anomaly log as the admin API's
 * {@code GET /anomalies} reads it; a table, or {@link AnomalyJson}'s JSON with {@code --json}. The detection runs
 * in the applications ({@code apikey.anomalies.enabled}), not here: this only reads.
 */
@Command(name = "anomalies", description = "Show the anomalies the applications' detection opened: refusal bursts, "
        + "volume spikes, new networks, quotas, old keys still used.", footerHeading = "%nExamples:%n",
        footer = {"  apikey anomalies --open", "  apikey anomalies --tenant 92 --since 7d",
            "  apikey anomalies --key 3kTz9QbC --json", "", KeyCommand.STORE_OPTIONS})
final class AnomaliesCommand extends KeyCommand implements Callable<Integer> {

    @Option(names = "--tenant", paramLabel = "<tenant>", description = "Only this tenant's (its own and its keys').")
    String tenant;

    @Option(names = "--key", paramLabel = "<key-id>", description = "Only this key's: its id (8 characters) or hint.")
    String key;

    @Option(names = "--since", paramLabel = "<age>", description = "Opened at most this long ago: 30m, 24h, 7d "
            + "(default 30d; at most 3650d).")
    String since = "30d";

    @Option(names = "--open", description = "Only the open ones (their window has not ended).")
    boolean openOnly;

    @Option(names = "--limit", paramLabel = "<n>", description = "At most this many, the newest first: 1 to "
            + AnomalyLog.MAX_READ + " (default 100).")
    int limit = 100;

    @Override
    public Integer call() {
        String tenantId = tenant == null ? null : tenantOption(tenant);
        String keyId = key == null ? null : keyIdOf(key, cli.prefix);
        java.time.Duration back = UsageCommand.since(since);
        if (limit < 1 || limit > AnomalyLog.MAX_READ) {
            throw new IllegalArgumentException("--limit must be 1 to " + AnomalyLog.MAX_READ + ", was " + limit);
        }
        try (KeyStoreSession session = cli.open()) {
            if (keyId != null) {
                requireHintMatches(key, keyId, session.apiKeys);
            }
            Instant from = Instant.now().minus(back);
            List<Anomaly> found = ((AnomalyLog) session.store).readAnomalies(tenantId, keyId, openOnly, limit)
                    .stream().filter(a -> !a.openedAt().isBefore(from)).toList();
            if (json()) {
                Output.json(out(), KeyJson.mapper().convertValue(AnomalyJson.list(found), Map.class));
            } else {
                print(out(), heading(tenantId, keyId, from), found);
            }
            return 0;
        }
    }

    private String heading(String tenantId, String keyId, Instant from) {
        return (openOnly ? "open anomalies" : "anomalies") + (keyId != null ? " of key " + keyId : "")
                + (tenantId != null ? " of tenant " + tenantId : "") + (keyId == null && tenantId == null
                ? " of every tenant" : "") + ", opened since " + from.truncatedTo(ChronoUnit.SECONDS);
    }

    private static String tenantOption(String t) {
        try {
            return UsageSubject.tenant(t).id();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tenant " + e.getMessage().substring("tenantId ".length()));
        }
    }

    /** A line per anomaly: when, what, about whom, in which window, seen against usual, open or closed. */
    private static void print(PrintWriter out, String heading, List<Anomaly> anomalies) {
        out.printf("%s: %d%n", heading, anomalies.size());
        if (anomalies.isEmpty()) {
            return;
        }
        out.printf("  %-20s  %-15s  %-15s  %-8s  %-20s  %8s  %8s  %-6s  %s%n", "OPENED", "KIND", "SUBJECT", "TENANT",
                "WINDOW", "SEEN", "USUAL", "STATE", "DETAIL");
        for (Anomaly a : anomalies) {
            String subject = (a.subject().kind() == UsageSubject.Kind.KEY ? "key " : "tenant ") + a.subject().id();
            long minutes = java.time.Duration.between(a.windowStart(), a.windowEnd()).toMinutes();
            String window = a.windowStart().truncatedTo(ChronoUnit.SECONDS).toString().substring(0, 16) + "+"
                    + (minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m");
            out.printf("  %-20s  %-15s  %-15s  %-8s  %-20s  %8d  %8d  %-6s  %s%n",
                    a.openedAt().truncatedTo(ChronoUnit.SECONDS), a.kind().label(), subject,
                    a.tenantId() == null ? "-" : a.tenantId(), window, a.observed(), a.baseline(),
                    a.isOpen() ? "open" : "closed", a.detail() == null ? "" : a.detail());
        }
    }
}
