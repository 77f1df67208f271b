package dev.apikey.cli;

import dev.apikey.KeyHistoryReader;
import dev.apikey.json.EventJson;
import dev.apikey.model.KeyEvent;
import dev.apikey.spi.EventFilter;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code apikey history}: one key's history, newest first: who created, edited, rotated, disabled, revoked it. */
@Command(name = "history", description = "Show a key's history, newest first: who did what, and when.",
        footerHeading = "%nExamples:%n",
        footer = {"  apikey history 3kTz9QbC", "  apikey history wlcro_92_3kTz9QbC --since 7d",
            "  apikey history 3kTz9QbC --since 2026-11-01 --json", "", KeyCommand.STORE_OPTIONS})
final class HistoryCommand extends KeyCommand implements Callable<Integer> {

    /** Longest look back of {@code --since}: ten years. */
    static final Duration MAX_SINCE = Duration.ofDays(3650);

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters) or the key's hint.")
    String keyId;

    @Option(names = "--since", paramLabel = "<since>", description = "Only events since then: a time back from now "
            + "(30m, 12h, 7d) or a date or instant (2026-11-01, 2026-11-01T09:00:00Z). Default: all that is kept.")
    String since;

    @Option(names = "--limit", paramLabel = "<n>", description = "The most events shown, 1 to "
            + KeyHistoryReader.MAX_PAGE + "; default 100.")
    int limit = 100;

    @Override
    public Integer call() {
        String id = keyIdOf(keyId, cli.prefix);
        if (limit < 1 || limit > KeyHistoryReader.MAX_PAGE) {
            throw new IllegalArgumentException("--limit must be 1 to " + KeyHistoryReader.MAX_PAGE + ", was " + limit);
        }
        Instant from = since == null ? null : since(since, Instant.now());
        try (KeyStoreSession session = cli.open()) {
            requireHintMatches(keyId, id, session.apiKeys);
            session.apiKeys.get(id).orElseThrow(() -> new CliException("key_not_found", "no key with id " + id, 1));
            KeyHistoryReader.Page page = session.apiKeys.history().page(EventFilter.key(id).between(from, null), null,
                    limit);
            PrintWriter out = out();
            if (json()) {
                Output.json(out, EventJson.writePage(page.events(), page.nextCursor().orElse(null)));
            } else {
                table(out, page.events());
                page.nextCursor().ifPresent(c -> out.println("(the " + limit + " newest shown; --limit shows more)"));
            }
            return 0;
        }
    }

    /**
     * The start of {@code --since}: a duration back from now, or a date or instant, each range-checked before any
     * arithmetic.
     */
    static Instant since(String text, Instant now) {
        String rule = "--since must be a time back from now (30m, 12h, 7d: at most " + MAX_SINCE.toDays()
                + " days) or a date or instant (2026-11-01, 2026-11-01T09:00:00Z)";
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,7})([mhd])").matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration back = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            if (back.isZero() || back.compareTo(MAX_SINCE) > 0) {
                throw new IllegalArgumentException(rule);
            }
            return now.minus(back);
        }
        Instant at;
        try {
            at = OptionValues.parseExpiry("--since", text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(rule);
        }
        if (at.isBefore(Instant.EPOCH) || at.isAfter(now)) {
            throw new IllegalArgumentException("--since must be from 1970-01-01 to now, was " + text);
        }
        return at;
    }

    private static final String LINE = "%-24s  %-13s  %-24s  %s%n";

    /** A readable table, newest first: every value as text (the core replaced control characters already). */
    static void table(PrintWriter out, List<KeyEvent> events) {
        if (events.isEmpty()) {
            out.println("no events");
            return;
        }
        out.printf(LINE, "AT", "EVENT", "ACTOR", "DETAILS");
        for (KeyEvent e : events) {
            out.printf(LINE, e.at(), e.type().jsonName(), e.actor(), details(e));
        }
    }

    private static String details(KeyEvent e) {
        List<String> parts = new ArrayList<>();
        for (KeyEvent.Change c : e.changes()) {
            parts.add(c.before() == null && c.after() == null ? c.attribute() + " changed"
                    : c.attribute() + ": " + orNone(c.before()) + " -> " + orNone(c.after()));
        }
        e.details().forEach((name, value) -> parts.add(name + "=" + value));
        return String.join("; ", parts);
    }

    private static String orNone(String value) {
        return value == null ? "(none)" : value;
    }
}
