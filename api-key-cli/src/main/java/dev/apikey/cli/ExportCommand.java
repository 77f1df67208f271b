package dev.apikey.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apikey export}: every key of the store as JSON lines, never a plaintext. */
@Command(name = "export", description = {"Write every key of the store as JSON lines: a header (format version, "
        + "hasher, pepper fingerprint), then each key's attributes, stored hash, state and history. Never a "
        + "plaintext; the stored hashes are what the database holds anyway: keep the file as you keep the database.",
    "Read it back with apikey import, into this or another store (docs/MIGRATING.md)."},
        footerHeading = "%nExamples:%n",
        footer = {"  apikey export > keys.jsonl",
            "  apikey --db jdbc:h2:./apikeys export --output keys.jsonl",
            "", KeyCommand.STORE_OPTIONS})
final class ExportCommand extends KeyCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, paramLabel = "<file>",
            description = "Write to this file (created owner-only, must not exist) instead of standard output.")
    Path output;

    @Mixin
    PepperOptions pepperOptions;

    @Override
    public Integer call() throws IOException {
        Pepper pepper = pepperOptions.pepper();
        try (KeyStoreSession session = cli.open()) {
            int n;
            if (output == null) {
                n = KeyMoves.export(session, pepper, out());
            } else {
                Files.createFile(output, ImportCommand.ownerOnly(output));
                try (PrintWriter w = new PrintWriter(new OutputStreamWriter(Files.newOutputStream(output),
                        StandardCharsets.UTF_8))) {
                    n = KeyMoves.export(session, pepper, w);
                }
            }
            err().println("apikey: exported " + n + " keys");
            return 0;
        }
    }
}
