package dev.apikey.model;

import java.util.Set;

/**
 * A manager asked for scopes beyond its {@link GrantCeiling}: to create, edit or rotate a key holding them, or to
 * edit, rotate or enable a key that already holds them. Nothing was written.
 */
public final class ScopeNotGrantableException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the scopes over the ceiling, in the order asked */
    private final java.util.List<String> scopes;

    /**
     * Scopes over a ceiling.
     *
     * @param scopes the scopes over it (declared scope names, never secrets)
     * @param detail what was refused, e.g. {@code "may not grant"} or {@code "key 3kTz9QbC holds"}
     */
    public ScopeNotGrantableException(Set<String> scopes, String detail) {
        super(detail + " " + scopes + ": beyond the scopes this caller may grant");
        this.scopes = java.util.List.copyOf(scopes);
    }

    /** {@return the scopes over the ceiling, in the order asked} */
    public java.util.List<String> scopes() {
        return scopes;
    }
}
