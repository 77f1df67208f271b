package dev.apikey.model;

/**
 * One entry of a {@link ScopeCatalog}.
 *
 * @param name        the scope as keys and routes name it, e.g. {@code events:read}
 * @param description what the scope allows, for people choosing scopes
 * @param kind        whether it is a plain scope or implies others
 */
public record Scope(String name, String description, Kind kind) {

    /**
     * Checks the scope: the name rule of its kind (see {@link ScopeCatalog.Builder}), a description of 1 to 200
     * characters, a kind.
     *
     * @param description what the scope allows, for people choosing scopes
     * @param kind whether it is a plain scope or implies others
     * @param name the scope as keys and routes name it, e.g. {@code events:read}
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the name or description breaks its rule, naming it
     */
    public Scope {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(description, "description");
        java.util.Objects.requireNonNull(kind, "kind");
        String problem;
        if (kind == Kind.WILDCARD) {
            problem = name.endsWith(":*") && name.length() >= 3
                    ? ScopeCatalog.nameProblem(name.substring(0, name.length() - 2))
                    : "must be '<resource>:*'";
        } else {
            problem = ScopeCatalog.nameProblem(name);
        }
        if (problem != null) {
            throw new IllegalArgumentException((kind == Kind.WILDCARD ? "wildcard name " : "scope name ") + problem
                    + ", was '" + name + "'");
        }
        if (description.isBlank() || description.length() > 200) {
            throw new IllegalArgumentException("description of scope '" + name + "' must be 1 to 200 characters");
        }
    }

    /** How a scope relates to the others in its catalog. */
    public enum Kind {
        /** Grants exactly itself. */
        EXACT,
        /** {@code resource:*}: grants itself and every scope named {@code resource:...}. */
        WILDCARD,
        /** Grants every scope of the catalog, e.g. {@code admin}. */
        ALL
    }

    /**
     * {@return whether holding this scope grants {@code other} (a scope of the same catalog)}
     *
     * @param other another scope
     */
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
