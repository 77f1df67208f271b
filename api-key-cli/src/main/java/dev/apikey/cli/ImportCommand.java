package dev.apikey.cli;

import dev.apikey.ImportReport;
import dev.apikey.ImportResult;
import dev.apikey.KeyImport;
import dev.apikey.json.ExportJson;
import dev.apikey.json.ImportJson;
import dev.apikey.json.JsonRefusal;
import dev.apikey.json.KeyLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code apikey import}: keys from JSON lines or CSV, every rule of key management per line. */
@Command(name = "import", description = {"Import keys from JSON lines (an apikey export, or one key a line) or CSV "
        + "(RFC 4180, a header row; AWS API Gateway's export reads as it is). A line gives a plaintext key "
        + "(plaintext, or key) and its attributes, or is a key line of an export. Every rule of key management "
        + "applies to each line: declared scopes, the tenant's plan and its cap of live keys.",
    "A bad line is reported with its number and reason; by default the file is one batch: one bad line and "
        + "nothing is written. A rerun finds the keys there already and changes nothing. Plaintexts are hashed "
        + "on the way in and never printed.",
    "Exit 0 when every line is imported or there already, 1 when a line is refused."},
        footerHeading = "%nExamples:%n",
        footer = {"  apikey import keys.jsonl --dry-run",
            "  apikey import keys.jsonl",
            "  apikey import aws-keys.csv --tenant 92 --scope events:read --per-line",
            "  apikey --db jdbc:postgresql://127.0.0.1/keys --db-user keys import keys.jsonl",
            "", KeyCommand.STORE_OPTIONS})
final class ImportCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<file>", description = "The file; - reads standard input (JSON lines).")
    String file;

    @Option(names = "--dry-run", description = "Check every line and report what would happen; write nothing.")
    boolean dryRun;

    @Option(names = "--per-line", description = "Write each good line on its own: a bad line leaves the others "
            + "written (default: all or nothing).")
    boolean perLine;

    @Option(names = "--format", paramLabel = "jsonl|csv", description = "The file's format (default: csv for a "
            + ".csv file, else jsonl).")
    KeyLines.Format format;

    @Option(names = "--tenant", paramLabel = "<tenant-id>", description = "The tenant of lines that name none.")
    String tenant;

    @Option(names = "--scope", paramLabel = "<scope>", description = "A scope of lines that name none; repeat for "
            + "more.")
    List<String> scopes = new ArrayList<>();

    @Mixin
    PepperOptions pepperOptions;

    @Override
    public Integer call() throws IOException {
        if (dryRun && perLine) {
            throw new IllegalArgumentException("--dry-run and --per-line go apart: a dry run writes nothing");
        }
        Pepper pepper = pepperOptions.pepper();
        KeyLines.Format f = format != null ? format : KeyLines.Format.of(file);
        List<KeyLines.Line> lines;
        try (InputStream in = "-".equals(file) ? System.in : Files.newInputStream(Path.of(file))) {
            lines = KeyLines.read(in, f);
        }
        List<KeyMoves.Prepared> prepared = prepare(lines, f == KeyLines.Format.CSV, pepper);
        KeyImport.Mode mode = dryRun ? KeyImport.Mode.DRY_RUN
                : perLine ? KeyImport.Mode.PER_LINE : KeyImport.Mode.BATCH;
        try (KeyStoreSession session = KeyStoreSession.open(cli.db, cli.dbUser, cli.dbPassword, cli.prefix, !dryRun,
                pepper.hasher(), KeyMoves.WRITE_TIMEOUT)) {
            ImportReport report = KeyMoves.run(session.apiKeys, prepared, mode, KeyMoves.Progress.of(err(), json()));
            KeyMoves.print(report, mode, json(), out());
            return report.refused() == 0 ? 0 : 1;
        }
    }

    /** Reads each line into an import, or its refusal; an export's header is checked against the pepper. */
    private List<KeyMoves.Prepared> prepare(List<KeyLines.Line> lines, boolean csv, Pepper pepper) {
        ImportJson.Defaults defaults = new ImportJson.Defaults(tenant, scopes);
        List<KeyMoves.Prepared> out = new ArrayList<>(lines.size());
        boolean header = !lines.isEmpty() && lines.get(0).node() != null
                && ExportJson.FORMAT.equals(lines.get(0).node().path("format").asText(null));
        String fingerprint = null;
        if (header) {
            fingerprint = ExportJson.readHeader(lines.get(0).node()).pepperFingerprint();
        }
        boolean peppered = false;
        for (KeyLines.Line line : header ? lines.subList(1, lines.size()) : lines) {
            if (line.node() == null) {
                out.add(refused(line.number(), "malformed_line", line.error()));
                continue;
            }
            try {
                KeyImport i = ImportJson.read(line.number(), line.node(), csv, defaults);
                peppered |= ExportJson.isKeyLine(line.node()) && KeyMoves.peppered(line.node().path("secret_hash")
                        .asText(""));
                out.add(new KeyMoves.Prepared(i, null));
            } catch (JsonRefusal e) {
                out.add(refused(line.number(), "invalid", e.getMessage()));
            } catch (IllegalArgumentException e) {
                out.add(refused(line.number(), "invalid", e.getMessage()));
            }
        }
        pepper.requireMatches(fingerprint, peppered);
        return out;
    }

    private static KeyMoves.Prepared refused(long line, String code, String message) {
        return new KeyMoves.Prepared(null, new ImportResult(line, ImportResult.Outcome.REFUSED, null, code, message));
    }

    /** Owner-only permissions where the file system has them. */
    static FileAttribute<?>[] ownerOnly(Path path) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------"))}
                : new FileAttribute<?>[0];
    }
}
