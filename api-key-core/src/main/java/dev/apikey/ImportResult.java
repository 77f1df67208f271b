package dev.apikey;

import java.util.Objects;

/**
 * What an import did, or would do, with one line: {@link Outcome#CREATE} (written, unless the import was a dry run
 * or a batch another line spoiled, see {@link ImportReport#written()}), {@link Outcome#UNCHANGED} (the key is in the
 * store already with this secret: a rerun) or {@link Outcome#REFUSED} with the rule broken.
 *
 * @param line    the line of the source
 * @param outcome what happens
 * @param keyId   the key's id, or {@code null} when the line is refused before it has one
 * @param code    why a line is refused (e.g. {@code scope_not_grantable}, {@code key_limit_reached},
 *                {@code key_exists}, {@code malformed_key}), or {@code null}
 * @param message the refusal in words, naming the field and the rule; never a plaintext; or {@code null}
 */
public record ImportResult(long line, Outcome outcome, String keyId, String code, String message) {

    /**
     * @param line    the line of the source
     * @param outcome what happens
     * @param keyId   the key's id, or {@code null}
     * @param code    why the line is refused, or {@code null}
     * @param message the refusal in words, or {@code null}
     * @throws NullPointerException if outcome is null, or a refusal has no code
     */
    public ImportResult {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.REFUSED) {
            Objects.requireNonNull(code, "code");
        }
    }

    /** What happens to a line. */
    public enum Outcome {
        /** A new key. */
        CREATE,
        /** The key is there already, with this secret: nothing to do. */
        UNCHANGED,
        /** Broken rule: nothing of the line is written. */
        REFUSED
    }
}
