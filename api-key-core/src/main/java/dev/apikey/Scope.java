package dev.apikey;

/**
 * One entry of a {@link ScopeCatalog}.
 *
 * @param name        the scope as keys and routes name it, e.g. {@code events:read}
 * @param description what the scope allows, for people choosing scopes
 * @param kind        whether it is a plain scope or implies others
 */
public record Scope(String name, String description, Kind kind) {

    /** How a scope relates to the others in its catalog. */
    public enum Kind {
        /** Grants exactly itself. */
        EXACT,
        /** {@code resource:*}: grants itself and every scope named {@code resource:...}. */
        WILDCARD,
        /** Grants every scope of the catalog, e.g. {@code admin}. */
        ALL
    }

    /** Whether holding this scope grants {@code other} (a scope of the same catalog). */
    public boolean implies(Scope other) {
        switch (kind) {
            case ALL:
                return true;
            case WILDCARD:
                return other.name.startsWith(name.substring(0, name.length() - 1));
            default:
                return name.equals(other.name);
        }
    }
}
