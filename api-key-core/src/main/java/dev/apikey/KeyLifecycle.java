package dev.apikey;

import dev.apikey.internal.Instants;
import dev.apikey.internal.KeyGenerator;
import dev.apikey.internal.KeyParser;
import dev.apikey.internal.ParsedKey;
import dev.apikey.internal.Printable;
import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyException;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeyAlreadyRotatedException;
import dev.apikey.model.KeyChangedException;
import dev.apikey.model.KeyEvent;
import dev.apikey.model.KeyNotActiveException;
import dev.apikey.model.KeyNotFoundException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import dev.apikey.spi.VersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create, edit, disable, enable, revoke, rotate and rehash keys: every rule of a key's life decided here, once, for
 * every store ("revoked is final", "a second revoke changes nothing", "only the newest key of a rotation rotates"),
 * and written through the store's versioned {@link KeyStore#write}. A write that loses a race to another change of
 * the same key reads the key again and decides anew, up to {@value #RACE_ATTEMPTS} times, then reports
 * {@link KeyChangedException}; nothing is ever overwritten unseen. Each change is written with its {@link KeyEvent}s
 * (the key's history, where the store keeps one) in the same atomic write. Keeps the verifier's cache in step.
 *
 * <p>Thread-safe. Package-private: {@link ApiKeys} is the API.
 */
final class KeyLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.lifecycle");
    private static final int ID_ATTEMPTS = 3;
    /** How often a change reads, decides and writes again after losing a race. */
    static final int RACE_ATTEMPTS = 5;

    /** Longest overlap a rotation accepts. */
    static final Duration MAX_OVERLAP = Duration.ofDays(365);

    /** Who the instance's own work is, in the history: hash upgrades, the hygiene check, leak reports. */
    static final Actor SYSTEM = new Actor(KeyEvent.SYSTEM, dev.apikey.model.GrantCeiling.everything(), null);

    private final KeyStore store;
    private final ScopeCatalog catalog;
    private final HashPolicy hashing;
    private final KeyGenerator generator;
    private final KeyCache cache;
    private final KeyEventListener listener;
    private final KeyParser parser;
    private final KeyViews views;
    private final KeyGuardrails guard;
    private final KeyHistoryWriter history;

    KeyLifecycle(ApiKeysConfig config, KeyCache cache, KeyViews views) {
        this.store = config.store();
        this.catalog = config.catalog();
        this.hashing = config.hashing();
        this.generator = new KeyGenerator(config.prefix(), config.random());
        this.cache = cache;
        this.listener = config.listener();
        this.parser = new KeyParser(config.prefix());
        this.views = views;
        this.guard = new KeyGuardrails(config);
        this.history = new KeyHistoryWriter(config.store());
    }

    /**
     * Creates a key for an actor: its scopes within the actor's ceiling; when {@code managed} (not the host's own code,
     * which imports and migrates keys in bulk), its tenant under the cap of live keys and one of the actor's creates
     * per minute spent.
     */
    IssuedKey create(KeySpec spec, Actor actor, boolean managed) {
        Instant now = views.now();
        String tenant = requireCreatable(spec, actor, managed, now);
        IssuedKey issued = issue(tenant,
                (id, hash) -> StoredKey.builder(id).secretHash(hash).attributes(spec).createdAt(now).build(),
                record -> history.write(List.of(KeyWrite.insert(record)), List.of(KeyHistoryWriter.event(record,
                        KeyEvent.Type.CREATED, actor.name(), now, Map.of()))));
        if (managed) {
            guard.requireNotOverCap(tenant, now, () -> backOut(issued.info().keyId(), now));
        }
        LOG.debug("created key {}", issued.info().hint());
        emit(l -> l.created(issued.info()));
        return issued;
    }

    /** Every rule of a create, for a new key or an imported one; {@return the key's tenant, or null} */
    private String requireCreatable(KeySpec spec, Actor actor, boolean managed, Instant now) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(actor, "actor");
        catalog.requireDeclared(spec.scopes());
        Instant expires = spec.expiresAt().orElse(null);
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expiresAt must be in the future, was " + expires);
        }
        guard.requireGrantable(actor, spec.scopes());
        KeyGuardrails.requireLifetime(actor, expires);
        String tenant = spec.tenantId().orElse(null);
        guard.requireInPlan(tenant, spec.scopes());
        if (managed) {
            guard.requireRoom(tenant, now);
            guard.spendCreate(actor, now);
        }
        return tenant;
    }

    /**
     * Imports a legacy key (see {@link LegacyKeys#importKey}): every rule of a create, a key id of ours, and the
     * legacy hash as its stored hash; no plaintext exists. A key whose hash has the same look-up digest is reported
     * as a {@link DuplicateKeyException} naming that key, and nothing is written.
     */
    ApiKeyInfo importLegacy(KeySpec spec, String storedHash, Actor actor, boolean managed) {
        Objects.requireNonNull(storedHash, "storedHash");
        String digest = dev.apikey.spi.LegacyHash.lookupDigest(storedHash);
        if (digest == null) {
            throw new IllegalArgumentException("storedHash must be a legacy hash made by LegacyHash "
                    + "($legacy-sha256$<hex> or $legacy-id$<hex><salted hash>)");
        }
        if (!(store instanceof dev.apikey.spi.KeyDigestLookup lookup)) {
            throw new IllegalStateException("the store does not implement KeyDigestLookup: it cannot hold legacy keys");
        }
        Instant now = views.now();
        String tenant = requireCreatable(spec, actor, managed, now);
        for (int attempt = 1; attempt <= ID_ATTEMPTS; attempt++) {
            KeyGenerator.Generated generated = generator.generate(tenant);
            StoredKey record = StoredKey.builder(generated.keyId()).secretHash(storedHash).attributes(spec)
                    .createdAt(now).build();
            generated.destroy();
            try {
                history.write(List.of(KeyWrite.insert(record)), List.of(KeyHistoryWriter.event(record,
                        KeyEvent.Type.CREATED, actor.name(), now, Map.of("legacy", "imported"))));
            } catch (DuplicateKeyException e) {
                Optional<StoredKey> holder = lookup.findByLookupDigest(digest);
                if (holder.isPresent()) {
                    throw new DuplicateKeyException(holder.get().keyId());
                }
                LOG.debug("generated key id {} exists already; generating another", generated.keyId());
                continue;
            }
            cache.invalidate(record.keyId());
            ApiKeyInfo info = views.info(record, now);
            if (managed) {
                guard.requireNotOverCap(tenant, now, () -> backOut(info.keyId(), now));
            }
            LOG.debug("imported legacy key {}", info.hint());
            emit(l -> l.imported(info));
            return info;
        }
        throw new ApiKeyException("no free key id after " + ID_ATTEMPTS + " attempts; is the random source broken?");
    }

    /**
     * Takes back a key that went over its tenant's cap in a race: revoked at once, its plaintext never handed out. A
     * key changed meanwhile (a hash upgrade, say) is read and revoked again; one that keeps changing is said in the
     * log, as the key that went over the cap it is.
     */
    private void backOut(String keyId, Instant now) {
        try {
            change(keyId, "taken back", KeyGuardrails.ANY_VERSION,
                    k -> k.revokedAt() != null ? k : k.withRevokedAt(now),
                    (before, after) -> List.of(KeyHistoryWriter.event(before, KeyEvent.Type.REVOKED, SYSTEM.name(),
                            now, Map.of("reason", "key_limit"))));
            LOG.debug("key {} went over its tenant's cap in a race and was taken back", keyId);
        } catch (KeyNotFoundException e) {
            LOG.debug("key {} went over its tenant's cap in a race and is gone", keyId);
        } catch (KeyChangedException e) {
            cache.invalidate(keyId);
            LOG.warn("key {} went over its tenant's cap in a race and kept changing while it was taken back: it is "
                    + "not revoked; revoke it", keyId);
        }
    }

    /** What a change did: the key before and after; the same record when nothing changed. */
    private record Change(StoredKey before, StoredKey after) {
        boolean changed() {
            return before != after;
        }
    }

    /** The events of a change, from the key before and after it. */
    private interface Events {
        List<KeyEvent> of(StoredKey before, StoredKey after);
    }

    /**
     * Reads the key, lets {@code decide} say what it becomes (the same record: nothing to do; or a throw: not
     * allowed), and writes that with the version read and its events; a lost race reads and decides again.
     */
    private Change change(String keyId, String action, long expectedVersion, UnaryOperator<StoredKey> decide,
            Events events) {
        KeyQueries.requireKeyId(keyId);
        for (int attempt = 1; attempt <= RACE_ATTEMPTS; attempt++) {
            StoredKey before = store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId));
            KeyGuardrails.requireVersion(before, expectedVersion);
            StoredKey after = decide.apply(before);
            if (after == before) {
                return new Change(before, before);
            }
            try {
                history.write(List.of(KeyWrite.replace(after, before.version())), events.of(before, after));
                cache.invalidate(keyId);
                return new Change(before, after);
            } catch (VersionConflictException e) {
                LOG.debug("key {} changed while being {}; reading it again ({} of {})", keyId, action, attempt,
                        RACE_ATTEMPTS);
            }
        }
        throw new KeyChangedException(keyId, action);
    }

    ApiKeyInfo revoke(String keyId) {
        return revoke(keyId, Actor.HOST, KeyGuardrails.ANY_VERSION);
    }

    /** Revokes: any actor that manages the key's tenant may take a key out of use, whatever it holds. */
    ApiKeyInfo revoke(String keyId, Actor actor, long expectedVersion) {
        Instant at = views.now();
        Change c = change(keyId, "revoked", expectedVersion, k -> k.revokedAt() != null ? k : k.withRevokedAt(at),
                (before, after) -> List.of(KeyHistoryWriter.event(after, KeyEvent.Type.REVOKED, actor.name(), at,
                        Map.of())));
        ApiKeyInfo info = views.info(c.after());
        if (!c.changed()) {
            LOG.debug("key {} was revoked already at {}", info.hint(), c.after().revokedAt());
            return info;
        }
        LOG.debug("revoked key {}", info.hint());
        emit(l -> l.revoked(info));
        return info;
    }

    /**
     * Disables a key (reason: why, for the event: {@code manual}, {@code unused}, {@code leaked}); a disabled key
     * stays disabled and keeps its first time.
     */
    ApiKeyInfo disable(String keyId, String reason, Actor actor) {
        return switchKey(keyId, reason, actor, KeyGuardrails.ANY_VERSION);
    }

    /** Disables for an actor: like a revoke, any actor may take a key out of use. */
    ApiKeyInfo disable(String keyId, Actor actor, long expectedVersion) {
        return switchKey(keyId, "manual", actor, expectedVersion);
    }

    ApiKeyInfo enable(String keyId) {
        return enable(keyId, Actor.HOST, KeyGuardrails.ANY_VERSION);
    }

    /** Enables for an actor: not its own key, not a key holding more than it may grant. */
    ApiKeyInfo enable(String keyId, Actor actor, long expectedVersion) {
        return switchKey(keyId, null, actor, expectedVersion);
    }

    /** Disables (reason given) or enables (reason null) a key that is neither revoked nor expired. */
    private ApiKeyInfo switchKey(String keyId, String reason, Actor actor, long expectedVersion) {
        boolean disable = reason != null;
        String action = disable ? "disabled" : "enabled";
        Instant now = views.now();
        Change c = change(keyId, action, expectedVersion, k -> {
            if (!disable) {
                guard.requireManageable(actor, k, action, false);
            }
            requireSwitchable(k, now, action);
            return (k.disabledAt() != null) == disable ? k : k.withDisabledAt(disable ? now : null);
        }, (before, after) -> List.of(KeyHistoryWriter.event(after, disable ? KeyEvent.Type.DISABLED
                : KeyEvent.Type.ENABLED, actor.name(), now, disable ? Map.of("reason", reason) : Map.of())));
        ApiKeyInfo info = views.info(c.after(), now);
        if (!c.changed()) {
            LOG.debug("key {} was {} already", info.hint(), action);
            return info;
        }
        LOG.debug("{} key {}{}", action, info.hint(), disable ? " (" + reason + ")" : "");
        emit(disable ? l -> l.disabled(info, reason) : l -> l.enabled(info));
        return info;
    }

    /** Revoked and expired keys are final: a switch would bring nothing back. */
    private static void requireSwitchable(StoredKey key, Instant now, String action) {
        ApiKeyInfo.Status status = KeyViews.status(key, now);
        if (status == ApiKeyInfo.Status.REVOKED || status == ApiKeyInfo.Status.EXPIRED) {
            throw new KeyNotActiveException(key.keyId(), status, action);
        }
    }

    ApiKeyInfo update(String keyId, KeyUpdate update) {
        return update(keyId, update, Actor.HOST, KeyGuardrails.ANY_VERSION);
    }

    /** Edits for an actor: not its own key, not a key holding more than it may grant, no scope beyond its ceiling. */
    ApiKeyInfo update(String keyId, KeyUpdate update, Actor actor, long expectedVersion) {
        Objects.requireNonNull(update, "update");
        Objects.requireNonNull(actor, "actor");
        if (update.changes().contains(KeySpec.Attribute.SCOPES)) {
            catalog.requireDeclared(update.values().scopes());
            guard.requireGrantable(actor, update.values().scopes());
        }
        if (update.changes().contains(KeySpec.Attribute.EXPIRES_AT)) {
            KeyGuardrails.requireLifetime(actor, update.values().expiresAt().orElse(null));
        }
        Instant now = views.now();
        Instant newExpiry = update.values().expiresAt().orElse(null);
        if (update.changes().contains(KeySpec.Attribute.EXPIRES_AT) && newExpiry != null && !newExpiry.isAfter(now)) {
            throw new IllegalArgumentException("expiresAt must be in the future, was " + newExpiry);
        }
        Change c = change(keyId, "edited", expectedVersion, k -> {
            guard.requireManageable(actor, k, "edited", false);
            requireEditable(k, update, now);
            if (update.changes().contains(KeySpec.Attribute.SCOPES)) {
                guard.requireInPlan(k.tenantId(), update.values().scopes());
            }
            KeySpec next = update.applyTo(k.attributes());
            return next.equals(k.attributes()) ? k : k.withAttributes(next);
        }, (before, after) -> List.of(KeyHistoryWriter.edited(before, after, actor.name(), now)));
        ApiKeyInfo beforeInfo = views.info(c.before(), now);
        ApiKeyInfo afterInfo = views.info(c.after(), now);
        LOG.debug("updated key {}: {}", afterInfo.hint(), update);
        if (c.changed()) {
            emit(l -> l.updated(beforeInfo, afterInfo));
        }
        return afterInfo;
    }

    /** Revoked and expired keys are final; a replaced key's expiry is the end of its rotation's overlap. */
    private static void requireEditable(StoredKey key, KeyUpdate update, Instant now) {
        ApiKeyInfo.Status status = KeyViews.status(key, now);
        if (status == ApiKeyInfo.Status.REVOKED || status == ApiKeyInfo.Status.EXPIRED) {
            throw new KeyNotActiveException(key.keyId(), status, "edited");
        }
        if (key.replacedBy() != null && update.changes().contains(KeySpec.Attribute.EXPIRES_AT)) {
            throw new IllegalArgumentException("expiresAt of key " + key.keyId() + " is the end of its rotation's overlap"
                    + " (replaced by " + key.replacedBy() + "); revoke it to end the overlap early");
        }
    }

    /**
     * Answers a leak report: the token is one of our keys if it parses for this prefix, its key id exists, and
     * its secret and tenant segment match the stored hash; then it is revoked or only flagged.
     *
     * @return the key after the response, or empty for a false positive
     */
    Optional<ApiKeyInfo> reportLeak(String token, String source, boolean revoke) {
        Objects.requireNonNull(token, "token");
        if (source != null) {
            String problem = Printable.problem(source, 2000);
            if (problem != null) {
                throw new IllegalArgumentException("source " + problem);
            }
        }
        ParsedKey key = new ParsedKey();
        String keyId;
        try {
            if (parser.parse(token, key) != KeyParser.Outcome.OK) {
                return Optional.empty();
            }
            keyId = key.keyId();
            StoredKey record = store.findById(keyId).orElse(null);
            if (record == null || !key.tenantEquals(record.tenantId())) {
                return Optional.empty();
            }
            byte[] secret = key.copySecret();
            try {
                if (!hashing.verify(record.keyId(), secret, record.secretHash())) {
                    return Optional.empty();
                }
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        } finally {
            key.clear();
        }
        // Flagged: the leaked event (the audit log's WARN line by default) is the flag.
        ApiKeyInfo after = revoke ? revokeLeaked(keyId, source) : flagLeaked(keyId, source);
        LOG.debug("leak reported for key {}, {}", after.hint(), revoke ? "revoked" : "flagged");
        emit(l -> l.leaked(after, source, revoke));
        return Optional.of(after);
    }

    /** Revokes a leaked key, the report and the revoke in one write; a key revoked already gets the report only. */
    private ApiKeyInfo revokeLeaked(String keyId, String source) {
        Instant at = views.now();
        Change c = change(keyId, "revoked", KeyGuardrails.ANY_VERSION,
                k -> k.revokedAt() != null ? k : k.withRevokedAt(at),
                (before, after) -> List.of(leakEvent(after, source, "revoked", at),
                        KeyHistoryWriter.event(after, KeyEvent.Type.REVOKED, SYSTEM.name(), at,
                                Map.of("reason", "leaked"))));
        ApiKeyInfo info = views.info(c.after());
        if (c.changed()) {
            emit(l -> l.revoked(info));
        } else {
            history.append(List.of(leakEvent(c.after(), source, "revoked_already", at)));
        }
        return info;
    }

    private ApiKeyInfo flagLeaked(String keyId, String source) {
        StoredKey key = store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId));
        history.append(List.of(leakEvent(key, source, "flagged", views.now())));
        return views.info(key);
    }

    private static KeyEvent leakEvent(StoredKey key, String source, String action, Instant at) {
        return KeyHistoryWriter.event(key, KeyEvent.Type.LEAK_REPORTED, SYSTEM.name(), at,
                source == null ? Map.of("action", action) : Map.of("action", action, "source", source));
    }

    IssuedKey rotate(String keyId, Duration overlap) {
        return rotate(keyId, overlap, Actor.HOST, KeyGuardrails.ANY_VERSION);
    }

    /**
     * Rotates for an actor: the replacement has the old key's scopes, so the old key must hold none beyond the actor's
     * ceiling (the actor receives the new plaintext). A key may rotate itself: that is what rotation jobs do.
     */
    IssuedKey rotate(String keyId, Duration overlap, Actor actor, long expectedVersion) {
        KeyQueries.requireKeyId(keyId);
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(overlap, "overlap");
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw new IllegalArgumentException("overlap must be between 0 and " + MAX_OVERLAP.toDays()
                    + " days, was " + overlap);
        }
        for (int attempt = 1; attempt <= RACE_ATTEMPTS; attempt++) {
            StoredKey old = store.findById(keyId).orElseThrow(() -> new KeyNotFoundException(keyId));
            Instant now = views.now();
            KeyGuardrails.requireVersion(old, expectedVersion);
            guard.requireManageable(actor, old, "rotated", true);
            guard.requireInPlan(old.tenantId(), old.attributes().scopes());
            // The replacement keeps the old key's expiry: the caller receives a key that lives that long.
            KeyGuardrails.requireLifetime(actor, old.expiresAt());
            requireRotatable(old, now);
            Instant end = Instants.plusClamped(now, overlap);
            Instant oldEnd = old.expiresAt() != null && old.expiresAt().isBefore(end) ? old.expiresAt() : end;
            // The replacement keeps the old key's attributes, its absolute expiry date included; its rotate-by date
            // keeps the old interval from now.
            Instant oldRotateBy = old.attributes().rotateBy().orElse(null);
            // A legacy key's rotate-by date asked for this very rotation: its replacement, of our format, has none.
            boolean legacy = dev.apikey.spi.LegacyHash.isLegacy(old.secretHash());
            KeySpec attributes = oldRotateBy == null ? old.attributes() : legacy
                    ? old.attributes().toBuilder().rotateBy(null).build() : old.attributes().toBuilder()
                    .rotateBy(Instants.plusClamped(now, Duration.between(old.createdAt(), oldRotateBy).abs())).build();
            try {
                IssuedKey issued = issue(old.tenantId(), (id, hash) -> StoredKey.builder(id).secretHash(hash)
                        .attributes(attributes).createdAt(now).lineageId(old.lineage()).build(),
                        record -> history.write(List.of(KeyWrite.replace(old.rotatedTo(record.keyId(), oldEnd),
                                old.version()), KeyWrite.insert(record)), List.of(
                                KeyHistoryWriter.event(old, KeyEvent.Type.ROTATED, actor.name(), now, Map.of(
                                        "new_key_id", record.keyId(), "overlap_ends", oldEnd.toString())),
                                KeyHistoryWriter.event(record, KeyEvent.Type.CREATED, actor.name(), now,
                                        Map.of("replaces", old.keyId())))));
                cache.invalidate(keyId);
                ApiKeyInfo oldInfo = views.info(old.rotatedTo(issued.info().keyId(), oldEnd), now);
                LOG.debug("rotated key {} to {}", oldInfo.hint(), issued.info().hint());
                emit(l -> l.rotated(oldInfo, issued.info()));
                return issued;
            } catch (VersionConflictException e) {
                LOG.debug("key {} changed while being rotated; reading it again ({} of {})", keyId, attempt,
                        RACE_ATTEMPTS);
            }
        }
        throw new KeyChangedException(keyId, "rotated");
    }

    /**
     * Only the newest key of a rotation chain rotates: rotating a key in its overlap again would leave two live
     * successors.
     */
    private static void requireRotatable(StoredKey key, Instant now) {
        ApiKeyInfo.Status status = KeyViews.status(key, now);
        if (status == ApiKeyInfo.Status.EXPIRING) {
            throw new KeyAlreadyRotatedException(key.keyId(), key.replacedBy(), key.expiresAt());
        }
        if (status != ApiKeyInfo.Status.ACTIVE) {
            throw new KeyNotActiveException(key.keyId(), status, "rotated");
        }
    }

    /**
     * Replaces a key's stored hash with one of the current policy if it still is {@code expectedHash}: a write that
     * keeps the version (the key's state and attributes are the same). A key changed meanwhile is left as it is; the
     * next verify upgrades it.
     *
     * @return whether the hash was replaced
     */
    static boolean rehash(KeyStore store, String keyId, String expectedHash, String newHash, String algorithm,
            Instant at) {
        StoredKey k = store.findById(keyId).orElse(null);
        if (k == null || !k.secretHash().equals(expectedHash)) {
            return false;
        }
        try {
            new KeyHistoryWriter(store).write(List.of(KeyWrite.replace(k.withSecretHash(newHash), k.version())),
                    List.of(KeyHistoryWriter.event(k, KeyEvent.Type.REHASHED, SYSTEM.name(), at,
                            Map.of("algorithm", algorithm))));
            return true;
        } catch (VersionConflictException e) {
            return false;
        }
    }

    /**
     * Generates a key, hashes its secret into the record the template builds, and writes it; retries with a
     * fresh id if the id is taken.
     */
    private IssuedKey issue(String tenant, BiFunction<String, String, StoredKey> template, Consumer<StoredKey> write) {
        for (int attempt = 1; attempt <= ID_ATTEMPTS; attempt++) {
            KeyGenerator.Generated generated = generator.generate(tenant);
            try {
                StoredKey record = template.apply(generated.keyId(), hashing.hash(generated.secret()));
                write.accept(record);
                cache.invalidate(record.keyId());
                return new IssuedKey(generated.plaintext(), views.info(record));
            } catch (DuplicateKeyException e) {
                LOG.debug("generated key id {} exists already; generating another", generated.keyId());
            } finally {
                generated.destroy();
            }
        }
        throw new ApiKeyException("no free key id after " + ID_ATTEMPTS + " attempts; is the random source broken?");
    }

    /** {@return the importer of keys, over this lifecycle's store, rules and cache} */
    KeyImporter importer() {
        return new KeyImporter(store, catalog, hashing, parser, generator, guard, history, cache, views,
                info -> emit(l -> l.imported(info)));
    }

    private void emit(Consumer<KeyEventListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("key event listener failed: {}", e.toString());
        }
    }
}
