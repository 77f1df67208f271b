package dev.apikey.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who manages a key, as the core judges it: a name for the audit trail, the {@link GrantCeiling} of what it may grant,
 * and, for a caller that is itself an API key, that key's id (no caller raises its own key) and its expiry (no key it
 * creates, edits or rotates outlives it).
 *
 * @param name     who acts, e.g. {@code user:alice} or {@code key:wlcro_92_3kTz9QbC}: 1 to 200 characters, no control
 *                 characters
 * @param ceiling  what it may grant
 * @param keyId    the id of the key it authenticated with, or {@code null} for a user or the host's code
 * @param notAfter the latest expiry it may give or hand out (its own key's expiry), or {@code null} for no bound
 */
public record Actor(String name, GrantCeiling ceiling, String keyId, Instant notAfter) {

    /** The host's own code: grants everything, like the methods of {@code ApiKeys} that take no actor. */
    public static final Actor HOST = new Actor("host", GrantCeiling.everything(), null);

    /**
     * Checks the name.
     *
     * @param name     who acts
     * @param ceiling  what it may grant
     * @param keyId    its own key's id, or {@code null}
     * @param notAfter the latest expiry it may give, or {@code null}
     * @throws NullPointerException     if name or ceiling is null
     * @throws IllegalArgumentException if the name breaks its rule
     */
    public Actor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ceiling, "ceiling");
        if (name.isEmpty() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("actor name must be 1 to 200 characters without control characters");
        }
    }

    /**
     * An actor without a bound on expiries: a user, or the host's code.
     *
     * @param name    who acts
     * @param ceiling what it may grant
     * @param keyId   its own key's id, or {@code null}
     * @throws NullPointerException     if name or ceiling is null
     * @throws IllegalArgumentException if the name breaks its rule
     */
    public Actor(String name, GrantCeiling ceiling, String keyId) {
        this(name, ceiling, keyId, null);
    }

    /**
     * {@return the actor a verified key is when it manages keys: it grants what it holds, and its keys expire no later
     * than it does}
     *
     * @param key the key, as the verifier granted it
     */
    public static Actor of(ApiKeyPrincipal key) {
        return new Actor("key:" + key.hint(), GrantCeiling.scopes(key.scopes()), key.keyId(),
                key.expiresAt().orElse(null));
    }

    /** {@return the id of the key this actor authenticated with, if it is a key} */
    public Optional<String> ownKeyId() {
        return Optional.ofNullable(keyId);
    }
}
