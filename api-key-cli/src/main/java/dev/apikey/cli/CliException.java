package dev.apikey.cli;

/**
 * A refusal the CLI itself decides (no database, a key revoked already): a stable code for {@code --json},
 * a message for people and an exit code.
 */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final int exitCode;

    CliException(String code, String message, int exitCode) {
        super(message, null, false, false);
        this.code = code;
        this.exitCode = exitCode;
    }

    String code() {
        return code;
    }

    int exitCode() {
        return exitCode;
    }
}
