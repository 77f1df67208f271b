package dev.apikey;

import dev.apikey.model.KeyEvent;
import dev.apikey.spi.KeyHistory;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes each change with its history: through the store's {@link KeyHistory} when it keeps one (the change and its
 * events in one transaction), else the change alone through {@link KeyStore#write}. Makes the events, so that each
 * says the same things whichever part of the core records it.
 *
 * <p>Thread-safe. Package-private.
 */
final class KeyHistoryWriter {

    private final KeyStore store;
    /** The store's history, or {@code null}: then no event is kept. */
    private final KeyHistory history;

    KeyHistoryWriter(KeyStore store) {
        this.store = store;
        this.history = store instanceof KeyHistory h ? h : null;
    }

    /** Writes the records and, where the store keeps a history, the events with them, all or nothing. */
    void write(List<KeyWrite> writes, List<KeyEvent> events) {
        if (history == null) {
            store.write(writes);
        } else {
            history.write(writes, events);
        }
    }

    /** Keeps events of something that changed no key; nothing where the store keeps no history. */
    void append(List<KeyEvent> events) {
        if (history != null && !events.isEmpty()) {
            history.append(events);
        }
    }

    /** {@return an event of a key, its changes none} */
    static KeyEvent event(StoredKey key, KeyEvent.Type type, String actor, Instant at, Map<String, String> details) {
        return new KeyEvent(newId(), key.keyId(), key.lineage(), key.tenantId(), type, actor, at, List.of(), details);
    }

    /** {@return the event of an edit: the attributes that differ between the two records} */
    static KeyEvent edited(StoredKey before, StoredKey after, String actor, Instant at) {
        return new KeyEvent(newId(), after.keyId(), after.lineage(), after.tenantId(), KeyEvent.Type.EDITED, actor, at,
                KeyEvent.changes(before.attributes(), after.attributes()), Map.of());
    }

    /** The first half of each id: rising within this process, about the time in milliseconds times 4096. */
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A new id: a number that rises with each event of this process (so that of two events in one millisecond, as in
     * one write, the later made is the newer), then 64 random bits, in hex; unique without asking the store.
     */
    private static String newId() {
        long now = System.currentTimeMillis() << 12;
        long next = SEQUENCE.updateAndGet(prev -> Math.max(prev + 1, now));
        return String.format(java.util.Locale.ROOT, "%016x%016x", next, UUID.randomUUID().getLeastSignificantBits());
    }
}
