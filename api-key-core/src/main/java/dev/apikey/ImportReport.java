package dev.apikey;

import java.util.List;

/**
 * The outcome of {@link KeyManager#importKeys}: each line's {@link ImportResult}, in the order given, and how many
 * keys were written.
 *
 * @param lines   each line's result
 * @param written how many keys were written: 0 for a dry run and for a batch with a refused line
 */
public record ImportReport(List<ImportResult> lines, int written) {

    /**
     * @param lines   each line's result
     * @param written how many keys were written
     * @throws IllegalArgumentException if written is negative
     */
    public ImportReport {
        lines = List.copyOf(lines);
        if (written < 0) {
            throw new IllegalArgumentException("written must be 0 or more, was " + written);
        }
    }

    /** {@return how many lines were refused} */
    public long refused() {
        return lines.stream().filter(l -> l.outcome() == ImportResult.Outcome.REFUSED).count();
    }
}
