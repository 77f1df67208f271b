package dev.apikey.model;

import dev.apikey.internal.KeyShapes;
import java.util.Optional;

/**
 * A scope was named that the host's {@link ScopeCatalog} does not declare, e.g. when creating a key.
 * Carries the closest catalog scope when one is near enough to be a likely typo.
 */
public final class UnknownScopeException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the undeclared name as it may be shown: never a key, at most 64 characters, no control characters */
    private final String scope;
    /** @serial the closest declared name, or null */
    private final String suggestion;

    /**
     * A scope the catalog does not declare.
     *
     * @param scope      the name given
     * @param suggestion the closest declared name, or {@code null}
     */
    public UnknownScopeException(String scope, String suggestion) {
        super("unknown scope '" + shown(scope) + "'"
                + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"));
        this.scope = shown(scope);
        this.suggestion = suggestion;
    }

    /**
     * The name as this exception may show it, in messages and answers: a pasted key is never echoed (it is a secret,
     * and this message reaches responses and logs), long names are cut and control characters replaced.
     */
    private static String shown(String scope) {
        if (KeyShapes.containsKey(scope)) {
            return "[an API key, not shown]";
        }
        String cut = scope.length() > 64 ? scope.substring(0, 64) + "..." : scope;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.toString();
    }

    /** {@return the scope that is not in the catalog, as it may be shown (a pasted key is not)} */
    public String scope() {
        return scope;
    }

    /** {@return the catalog scope closest to it, if one is close} */
    public Optional<String> suggestion() {
        return Optional.ofNullable(suggestion);
    }
}
