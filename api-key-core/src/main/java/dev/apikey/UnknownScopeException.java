package dev.apikey;

import java.util.Optional;

/**
 * A scope was named that the host's {@link ScopeCatalog} does not declare, e.g. when creating a key.
 * Carries the closest catalog scope when one is near enough to be a likely typo.
 */
public final class UnknownScopeException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the undeclared name */
    private final String scope;
    /** @serial the closest declared name, or null */
    private final String suggestion;

    UnknownScopeException(String scope, String suggestion) {
        super("unknown scope '" + scope + "'" + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"));
        this.scope = scope;
        this.suggestion = suggestion;
    }

    /** {@return the scope that is not in the catalog} */
    public String scope() {
        return scope;
    }

    /** {@return the catalog scope closest to it, if one is close} */
    public Optional<String> suggestion() {
        return Optional.ofNullable(suggestion);
    }
}
