package dev.apikey;

import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import java.time.Duration;
import java.util.Objects;

/**
 * Changes keys on behalf of an {@link Actor}, from {@link ApiKeys#manage}: each method is the one of {@link ApiKeys}
 * with the same name, with the actor's limits decided in the core.
 *
 * <pre>{@code
 * Actor alice = new Actor("user:alice", GrantCeiling.scopes(List.of("events:*")), null);
 * ApiKeyInfo key = apiKeys.get(keyId).orElseThrow();
 * // ... alice edits it in a form for a while ...
 * apiKeys.manage(alice).ifVersion(key.version()).update(keyId, KeyUpdate.builder(key.attributes()).name("crm").build());
 * }</pre>
 *
 * <p>Refusals, each writing nothing: {@link dev.apikey.model.ScopeNotGrantableException} (a scope beyond the ceiling,
 * asked or held by the key), {@link dev.apikey.model.OwnKeyException} (the actor's own key edited or enabled),
 * {@link dev.apikey.model.StaleVersionException} (the key is not at {@link #ifVersion}'s version),
 * {@link dev.apikey.model.KeyLimitReachedException} and {@link dev.apikey.model.TooManyCreatesException} (creates),
 * and those of the {@link ApiKeys} methods. Revoke and disable take a key out of use whatever it holds.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyManager {

    private final KeyLifecycle lifecycle;
    private final Actor actor;
    private final long expectedVersion;

    KeyManager(KeyLifecycle lifecycle, Actor actor, long expectedVersion) {
        this.lifecycle = lifecycle;
        this.actor = Objects.requireNonNull(actor, "actor");
        this.expectedVersion = expectedVersion;
    }

    /**
     * {@return this manager, changing a key only if it is still at {@code version}} (the version the actor saw,
     * {@link ApiKeyInfo#version()}, e.g. from an HTTP {@code If-Match}); applies to every change but create.
     *
     * @param version 1 or more
     * @throws IllegalArgumentException if version is below 1
     */
    public KeyManager ifVersion(long version) {
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more, was " + version);
        }
        return new KeyManager(lifecycle, actor, version);
    }

    /** {@return who manages} */
    public Actor actor() {
        return actor;
    }

    /**
     * Creates a key: {@link ApiKeys#create}, its scopes within the actor's ceiling, one of the actor's creates spent,
     * under the tenant's cap.
     *
     * @param spec the key
     * @return the key, its plaintext shown this once
     */
    public IssuedKey create(KeySpec spec) {
        return lifecycle.create(spec, actor, true);
    }

    /**
     * Imports a legacy key by its stored hash ({@link LegacyKeys#importKey}), under every rule of {@link #create}:
     * scopes within the actor's ceiling and the tenant's plan, one of the actor's creates spent, under the tenant's
     * cap.
     *
     * @param spec       the key's attributes
     * @param storedHash its hash as {@link dev.apikey.spi.LegacyHash} makes it
     * @return the imported key
     */
    public ApiKeyInfo importLegacy(KeySpec spec, String storedHash) {
        return lifecycle.importLegacy(spec, storedHash, actor, true);
    }

    /**
     * Edits a key: {@link ApiKeys#update}; not the actor's own key, not a key holding a scope beyond its ceiling.
     *
     * @param keyId  the key id
     * @param update what changes
     * @return the key after the edit
     */
    public ApiKeyInfo update(String keyId, KeyUpdate update) {
        return lifecycle.update(keyId, update, actor, expectedVersion);
    }

    /**
     * Rotates a key: {@link ApiKeys#rotate}; not a key holding a scope beyond the actor's ceiling (the actor receives
     * the new key). A key may rotate itself.
     *
     * @param keyId   the key id
     * @param overlap how long the old key stays valid
     * @return the new key, its plaintext shown this once
     */
    public IssuedKey rotate(String keyId, Duration overlap) {
        return lifecycle.rotate(keyId, overlap, actor, expectedVersion);
    }

    /**
     * Revokes a key: {@link ApiKeys#revoke}.
     *
     * @param keyId the key id
     * @return the key after the call
     */
    public ApiKeyInfo revoke(String keyId) {
        return lifecycle.revoke(keyId, actor, expectedVersion);
    }

    /**
     * Disables a key: {@link ApiKeys#disable}.
     *
     * @param keyId the key id
     * @return the key after the call
     */
    public ApiKeyInfo disable(String keyId) {
        return lifecycle.disable(keyId, actor, expectedVersion);
    }

    /**
     * Enables a key: {@link ApiKeys#enable}; not the actor's own key, not a key holding a scope beyond its ceiling.
     *
     * @param keyId the key id
     * @return the key after the call
     */
    public ApiKeyInfo enable(String keyId) {
        return lifecycle.enable(keyId, actor, expectedVersion);
    }

    /**
     * Imports keys ({@link KeyImport}): each line under the actor's ceiling and lifetime and the tenant's plan and cap
     * of live keys, as a create would be (but spending none of the actor's creates per minute). A line that breaks a
     * rule is refused with its line number and reason, and nothing of it is written; in {@link KeyImport.Mode#BATCH}
     * nothing at all is then written. A key already in the store with the same secret is {@code UNCHANGED}: a rerun
     * of an import changes nothing.
     *
     * @param lines the lines, in the source's order
     * @param mode  dry run, one batch, or line by line
     * @return each line's result and how many keys were written
     */
    public ImportReport importKeys(java.util.List<KeyImport> lines, KeyImport.Mode mode) {
        return importKeys(lines, mode, ImportProgress.none());
    }

    /**
     * Imports keys as {@link #importKeys(java.util.List, KeyImport.Mode)} does, telling {@code progress} how many
     * lines are checked and how many keys written as it goes (counts only, never key material), e.g. for a running
     * count on a terminal.
     *
     * @param lines    the lines, in the source's order
     * @param mode     dry run, one batch, or line by line
     * @param progress told the counts after each line and after a batch's write
     * @return each line's result and how many keys were written
     */
    public ImportReport importKeys(java.util.List<KeyImport> lines, KeyImport.Mode mode, ImportProgress progress) {
        return lifecycle.importer().importKeys(java.util.List.copyOf(lines), mode, actor, progress);
    }

    @Override
    public String toString() {
        return "KeyManager[" + actor.name() + (expectedVersion == KeyGuardrails.ANY_VERSION ? "" : ", version "
                + expectedVersion) + "]";
    }
}
