package dev.apikey.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The scopes a manager of keys may grant: to a key it creates, edits or rotates. A key's own scopes are its ceiling
 * ({@link #scopes}); a host says what each of its users' roles may grant. Implications follow the
 * {@link ScopeCatalog}: a ceiling holding {@code events:*} grants {@code events:read}, and only a ceiling holding a
 * super scope grants that super scope.
 *
 * <p>Immutable and thread-safe.
 */
public final class GrantCeiling {

    private static final GrantCeiling EVERYTHING = new GrantCeiling(null, false);
    private static final GrantCeiling ORDINARY = new GrantCeiling(null, true);

    /** The scopes held, or null for {@link #everything} and {@link #ordinaryScopes}. */
    private final Set<String> held;
    private final boolean ordinary;

    private GrantCeiling(Set<String> held, boolean ordinary) {
        this.held = held;
        this.ordinary = ordinary;
    }

    /** {@return the ceiling of the host's own code: every scope, super scopes included} */
    public static GrantCeiling everything() {
        return EVERYTHING;
    }

    /**
     * {@return every scope of the catalog but its super scopes}: what a signed-in user whose host configured no ceiling
     * may grant. Handing out a super scope turns a key into an administrator, so that takes the host's explicit word.
     */
    public static GrantCeiling ordinaryScopes() {
        return ORDINARY;
    }

    /**
     * {@return the ceiling of a holder of these scopes: what they grant, implications applied}
     *
     * @param scopes the scopes held (e.g. a key's own); none grants nothing
     * @throws NullPointerException if scopes or one of them is null
     */
    public static GrantCeiling scopes(Collection<String> scopes) {
        Objects.requireNonNull(scopes, "scopes");
        Set<String> copy = new LinkedHashSet<>();
        for (String s : scopes) {
            copy.add(Objects.requireNonNull(s, "scopes must not contain null"));
        }
        return new GrantCeiling(Set.copyOf(copy), false);
    }

    /** {@return whether this ceiling grants every scope} */
    public boolean isEverything() {
        return held == null && !ordinary;
    }

    /**
     * {@return the scopes of {@code wanted} this ceiling does not grant, in the order given; empty if it grants them all}
     *
     * @param catalog the catalog the scopes are declared in
     * @param wanted  the scopes asked for
     */
    public Set<String> beyond(ScopeCatalog catalog, Collection<String> wanted) {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(wanted, "wanted");
        if (isEverything()) {
            return Set.of();
        }
        if (held != null) {
            return catalog.beyond(held, wanted);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String name : wanted) {
            if (catalog.find(name).map(s -> s.kind() == Scope.Kind.ALL).orElse(true)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * {@return the catalog's scopes this ceiling grants, in declaration order: what a console offers}
     *
     * @param catalog the catalog
     */
    public List<String> grantable(ScopeCatalog catalog) {
        List<String> names = new ArrayList<>();
        for (Scope s : catalog.scopes()) {
            names.add(s.name());
        }
        Set<String> over = beyond(catalog, names);
        names.removeAll(over);
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrantCeiling g && ordinary == g.ordinary && Objects.equals(held, g.held);
    }

    @Override
    public int hashCode() {
        return Objects.hash(held, ordinary);
    }

    @Override
    public String toString() {
        return isEverything() ? "GrantCeiling[everything]" : ordinary ? "GrantCeiling[all but super scopes]"
                : "GrantCeiling" + new java.util.TreeSet<>(held);
    }
}
