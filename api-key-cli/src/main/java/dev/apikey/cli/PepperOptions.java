package dev.apikey.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --pepper-file} and {@code --pepper-id}: the pepper of a store whose keys are hashed with HMAC-SHA-256. */
final class PepperOptions {

    @Option(names = "--pepper-file", paramLabel = "<file>", description = "A file holding the store's pepper in "
            + "base64 (the HMAC key of its hashes; never on the command line). Export writes its fingerprint, never "
            + "the pepper; import and copy refuse a source of another pepper.")
    Path file;

    @Option(names = "--pepper-id", paramLabel = "<id>", defaultValue = "p1",
            description = "The pepper's id as the store's hashes name it (default: p1).")
    String id;

    /** {@return the pepper these options name, or none} */
    Pepper pepper() {
        return Pepper.from(file, id, "--pepper-file");
    }
}
