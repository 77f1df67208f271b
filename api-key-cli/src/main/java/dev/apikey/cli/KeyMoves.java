package dev.apikey.cli;

import dev.apikey.ApiKeys;
import dev.apikey.ImportReport;
import dev.apikey.ImportResult;
import dev.apikey.KeyImport;
import dev.apikey.json.ExportJson;
import dev.apikey.json.KeyJson;
import dev.apikey.model.KeyEvent;
import dev.apikey.spi.EventFilter;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyHistory;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.StoredKey;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * What export, import and copy share: reading every key of a store with its history, and running an import through
 * the core ({@link dev.apikey.KeyManager#importKeys}) with the lines refused before it (unreadable ones) merged in
 * by line number. A batch with a line refused anywhere writes nothing.
 */
final class KeyMoves {

    /** Keys read from a store per page. */
    private static final int PAGE = 500;
    /**
     * The store's query timeout for an import or copy: a batch is one transaction and its events one batched
     * statement, which the default (2 s, sized for a cache miss) cuts off past some thousands of keys.
     */
    static final java.time.Duration WRITE_TIMEOUT = java.time.Duration.ofSeconds(60);
    private static final String PEPPERED = "$" + dev.apikey.hash.HmacSha256Hasher.ALGORITHM + "$";

    private KeyMoves() {
    }

    /** A line refused before it reached the core, or a line for it. */
    record Prepared(KeyImport line, ImportResult refused) {
    }

    /** Every key of the store, page by page, with its history oldest first. */
    static void eachKey(KeyStore store, Instant now, Consumer<ExportJson.Moved> each) {
        KeyFilter filter = new KeyFilter(null, null, null, null, null, null, false, null, null, now);
        while (true) {
            List<StoredKey> page = store.findPage(filter, PAGE);
            for (StoredKey k : page) {
                each.accept(new ExportJson.Moved(k, history(store, k.keyId())));
            }
            if (page.size() < PAGE) {
                return;
            }
            filter = filter.after(page.get(page.size() - 1));
        }
    }

    private static List<KeyEvent> history(KeyStore store, String keyId) {
        if (!(store instanceof KeyHistory h)) {
            return List.of();
        }
        List<KeyEvent> events = new ArrayList<>();
        EventFilter filter = EventFilter.key(keyId);
        while (true) {
            List<KeyEvent> page = h.findEvents(filter, KeyHistory.MAX_PAGE);
            events.addAll(page);
            if (page.size() < KeyHistory.MAX_PAGE) {
                break;
            }
            filter = filter.after(page.get(page.size() - 1));
        }
        events.sort(Comparator.comparing(KeyEvent::at).thenComparing(KeyEvent::eventId));
        return events;
    }

    /** {@return whether a stored hash needs a pepper to verify} @param hash the stored hash */
    static boolean peppered(String hash) {
        return hash.startsWith(PEPPERED);
    }

    /** Writes an export: the header, then a line per key. {@return how many keys} */
    static int export(KeyStoreSession session, Pepper pepper, PrintWriter out) {
        Instant now = Instant.now();
        out.println(ExportJson.header(pepper.hasher() == null ? dev.apikey.hash.Sha256Hasher.create().algorithm()
                : pepper.hasher().algorithm(), pepper.fingerprint(), now));
        int[] n = {0};
        eachKey(session.store, now, moved -> {
            out.println(ExportJson.writeKey(moved.key(), moved.events()).toString());
            n[0]++;
        });
        out.flush();
        return n[0];
    }

    /**
     * Runs an import through the core: refused lines merged in; a batch with any refused line decided as a dry run,
     * so that every line is reported and nothing written.
     */
    static ImportReport run(ApiKeys apiKeys, List<Prepared> lines, KeyImport.Mode mode, Progress progress) {
        try {
            return runChecked(apiKeys, lines, mode, progress);
        } finally {
            progress.done();
        }
    }

    private static ImportReport runChecked(ApiKeys apiKeys, List<Prepared> lines, KeyImport.Mode mode,
            Progress progress) {
        List<KeyImport> good = new ArrayList<>();
        List<ImportResult> results = new ArrayList<>();
        for (Prepared p : lines) {
            if (p.refused() != null) {
                results.add(p.refused());
            } else {
                good.add(p.line());
            }
        }
        KeyImport.Mode effective = mode == KeyImport.Mode.BATCH && !results.isEmpty() ? KeyImport.Mode.DRY_RUN : mode;
        // One call, whatever the mode, so that a line is checked against every other (a key id or external id twice)
        ImportReport r = apiKeys.manage(KeyCommand.ACTOR).importKeys(good, effective, progress);
        results.addAll(r.lines());
        int written = r.written();
        results.sort(Comparator.comparingLong(ImportResult::line));
        return new ImportReport(results, written);
    }

    /** Prints a report: every line of a dry run, refused lines always, then a summary. */
    static void print(ImportReport report, KeyImport.Mode mode, boolean json, PrintWriter out) {
        if (json) {
            var o = KeyJson.mapper().createObjectNode();
            o.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
            o.put("written", report.written());
            o.put("refused", report.refused());
            var list = o.putArray("lines");
            for (ImportResult r : report.lines()) {
                list.addObject().put("line", r.line()).put("outcome", r.outcome().name().toLowerCase(
                        java.util.Locale.ROOT)).put("key_id", r.keyId()).put("code", r.code())
                        .put("message", r.message());
            }
            out.println(o.toPrettyString());
            return;
        }
        for (ImportResult r : report.lines()) {
            if (mode == KeyImport.Mode.DRY_RUN || r.outcome() == ImportResult.Outcome.REFUSED) {
                out.println("line " + r.line() + ": " + r.outcome().name().toLowerCase(java.util.Locale.ROOT)
                        + (r.keyId() == null ? "" : " " + r.keyId())
                        + (r.code() == null ? "" : ": " + r.code() + ": " + r.message()));
            }
        }
        long created = report.lines().stream().filter(r -> r.outcome() == ImportResult.Outcome.CREATE).count();
        long unchanged = report.lines().stream().filter(r -> r.outcome() == ImportResult.Outcome.UNCHANGED).count();
        out.println(report.lines().size() + " lines: " + report.written() + " keys written, " + unchanged
                + " there already, " + report.refused() + " refused"
                + (report.written() == 0 && created > 0 ? " (" + created + " would be created; "
                        + (mode == KeyImport.Mode.DRY_RUN ? "dry run" : "a batch with a refused line writes nothing")
                        + ")" : ""));
    }

    /**
     * A running count on standard error, one line rewritten in place, only when standard output is a terminal and the
     * output is not {@code --json}: piped or JSON output gets nothing extra. Counts only, never a key. Rewritten at
     * most every {@value #EVERY_MILLIS} ms, and at the end of the checks and of the write.
     */
    static final class Progress implements dev.apikey.ImportProgress {
        static final long EVERY_MILLIS = 100;
        private final PrintWriter err;
        private final java.util.function.LongSupplier clock;
        private long last = Long.MIN_VALUE;
        private boolean said;

        Progress(PrintWriter err, boolean terminal, java.util.function.LongSupplier millis) {
            this.err = terminal ? err : null;
            this.clock = millis;
        }

        /** {@return the count for a command's import: shown on a terminal only, never with --json} */
        static Progress of(PrintWriter err, boolean json) {
            return new Progress(err, !json && stdoutIsTerminal(), System::currentTimeMillis);
        }

        /**
         * Whether standard output is a terminal: {@link System#console()} is one only then up to Java 21; from 22 on
         * it may be one when redirected too, and {@code Console.isTerminal()} tells.
         */
        private static boolean stdoutIsTerminal() {
            java.io.Console console = System.console();
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }

        @Override
        public void progress(int checked, int written, int total) {
            if (err == null) {
                return;
            }
            long now = clock.getAsLong();
            boolean end = checked == total;
            if (!end && last != Long.MIN_VALUE && now - last < EVERY_MILLIS) {
                return;
            }
            last = now;
            say("checked " + checked + " of " + total + " lines" + (written > 0 ? ", " + written + " keys written"
                    : ""));
        }

        @Override
        public void writing(int keys) {
            if (err != null) {
                say("checked all lines, writing " + keys + " keys as one batch");
            }
        }

        private void say(String text) {
            err.print("\r\u001b[2Kapikey: " + text);
            err.flush();
            said = true;
        }

        void done() {
            if (err != null && said) {
                err.println();
                err.flush();
            }
        }
    }
}
