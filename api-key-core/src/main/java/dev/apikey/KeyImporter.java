package dev.apikey;

import dev.apikey.internal.KeyParser;
import dev.apikey.internal.ParsedKey;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
    private final HashPolicy hashing;
    private final KeyParser parser;
    private final dev.apikey.internal.KeyGenerator generator;
    private final KeyGuardrails guard;
    private final KeyHistoryWriter history;
    private final KeyCache cache;
    private final KeyViews views;

    KeyImporter(KeyStore store, ScopeCatalog catalog, HashPolicy hashing, KeyParser parser,
            dev.apikey.internal.KeyGenerator generator, KeyGuardrails guard, KeyHistoryWriter history, KeyCache cache,
            KeyViews views) {
        this.store = store;
        this.catalog = catalog;
        this.hashing = hashing;
        this.parser = parser;
        this.generator = generator;
        this.guard = guard;
        this.history = history;
        this.cache = cache;
        this.views = views;
    }

    /** A line decided: its result, and for a new key what to write. */
    private record Decided(ImportResult result, StoredKey record, List<KeyEvent> events) {
    }

    ImportReport importKeys(List<KeyImport> lines, KeyImport.Mode mode, Actor actor) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(actor, "actor");
        Instant now = views.now();
        Map<String, Integer> room = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<Decided> decided = new ArrayList<>(lines.size());
        int written = 0;
        for (KeyImport line : lines) {
            Decided d = decide(line, actor, now, room, seen);
            if (mode == KeyImport.Mode.PER_LINE && d.record() != null) {
                d = writeOne(d);
                written += d.result().outcome() == ImportResult.Outcome.CREATE ? 1 : 0;
            }
            decided.add(d);
        }
        boolean refused = decided.stream().anyMatch(d -> d.result().outcome() == ImportResult.Outcome.REFUSED);
        if (mode == KeyImport.Mode.BATCH && !refused) {
            written = writeBatch(decided);
        }
        LOG.debug("import by {}: {} lines, {} written ({})", actor.name(), lines.size(), written, mode);
        return new ImportReport(decided.stream().map(Decided::result).toList(), written);
    }

    private int writeBatch(List<Decided> decided) {
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
        history.write(writes, events);
        writes.forEach(w -> cache.invalidate(w.key().keyId()));
        return writes.size();
    }

    private Decided writeOne(Decided d) {
        try {
            history.write(List.of(KeyWrite.insert(d.record())), d.events());
            cache.invalidate(d.record().keyId());
            return d;
        } catch (DuplicateKeyException e) {
            return refused(d.result().line(), d.record().keyId(), "key_exists",
                    "key " + d.record().keyId() + " was created by someone else during the import");
        }
    }

    private Decided decide(KeyImport line, Actor actor, Instant now, Map<String, Integer> room, Set<String> seen) {
        StoredKey record;
        try {
            record = line.isRecord() ? moved(line.record()) : line.legacyHash() != null
                    ? legacy(line.legacyHash(), line.spec(), now) : hashed(line, now);
        } catch (RuntimeException e) {
            return refused(line.line(), null, code(e), e.getMessage());
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
                            ? new Decided(new ImportResult(line.line(), ImportResult.Outcome.UNCHANGED,
                                    holder.keyId(), null, null), null, List.of())
                            : refused(line.line(), holder.keyId(), "key_exists", "key " + holder.keyId()
                                    + " holds a legacy key of the same id part with another hash");
                }
            }
            StoredKey existing = store.findById(keyId).orElse(null);
            if (existing != null) {
                return sameSecret(line, existing, record)
                        ? new Decided(new ImportResult(line.line(), ImportResult.Outcome.UNCHANGED, keyId, null, null),
                                null, List.of())
                        : refused(line.line(), keyId, "key_exists", "key id " + keyId
                                + " exists in the store with another secret");
            }
            spendRoom(record, now, room);
        } catch (RuntimeException e) {
            return refused(line.line(), keyId, code(e), e.getMessage());
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

    /** A moved key starts at version 1 in its new store: versions guard changes within one store. */
    private static StoredKey moved(StoredKey k) {
        return StoredKey.builder(k.keyId()).secretHash(k.secretHash()).attributes(k.attributes())
                .createdAt(k.createdAt()).revokedAt(k.revokedAt()).disabledAt(k.disabledAt())
                .replacedBy(k.replacedBy()).lastUsedAt(k.lastUsedAt()).lineageId(k.lineageId()).build();
    }

    /** Parses a plaintext of our format and hashes its secret; the plaintext goes no further. */
    private StoredKey hashed(KeyImport line, Instant now) {
        KeySpec spec = line.spec();
        Instant expires = spec.expiresAt().orElse(null);
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expires_at must be in the future, was " + expires);
        }
        ParsedKey key = new ParsedKey();
        try {
            KeyParser.Outcome outcome = parser.parse(line.plaintext(), key);
            if (outcome != KeyParser.Outcome.OK && !line.plaintext().startsWith(generator.prefix() + "_")
                    && !OUR_SHAPE.matcher(line.plaintext()).matches()) {
                return legacy(legacyDigest(line.plaintext()), spec, now);
            }
            if (outcome != KeyParser.Outcome.OK) {
                throw new MalformedImport("the key is not a well-formed key of this environment ("
                        + outcome.name().toLowerCase(Locale.ROOT) + ")");
            }
            if (!key.tenantEquals(spec.tenantId().orElse(null))) {
                throw new IllegalArgumentException("tenant_id must be the key's own tenant (the tenant segment of the"
                        + " key), was " + spec.tenantId().orElse("none"));
            }
            byte[] secret = key.copySecret();
            try {
                return StoredKey.builder(key.keyId()).secretHash(hashing.hash(secret)).attributes(spec).createdAt(now)
                        .build();
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        } finally {
            key.clear();
        }
    }

    /** A rerun: a moved key with the same stored hash, or a plaintext whose secret the stored hash accepts. */
    private boolean sameSecret(KeyImport line, StoredKey existing, StoredKey record) {
        if (line.isRecord()) {
            return existing.secretHash().equals(record.secretHash());
        }
        ParsedKey key = new ParsedKey();
        try {
            if (parser.parse(line.plaintext(), key) != KeyParser.Outcome.OK) {
                return false;
            }
            byte[] secret = key.copySecret();
            try {
                return hashing.verify(existing.keyId(), secret, existing.secretHash());
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        } finally {
            key.clear();
        }
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

    private static Decided refused(long line, String keyId, String code, String message) {
        return new Decided(new ImportResult(line, ImportResult.Outcome.REFUSED, keyId, code, message), null,
                List.of());
    }

    /** The refusal's code: the exception's name in snake case without "Exception" ({@code scope_not_in_plan}). */
    static String code(RuntimeException e) {
        if (e instanceof MalformedImport) {
            return "malformed_key";
        }
        if (e.getClass() == IllegalArgumentException.class || e.getClass() == IllegalStateException.class) {
            return "invalid";
        }
        String name = e.getClass().getSimpleName().replace("Exception", "");
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * Any key of our layout, whatever its prefix: such a plaintext (or one that starts with this environment's prefix)
     * must parse as ours, never become legacy.
     */
    private static final java.util.regex.Pattern OUR_SHAPE = java.util.regex.Pattern.compile(
            dev.apikey.model.KeyFormat.anyPrefixRegex());
    /** Longest plaintext of another format taken as a legacy key. */
    private static final int MAX_LEGACY_PLAINTEXT = 512;

    /** The stored hash of a plaintext of another format: the SHA-256 of the whole key. */
    private static String legacyDigest(String plaintext) {
        if (plaintext.isEmpty() || plaintext.length() > MAX_LEGACY_PLAINTEXT
                || !plaintext.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new MalformedImport("a key of another format must be 1 to " + MAX_LEGACY_PLAINTEXT
                    + " printable ASCII characters without spaces");
        }
        return LegacyHash.sha256Hex(LegacyHash.keyDigest(plaintext));
    }

    /** A legacy key: a fresh key id of ours (none in the store yet), the legacy hash as its stored hash. */
    private StoredKey legacy(String storedHash, KeySpec spec, Instant now) {
        Instant expires = spec.expiresAt().orElse(null);
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expires_at must be in the future, was " + expires);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            dev.apikey.internal.KeyGenerator.Generated g = generator.generate(spec.tenantId().orElse(null));
            String id = g.keyId();
            g.destroy();
            if (store.findById(id).isEmpty()) {
                return StoredKey.builder(id).secretHash(storedHash).attributes(spec).createdAt(now).build();
            }
        }
        throw new IllegalStateException("no free key id after 3 attempts; is the random source broken?");
    }

    /** A plaintext that is not a key of this environment. */
    private static final class MalformedImport extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedImport(String message) {
            super(message);
        }
    }
}
