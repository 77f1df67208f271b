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
    /** Lines the core decides per call when progress is shown line by line. */
    private static final int CHUNK = 1000;
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
        int written = 0;
        if (effective == KeyImport.Mode.BATCH) {
            progress.say("checking and writing " + good.size() + " keys as one batch");
            ImportReport r = apiKeys.manage(KeyCommand.ACTOR).importKeys(good, effective);
            results.addAll(r.lines());
            written = r.written();
        } else {
            for (int from = 0; from < good.size(); from += CHUNK) {
                List<KeyImport> chunk = good.subList(from, Math.min(good.size(), from + CHUNK));
                ImportReport r = apiKeys.manage(KeyCommand.ACTOR).importKeys(chunk, effective);
                results.addAll(r.lines());
                written += r.written();
                progress.say((effective == KeyImport.Mode.DRY_RUN ? "checked " : "imported ")
                        + (from + chunk.size()) + " of " + good.size());
            }
        }
        progress.done();
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

    /** Progress on standard error, only when it is a terminal. */
    static final class Progress {
        private final PrintWriter err;
        private boolean said;

        Progress(PrintWriter err, boolean terminal) {
            this.err = terminal ? err : null;
        }

        static Progress onTerminal(PrintWriter err) {
            return new Progress(err, System.console() != null);
        }

        void say(String text) {
            if (err != null) {
                err.print("\r\u001b[2Kapikey: " + text);
                err.flush();
                said = true;
            }
        }

        void done() {
            if (err != null && said) {
                err.println();
            }
        }
    }
}
