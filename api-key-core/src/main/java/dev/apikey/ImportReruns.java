package dev.apikey;

import dev.apikey.model.KeyEvent;
import dev.apikey.spi.ExternalIdLookup;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.LegacyHash;
import dev.apikey.spi.StoredKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recognises an import line that was imported before, by its external id ({@link ExternalIdLookup}): the same key with
 * the same attributes is {@code UNCHANGED}; anything else under that id is refused as {@code external_id_conflict},
 * naming the key it was imported as and what differs. A changed line is refused, never applied as an edit: an import
 * creates keys, and a file rerun to fill gaps must not widen a key's scopes, move its expiry or swap its secret behind
 * the back of whoever edited it since (docs/MIGRATING.md, "Reruns and external ids"). Thread-safe; package-private.
 */
final class ImportReruns {

    private final KeyStore store;
    private final ImportRecords records;

    ImportReruns(KeyStore store, ImportRecords records) {
        this.store = store;
        this.records = records;
    }

    /**
     * {@return the keys that hold the lines' external ids already, read in a few statements before any line is
     * decided; {@code null} when the store keeps no external ids}
     *
     * @param lines the import's lines
     */
    Map<String, StoredKey> importedBefore(List<KeyImport> lines) {
        if (!(store instanceof ExternalIdLookup lookup)) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (KeyImport line : lines) {
            if (line.externalId() != null) {
                ids.add(line.externalId());
            }
        }
        return ids.isEmpty() ? Map.of() : lookup.findByExternalIds(ids);
    }

    /**
     * {@return the decision for a line whose external id a key holds already, or {@code null} when none does (or, for
     * a key moved between stores, when that key is this one: its key id decides, as for keys without an external id)}
     *
     * @param imported what {@link #importedBefore} found, or {@code null} for a store that keeps no external ids
     * @throws IllegalStateException if the store keeps no external ids
     */
    KeyImporter.Decided byExternalId(KeyImport line, StoredKey record, Map<String, StoredKey> imported) {
        if (imported == null) {
            throw new IllegalStateException("external_id needs a store that keeps it (an ExternalIdLookup); this store "
                    + "does not: leave external_id out");
        }
        StoredKey holder = imported.get(record.externalId());
        if (holder == null || line.isRecord() && holder.keyId().equals(record.keyId())) {
            return null;
        }
        List<String> differs = new ArrayList<>();
        if (!sameKey(line, holder, record)) {
            differs.add(line.isRecord() ? "key_id" : "the key");
        }
        KeyEvent.changes(holder.attributes(), record.attributes()).forEach(c -> differs.add(c.attribute()));
        if (differs.isEmpty()) {
            return unchanged(line.line(), holder, record);
        }
        return conflict(line.line(), holder, record, "this line differs from it in " + String.join(", ", differs));
    }

    /** {@return a rerun's line, left as it is; refused if the key holds another external id} */
    KeyImporter.Decided unchanged(long line, StoredKey holder, StoredKey record) {
        if (record.externalId() != null && holder.externalId() != null
                && !holder.externalId().equals(record.externalId())) {
            return KeyImporter.refused(line, holder.keyId(), "external_id_conflict", "line " + line + ": key "
                    + holder.keyId() + " was imported with external_id " + holder.externalId() + ", not "
                    + record.externalId());
        }
        return new KeyImporter.Decided(new ImportResult(line, ImportResult.Outcome.UNCHANGED, holder.keyId(), null,
                null), null, List.of());
    }

    private static KeyImporter.Decided conflict(long line, StoredKey holder, StoredKey record, String why) {
        return KeyImporter.refused(line, holder.keyId(), "external_id_conflict", "line " + line + ": external_id "
                + record.externalId() + " was imported as key " + holder.keyId() + "; " + why + " (a changed line is "
                + "refused, not applied: edit or rotate that key instead)");
    }

    /** Whether the line is the key the holder is: its secret, or a moved key's id. */
    private boolean sameKey(KeyImport line, StoredKey holder, StoredKey record) {
        if (line.isRecord()) {
            return false;
        }
        if (LegacyHash.isLegacy(record.secretHash())) {
            return holder.secretHash().equals(record.secretHash());
        }
        return holder.keyId().equals(record.keyId()) && records.sameSecret(line, holder, record);
    }
}
