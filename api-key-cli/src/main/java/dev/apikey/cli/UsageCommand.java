package dev.apikey.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.Usage;
import dev.apikey.json.KeyJson;
import dev.apikey.json.UsageJson;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsagePoint;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code apikey usage}: a key's verifies over time by outcome, or a tenant's with its busiest keys and the keys with
 * the most refusals; a table and a sparkline, or {@link UsageJson}'s JSON with {@code --json}.
 */
@Command(name = "usage", description = "Show how often a key, or a tenant's keys, were verified: granted and "
        + "refused by kind, over time.", footerHeading = "%nExamples:%n",
        footer = {"  apikey usage 3kTz9QbC", "  apikey usage wlcro_92_3kTz9QbC --since 7d", "  apikey usage --tenant 92",
            "  apikey usage --tenant 92 --since 30d --json", "", KeyCommand.STORE_OPTIONS})
final class UsageCommand extends KeyCommand implements Callable<Integer> {

    /** At most this many table rows: past it, empty buckets are left out. */
    private static final int MAX_ROWS = 48;

    @Parameters(paramLabel = "<key-id>", arity = "0..1", description = "The key id (8 characters) or the key's hint.")
    String keyId;

    @Option(names = "--tenant", paramLabel = "<tenant>", description = "A tenant's usage instead of a key's.")
    String tenant;

    @Option(names = "--since", paramLabel = "<age>", description = "How far back: 30m, 24h, 7d (default 24h; at "
            + "most 3650d).")
    String since = "24h";

    @Option(names = "--bucket", paramLabel = "<size>", description = "minute, hour or day (default: by the range).")
    String bucket;

    @Option(names = "--limit", paramLabel = "<n>", description = "Keys in a tenant's top lists, 1 to 100 (default 10).")
    int limit = 10;

    @Override
    public Integer call() {
        if ((keyId == null) == (tenant == null)) {
            throw new IllegalArgumentException("give a <key-id> or --tenant, not both and not neither");
        }
        String id = keyId == null ? null : keyIdOf(keyId, cli.prefix);
        if (tenant != null) {
            UsageSubject.tenant(tenantOption(tenant));
        }
        Duration back = since(since);
        UsageGrain grain = bucket == null ? null : bucketOption(bucket);
        if (limit < 1 || limit > Usage.MAX_TOP) {
            throw new IllegalArgumentException("--limit must be 1 to " + Usage.MAX_TOP + ", was " + limit);
        }
        try (KeyStoreSession session = cli.open()) {
            Usage usage = session.apiKeys.usage();
            Instant to = usage.now();
            Instant from = to.minus(back);
            UsageGrain g = grain != null ? grain : back.compareTo(Duration.ofHours(3)) <= 0 ? UsageGrain.MINUTE
                    : back.compareTo(Duration.ofDays(2)) <= 0 ? UsageGrain.HOUR : UsageGrain.DAY;
            if (id != null) {
                requireHintMatches(keyId, id, session.apiKeys);
                ApiKeyInfo info = session.apiKeys.get(id).orElseThrow(
                        () -> new CliException("key_not_found", "no key with id " + id, 1));
                UsageSubject subject = UsageSubject.key(id);
                List<UsagePoint> points = usage.series(subject, from, to, g);
                if (json()) {
                    ObjectNode out = UsageJson.series(subject, from, to, g, points);
                    info.attributes().tenantId().ifPresent(t -> out.put("tenant_id", t));
                    Output.json(out(), KeyJson.mapper().convertValue(out, Map.class));
                } else {
                    print(out(), "usage of " + info.hint() + " (" + info.attributes().name() + ")", from, to, g, points);
                }
            } else {
                UsageSubject subject = UsageSubject.tenant(tenant);
                List<UsagePoint> points = usage.series(subject, from, to, g);
                List<UsageTotal> busiest = usage.top(tenant, from, to, UsageTotal.Rank.CALLS, limit);
                List<UsageTotal> refused = usage.top(tenant, from, to, UsageTotal.Rank.REFUSALS, limit);
                if (json()) {
                    ObjectNode out = UsageJson.series(subject, from, to, g, points);
                    out.set("busiest", UsageJson.top(busiest));
                    out.set("most_refused", UsageJson.top(refused));
                    Output.json(out(), KeyJson.mapper().convertValue(out, Map.class));
                } else {
                    PrintWriter out = out();
                    print(out, "usage of tenant " + tenant, from, to, g, points);
                    top(out, "busiest keys", busiest);
                    top(out, "keys with the most refusals", refused);
                }
            }
            return 0;
        }
    }

    private static String tenantOption(String t) {
        try {
            return UsageSubject.tenant(t).id();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tenant " + e.getMessage().substring("tenantId ".length()));
        }
    }

    /** {@code 30m}, {@code 24h}, {@code 7d}: checked before any arithmetic. */
    static Duration since(String text) {
        if (text == null || !text.matches("[1-9][0-9]{0,6}[mhd]")) {
            throw new IllegalArgumentException("--since must be a number and m, h or d, e.g. 30m, 24h or 7d");
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        Duration d = switch (text.charAt(text.length() - 1)) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(Duration.ofDays(3650)) > 0) {
            throw new IllegalArgumentException("--since must be at most 3650d, was " + text);
        }
        return d;
    }

    private static UsageGrain bucketOption(String text) {
        try {
            return UsageGrain.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
    }

    /** The heading, the totals, the refusals by kind, a sparkline and a table of buckets. */
    private static void print(PrintWriter out, String heading, Instant from, Instant to, UsageGrain g,
            List<UsagePoint> points) {
        long calls = 0;
        long granted = 0;
        Map<String, Long> refusals = new TreeMap<>();
        long[] perBucket = new long[points.size()];
        for (int i = 0; i < points.size(); i++) {
            UsagePoint p = points.get(i);
            calls += p.total();
            granted += p.granted();
            perBucket[i] = p.total();
            p.outcomes().forEach((o, n) -> {
                if (!o.equals(UsagePoint.GRANTED)) {
                    refusals.merge(o, n, Long::sum);
                }
            });
        }
        out.printf("%s, %s to %s, by %s%n", heading, from, to, g.label());
        out.printf("  calls %d  granted %d  refused %d (%.1f %%)%n", calls, granted, calls - granted,
                calls == 0 ? 0.0 : (calls - granted) * 100.0 / calls);
        if (!refusals.isEmpty()) {
            StringBuilder kinds = new StringBuilder();
            refusals.forEach((o, n) -> kinds.append(kinds.length() == 0 ? "" : ", ").append(o).append(' ').append(n));
            out.printf("  refused by kind: %s%n", kinds);
        }
        if (calls == 0) {
            out.println("  no verifies counted in this range");
            return;
        }
        out.printf("  calls |%s|%n", Sparkline.of(perBucket));
        boolean skipEmpty = points.size() > MAX_ROWS;
        out.printf("  %-20s  %8s  %8s  %8s  %s%n", "BUCKET", "CALLS", "GRANTED", "REFUSED", "NETWORKS");
        for (UsagePoint p : points) {
            if (!skipEmpty || p.total() > 0) {
                out.printf("  %-20s  %8d  %8d  %8d  %s%n", p.start(), p.total(), p.granted(), p.refused(),
                        p.total() == 0 ? "-" : "~" + p.networks());
            }
        }
        if (skipEmpty) {
            out.println("  (buckets without verifies left out)");
        }
    }

    private static void top(PrintWriter out, String heading, List<UsageTotal> keys) {
        out.printf("%s:%n", heading);
        if (keys.isEmpty()) {
            out.println("  none");
            return;
        }
        out.printf("  %-8s  %8s  %8s  %8s%n", "KEY ID", "CALLS", "GRANTED", "REFUSED");
        for (UsageTotal t : keys) {
            out.printf("  %-8s  %8d  %8d  %8d%n", t.keyId(), t.calls(), t.granted(), t.refused());
        }
    }
}
