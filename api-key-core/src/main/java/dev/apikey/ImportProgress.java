package dev.apikey;

/**
 * Told how far an import has come ({@link KeyManager#importKeys(java.util.List, KeyImport.Mode, ImportProgress)}), so
 * that a tool can show a running count: counts only, never a key, a hash, an id or anything else of a line. Called on
 * the importing thread after each line is decided (and, line by line, written), and once more after a batch's one
 * atomic write committed; {@code written} stays 0 for a dry run and for a batch that wrote nothing.
 *
 * <p>It should return at once: the import waits for it. One that throws ends the import there; what was written
 * before (line by line) stays written, a batch not yet written is not.
 */
@FunctionalInterface
public interface ImportProgress {

    /**
     * How far the import has come.
     *
     * @param checked lines decided so far, 0 to {@code total}
     * @param written keys written so far
     * @param total   lines in the import
     */
    void progress(int checked, int written, int total);

    /**
     * A batch's lines are all checked and its keys are now written, in one atomic write that may take a while (a
     * minute for 100,000 keys into PostgreSQL): called once, before that write, not for a dry run or a batch with a
     * refused line. The default does nothing.
     *
     * @param keys how many keys the write holds
     */
    default void writing(int keys) {
    }

    /** {@return a progress that is told nothing} */
    static ImportProgress none() {
        return (checked, written, total) -> {
        };
    }
}
