package dev.apikey;

import dev.apikey.internal.KeyParser;
import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeyEvent;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyDigestLookup;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.LegacyHash;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports keys for an actor under every rule of key management ({@link KeyImport}): the scopes declared and within
 * the actor's ceiling and the tenant's plan, the expiry within the actor's, the tenant's cap of live keys counted
 * with the batch's own; a key id once in a batch; a key that exists with this secret is a rerun, left as it is. A
 * batch goes through one atomic {@link KeyStore#write} (with its events where the store keeps a history). Imports
 * do not spend the actor's creates per minute: a migration is one act, not a burst of creates.
 *
 * <p>Plaintexts are hashed on the way in and never logged. Thread-safe; package-private: {@link KeyManager} is the API.
 */
final class KeyImporter {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.lifecycle");

    private final KeyStore store;
    private final ScopeCatalog catalog;
    private final ImportRecords records;
    private final KeyGuardrails guard;
    private final KeyHistoryWriter history;
    private final KeyCache cache;
    private final KeyViews views;
    private final ImportReruns reruns;
    /** Tells the listener of each key written, after its write committed ({@code KeyEventListener.imported}). */
    private final java.util.function.Consumer<ApiKeyInfo> announce;

    KeyImporter(KeyStore store, ScopeCatalog catalog, HashPolicy hashing, KeyParser parser,
            dev.apikey.internal.KeyGenerator generator, KeyGuardrails guard, KeyHistoryWriter history, KeyCache cache,
            KeyViews views, java.util.function.Consumer<ApiKeyInfo> announce) {
        this.store = store;
        this.catalog = catalog;
        this.records = new ImportRecords(store, hashing, parser, generator);
        this.guard = guard;
        this.history = history;
        this.cache = cache;
        this.views = views;
        this.reruns = new ImportReruns(store, records);
        this.announce = announce;
    }

    /** A line decided: its result, and for a new key what to write. */
    record Decided(ImportResult result, StoredKey record, List<KeyEvent> events) {
    }

    /** What {@code seen} holds an external id as: apart from key ids (base62) and digests (hex). */
    private static final String EXTERNAL = "external_id:";

    ImportReport importKeys(List<KeyImport> lines, KeyImport.Mode mode, Actor actor, ImportProgress progress) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(progress, "progress");
        Instant now = views.now();
        Map<String, Integer> room = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<Decided> decided = new ArrayList<>(lines.size());
        int written = 0;
        int total = lines.size();
        // Keys imported before under the lines' external ids: a few reads for the whole import, not one a line.
        Map<String, StoredKey> imported = reruns.importedBefore(lines);
        for (KeyImport line : lines) {
            Decided d = decide(line, actor, now, room, seen, imported);
            if (mode == KeyImport.Mode.PER_LINE && d.record() != null) {
                d = writeOne(d);
                written += d.result().outcome() == ImportResult.Outcome.CREATE ? 1 : 0;
            }
            decided.add(d);
            progress.progress(decided.size(), written, total);
        }
        boolean refused = decided.stream().anyMatch(d -> d.result().outcome() == ImportResult.Outcome.REFUSED);
        if (mode == KeyImport.Mode.BATCH && !refused) {
            written = writeBatch(decided, progress);
            progress.progress(total, written, total);
        }
        LOG.debug("import by {}: {} lines, {} written ({})", actor.name(), lines.size(), written, mode);
        return new ImportReport(decided.stream().map(Decided::result).toList(), written);
    }

    private int writeBatch(List<Decided> decided, ImportProgress progress) {
        List<KeyWrite> writes = new ArrayList<>();
        List<KeyEvent> events = new ArrayList<>();
        for (Decided d : decided) {
            if (d.record() != null) {
                writes.add(KeyWrite.insert(d.record()));
                events.addAll(d.events());
            }
        }
        if (writes.isEmpty()) {
            return 0;
        }
        progress.writing(writes.size());
        history.write(writes, events);
        writes.forEach(w -> cache.invalidate(w.key().keyId()));
        Instant now = views.now();
        writes.forEach(w -> announce.accept(views.info(w.key(), now)));
        return writes.size();
    }

    private Decided writeOne(Decided d) {
        try {
            history.write(List.of(KeyWrite.insert(d.record())), d.events());
            cache.invalidate(d.record().keyId());
            announce.accept(views.info(d.record(), views.now()));
            return d;
        } catch (DuplicateKeyException e) {
            return refused(d.result().line(), d.record().keyId(), "key_exists",
                    "key " + d.record().keyId() + " was created by someone else during the import");
        }
    }

    private Decided decide(KeyImport line, Actor actor, Instant now, Map<String, Integer> room, Set<String> seen,
            Map<String, StoredKey> imported) {
        StoredKey record;
        try {
            record = records.of(line, now);
        } catch (RuntimeException e) {
            return refused(line.line(), null, ImportRecords.code(e), e.getMessage());
        }
        String keyId = record.keyId();
        try {
            KeySpec spec = record.attributes();
            catalog.requireDeclared(spec.scopes());
            guard.requireGrantable(actor, spec.scopes());
            KeyGuardrails.requireLifetime(actor, spec.expiresAt().orElse(null));
            guard.requireInPlan(spec.tenantId().orElse(null), spec.scopes());
            if (!seen.add(keyId)) {
                return refused(line.line(), keyId, "duplicate_key_id", "key id " + keyId
                        + " is on an earlier line of this import already");
            }
            if (record.externalId() != null) {
                if (!seen.add(EXTERNAL + record.externalId())) {
                    return refused(line.line(), keyId, "duplicate_external_id", "external_id " + record.externalId()
                            + " is on an earlier line of this import already");
                }
                Decided rerun = reruns.byExternalId(line, record, imported);
                if (rerun != null) {
                    return rerun;
                }
            }
            String digest = LegacyHash.lookupDigest(record.secretHash());
            if (digest != null) {
                if (!(store instanceof KeyDigestLookup lookup)) {
                    throw new IllegalStateException("the store cannot hold legacy keys (it does not implement "
                            + "KeyDigestLookup)");
                }
                if (!seen.add(digest)) {
                    return refused(line.line(), keyId, "duplicate_key", "the same legacy key is on an earlier line "
                            + "of this import already");
                }
                StoredKey holder = lookup.findByLookupDigest(digest).orElse(null);
                if (holder != null) {
                    return holder.secretHash().equals(record.secretHash())
                            ? reruns.unchanged(line.line(), holder, record)
                            : refused(line.line(), holder.keyId(), "key_exists", "key " + holder.keyId()
                                    + " holds a legacy key of the same id part with another hash");
                }
            }
            StoredKey existing = store.findById(keyId).orElse(null);
            if (existing != null) {
                return records.sameSecret(line, existing, record)
                        ? reruns.unchanged(line.line(), existing, record)
                        : refused(line.line(), keyId, "key_exists", "key id " + keyId
                                + " exists in the store with another secret");
            }
            spendRoom(record, now, room);
        } catch (RuntimeException e) {
            return refused(line.line(), keyId, ImportRecords.code(e), e.getMessage());
        }
        return new Decided(new ImportResult(line.line(), ImportResult.Outcome.CREATE, keyId, null, null), record,
                events(line, record, actor, now));
    }

    /** A live key takes a place under its tenant's cap, counted once per tenant and then down the batch. */
    private void spendRoom(StoredKey record, Instant now, Map<String, Integer> room) {
        String tenant = record.tenantId();
        ApiKeyInfo.Status status = KeyViews.status(record, now);
        if (tenant == null || status != ApiKeyInfo.Status.ACTIVE && status != ApiKeyInfo.Status.DISABLED) {
            return;
        }
        int left = room.computeIfAbsent(tenant, t -> guard.room(t, now));
        if (left <= 0) {
            throw new dev.apikey.model.KeyLimitReachedException(tenant, guard.capOf(tenant));
        }
        room.put(tenant, left - 1);
    }

    private static List<KeyEvent> events(KeyImport line, StoredKey record, Actor actor, Instant now) {
        if (line.isRecord()) {
            return line.history();
        }
        Map<String, String> details = new java.util.TreeMap<>();
        details.put("source", "import");
        if (line.externalId() != null) {
            details.put("external_id", line.externalId());
        }
        if (LegacyHash.isLegacy(record.secretHash())) {
            details.put("legacy", "imported");
        }
        return List.of(KeyHistoryWriter.event(record, KeyEvent.Type.CREATED, actor.name(), now, details));
    }

    static Decided refused(long line, String keyId, String code, String message) {
        return new Decided(new ImportResult(line, ImportResult.Outcome.REFUSED, keyId, code, message), null,
                List.of());
    }

}
