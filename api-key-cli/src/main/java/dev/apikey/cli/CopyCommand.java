package dev.apikey.cli;

import dev.apikey.ImportReport;
import dev.apikey.KeyImport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apikey copy}: every key of one store into another, as export then import would. */
@Command(name = "copy", description = {"Copy every key (attributes, stored hash, state, history) from one store to "
        + "another: export then import in one step, all or nothing, every rule of key management applied. Keys keep "
        + "their ids and secrets: their holders notice nothing.",
    "A store whose keys are hashed with a pepper (HMAC) needs the same pepper on both sides: the copy compares the "
        + "fingerprints of --from-pepper-file and --to-pepper-file and refuses when they differ."},
        footerHeading = "%nExamples:%n",
        footer = {"  apikey copy --from jdbc:h2:./apikeys \\",
            "      --to jdbc:postgresql://127.0.0.1/keys --to-user keys",
            "  apikey copy --from jdbc:h2:./apikeys --to jdbc:h2:./moved --dry-run",
            "", "The key prefix (--prefix) goes before the command: see apikey --help."})
final class CopyCommand extends KeyCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "<jdbc-url>", description = "The source store.")
    String from;

    @Option(names = "--from-user", paramLabel = "<user>", description = "The source's database user.")
    String fromUser = "";

    @Option(names = "--from-password", paramLabel = "<password>", description = "The source's database password.")
    String fromPassword;

    @Option(names = "--to", required = true, paramLabel = "<jdbc-url>", description = "The target store "
            + "(created if missing).")
    String to;

    @Option(names = "--to-user", paramLabel = "<user>", description = "The target's database user.")
    String toUser = "";

    @Option(names = "--to-password", paramLabel = "<password>", description = "The target's database password.")
    String toPassword;

    @Option(names = "--from-pepper-file", paramLabel = "<file>", description = "The source's pepper (base64).")
    Path fromPepperFile;

    @Option(names = "--to-pepper-file", paramLabel = "<file>", description = "The target's pepper (base64).")
    Path toPepperFile;

    @Option(names = "--pepper-id", paramLabel = "<id>", defaultValue = "p1", description = "The pepper's id "
            + "(default: p1).")
    String pepperId;

    @Option(names = "--dry-run", description = "Check every key against the target's rules; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Pepper fromPepper = Pepper.from(fromPepperFile, pepperId, "--from-pepper-file");
        Pepper toPepper = Pepper.from(toPepperFile, pepperId, "--to-pepper-file");
        List<KeyMoves.Prepared> lines = new ArrayList<>();
        boolean[] peppered = {false};
        try (KeyStoreSession source = KeyStoreSession.open(from, fromUser, fromPassword, cli.prefix, false,
                fromPepper.hasher(), null)) {
            KeyMoves.eachKey(source.store, Instant.now(), moved -> {
                peppered[0] |= KeyMoves.peppered(moved.key().secretHash());
                lines.add(new KeyMoves.Prepared(KeyImport.record(lines.size() + 1, moved.key(), moved.events()),
                        null));
            });
        }
        toPepper.requireMatches(fromPepper.fingerprint(), peppered[0]);
        KeyImport.Mode mode = dryRun ? KeyImport.Mode.DRY_RUN : KeyImport.Mode.BATCH;
        try (KeyStoreSession target = KeyStoreSession.open(to, toUser, toPassword, cli.prefix, !dryRun,
                toPepper.hasher(), KeyMoves.WRITE_TIMEOUT)) {
            ImportReport report = KeyMoves.run(target.apiKeys, lines, mode, KeyMoves.Progress.of(err(), json()));
            KeyMoves.print(report, mode, json(), out());
            return report.refused() == 0 ? 0 : 1;
        }
    }
}
