package dev.apikey;

import dev.apikey.model.KeyEvent;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.StoredKey;
import java.util.List;
import java.util.Objects;

/**
 * One line of an import ({@link KeyManager#importKeys}): a plaintext key of this environment's format with its
 * attributes, hashed on the way in; or a key moved from another store as that store held it (its stored hash,
 * state, lineage and history), as {@code apikey export} writes it. Either way every rule of key management applies
 * to it: the actor's grant ceiling and lifetime, the tenant's plan scopes and cap of live keys.
 *
 * <p>Immutable. {@link #toString()} names the line and the key id, never the plaintext or the hash.
 */
public final class KeyImport {

    private final long line;
    private final String plaintext;
    private final KeySpec spec;
    private final StoredKey record;
    private final List<KeyEvent> history;
    private final String externalId;
    private final String legacyHash;

    private KeyImport(long line, String plaintext, KeySpec spec, StoredKey record, List<KeyEvent> history,
            String externalId, String legacyHash) {
        if (line < 1) {
            throw new IllegalArgumentException("line must be 1 or more, was " + line);
        }
        if (externalId != null) {
            try {
                StoredKey.checkExternalId(externalId);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
            }
        }
        this.line = line;
        this.plaintext = plaintext;
        this.spec = spec;
        this.record = record;
        this.history = history;
        this.externalId = externalId;
        this.legacyHash = legacyHash;
    }

    /**
     * {@return a key given as its plaintext, to store with these attributes} A key of this environment's format
     * becomes one of ours (its key id from the plaintext); any other plaintext becomes a legacy key found by the
     * SHA-256 of the whole key ({@link dev.apikey.spi.LegacyHash#keyDigest}). Importing the same line again finds the
     * key and changes nothing.
     *
     * @param line       the line of the source it came from, 1 or more, for the report
     * @param plaintext  the key as its holder sends it; hashed on the way in, never kept or logged
     * @param spec       its attributes; a tenant must match the tenant segment of the key
     * @param externalId the id the source system knew it by, or {@code null}: stored with the key, unique in the store
     *                   ({@link dev.apikey.spi.ExternalIdLookup}), so that a rerun finds the line's key by it
     * @throws IllegalArgumentException if line is below 1, or externalId breaks
     *                                  {@link StoredKey#checkExternalId}'s rule (the message names the line)
     */
    public static KeyImport plaintext(long line, String plaintext, KeySpec spec, String externalId) {
        return new KeyImport(line, Objects.requireNonNull(plaintext, "plaintext"), Objects.requireNonNull(spec, "spec"),
                null, List.of(), externalId, null);
    }

    /**
     * {@return a legacy key given by its stored hash: a key of another format the host's code verifies as a
     * {@link dev.apikey.model.LegacyFormat}} It gets a key id of ours; importing the same hash again finds it by its
     * look-up digest and changes nothing.
     *
     * @param line       the line of the source, 1 or more
     * @param storedHash its hash as {@link dev.apikey.spi.LegacyHash} makes it ({@code $legacy-sha256$...},
     *                   {@code $legacy-id$...})
     * @param spec       its attributes
     * @param externalId the id the source system knew it by, or {@code null}: stored with the key, unique in the store
     * @throws IllegalArgumentException if storedHash is not a legacy hash, or externalId breaks
     *                                  {@link StoredKey#checkExternalId}'s rule (the message names the line)
     */
    public static KeyImport legacy(long line, String storedHash, KeySpec spec, String externalId) {
        if (dev.apikey.spi.LegacyHash.lookupDigest(Objects.requireNonNull(storedHash, "storedHash")) == null) {
            throw new IllegalArgumentException("storedHash must be a legacy hash as LegacyHash makes it");
        }
        return new KeyImport(line, null, Objects.requireNonNull(spec, "spec"), null, List.of(), externalId,
                storedHash);
    }

    /**
     * {@return a key as another store held it, with its history (empty where that store kept none)} It keeps its id,
     * hash, state, lineage, external id and times and starts at version 1 in the new store.
     *
     * @param line    the line of the source it came from, 1 or more
     * @param record  the stored key
     * @param history its events, oldest first, each of this key
     */
    public static KeyImport record(long line, StoredKey record, List<KeyEvent> history) {
        Objects.requireNonNull(record, "record");
        List<KeyEvent> events = List.copyOf(history);
        for (KeyEvent e : events) {
            if (!e.keyId().equals(record.keyId())) {
                throw new IllegalArgumentException("event " + e.eventId() + " is of key " + e.keyId() + ", not of "
                        + record.keyId());
            }
        }
        return new KeyImport(line, null, record.attributes(), record, events, record.externalId(), null);
    }

    /** {@return the line of the source} */
    public long line() {
        return line;
    }

    /** {@return the attributes} */
    public KeySpec spec() {
        return spec;
    }

    /** {@return whether this is a stored key moved from another store, not a plaintext} */
    public boolean isRecord() {
        return record != null;
    }

    String plaintext() {
        return plaintext;
    }

    StoredKey record() {
        return record;
    }

    List<KeyEvent> history() {
        return history;
    }

    /** {@return the id the source knew the key by, or {@code null}} */
    public String externalId() {
        return externalId;
    }

    String legacyHash() {
        return legacyHash;
    }

    @Override
    public String toString() {
        return "KeyImport[line " + line + (record != null ? ", key " + record.keyId()
                : legacyHash != null ? ", legacy hash redacted" : ", plaintext redacted") + "]";
    }

    /** How an import writes. */
    public enum Mode {
        /** Decides every line and writes nothing: what would happen. */
        DRY_RUN,
        /** Writes every line or, if one is refused, none: one atomic {@code KeyStore.write}. */
        BATCH,
        /** Writes each line on its own: a refused line leaves the others written. */
        PER_LINE
    }
}
