package dev.apikey.model;

import dev.apikey.internal.ScopeBits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The scopes a host declares, each with a description: the only scopes keys may hold and routes may
 * require. Matching is exact: no case folding, no prefix tricks. Implications are explicit entries: a
 * {@linkplain Builder#wildcard wildcard} {@code resource:*} and a {@linkplain Builder#superScope super
 * scope} such as {@code admin}.
 *
 * <pre>{@code
 * ScopeCatalog scopes = ScopeCatalog.builder()
 *         .scope("events:read", "Read events")
 *         .scope("events:write", "Create events")
 *         .wildcard("events:*", "Everything on events")
 *         .superScope("admin", "Everything")
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Scope sets compile to bit sets, so a check is O(1).
 */
public final class ScopeCatalog {

    /** Longest scope name accepted. */
    public static final int MAX_NAME_LENGTH = 64;

    private final List<Scope> scopes;
    private final Map<String, Integer> bits;
    private final ScopeBits[] implied;

    private ScopeCatalog(List<Scope> scopes) {
        this.scopes = List.copyOf(scopes);
        this.bits = new HashMap<>();
        for (int i = 0; i < scopes.size(); i++) {
            bits.put(scopes.get(i).name(), i);
        }
        this.implied = new ScopeBits[scopes.size()];
        for (int i = 0; i < scopes.size(); i++) {
            List<Integer> set = new ArrayList<>();
            for (int j = 0; j < scopes.size(); j++) {
                if (scopes.get(i).implies(scopes.get(j))) {
                    set.add(j);
                }
            }
            implied[i] = ScopeBits.ofBits(scopes.size(), set.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /**
     * Starts an empty catalog.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return every scope, in declaration order} */
    public List<Scope> scopes() {
        return scopes;
    }

    /**
     * {@return the scope with exactly this name, if declared}
     *
     * @param name the scope name
     */
    public Optional<Scope> find(String name) {
        Integer bit = name == null ? null : bits.get(name);
        return bit == null ? Optional.empty() : Optional.of(scopes.get(bit));
    }

    /**
     * Checks that every name is declared.
     *
     * @param names scope names
     * @throws NullPointerException     if names or an element is null
     * @throws IllegalArgumentException if a name is not shaped like a scope name (it is not echoed)
     * @throws UnknownScopeException    for the first undeclared name, with the closest declared one
     */
    public void requireDeclared(Collection<String> names) {
        Objects.requireNonNull(names, "scopes");
        for (String name : names) {
            Objects.requireNonNull(name, "scopes must not contain null");
            if (!bits.containsKey(name)) {
                String problem = nameProblem(name);
                if (problem != null) {
                    throw new IllegalArgumentException("scopes: a scope name " + problem);
                }
                throw unknown(name);
            }
        }
    }

    /**
     * {@return the scopes of {@code wanted} that holding {@code held} does not grant, implications applied (a holder
     * of {@code events:*} grants {@code events:read}; only a holder of a super scope grants it), in the order given}
     * Undeclared names grant nothing and are never granted.
     *
     * @param held   the scopes held, e.g. a key's own
     * @param wanted the scopes asked for
     * @throws NullPointerException if either is null
     */
    public java.util.Set<String> beyond(Collection<String> held, Collection<String> wanted) {
        ScopeBits granted = compile(Objects.requireNonNull(held, "held"));
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String name : Objects.requireNonNull(wanted, "wanted")) {
            int bit = bitOf(name);
            if (bit < 0 || !granted.has(bit)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The bit of a declared scope, or -1. */
    int bitOf(String name) {
        Integer bit = bits.get(name);
        return bit == null ? -1 : bit;
    }

    /** The bits granted by holding these scopes, implications applied; undeclared names grant nothing. */
    ScopeBits compile(Collection<String> names) {
        ScopeBits result = ScopeBits.EMPTY;
        for (String name : names) {
            Integer bit = bits.get(name);
            if (bit != null) {
                result = result.or(implied[bit]);
            }
        }
        return result;
    }

    UnknownScopeException unknown(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Scope scope : scopes) {
            int d = editDistance(name, scope.name());
            if (d < bestDistance) {
                best = scope.name();
                bestDistance = d;
            }
        }
        boolean close = bestDistance <= Math.max(2, name.length() / 3);
        return new UnknownScopeException(name, close ? best : null);
    }

    static String nameProblem(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return "must be 1 to " + MAX_NAME_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (i > 0 && (c == ':' || c == '.' || c == '_' || c == '-'));
            if (!ok) {
                return "may contain only letters, digits and (after the first) ':', '.', '_', '-'";
            }
        }
        return null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    @Override
    public String toString() {
        return "ScopeCatalog" + bits.keySet();
    }

    /** Declares scopes. Not thread-safe; build once. */
    public static final class Builder {
        private final List<Scope> scopes = new ArrayList<>();

        private Builder() {
        }

        /**
         * Declares a scope that grants exactly itself.
         *
         * @return this builder
         * @param name        1 to 64 of letters, digits, ':', '.', '_', '-' (not first), e.g. {@code events:read}
         * @param description what it allows, 1 to 200 characters
         * @throws IllegalArgumentException if the name or description breaks the rules or the name is taken
         */
        public Builder scope(String name, String description) {
            return add(name, description, Scope.Kind.EXACT);
        }

        /**
         * Declares {@code resource:*}, granting itself and every scope named {@code resource:...}.
         *
         * @param description what it grants, for people
         * @param name {@code resource:*}
         * @return this builder
         * @throws IllegalArgumentException if the name does not end in {@code :*}, breaks the rules, or is taken
         */
        public Builder wildcard(String name, String description) {
            Objects.requireNonNull(name, "name");
            if (!name.endsWith(":*") || name.length() < 3) {
                throw new IllegalArgumentException("wildcard name must be '<resource>:*', was '" + name + "'");
            }
            String problem = nameProblem(name.substring(0, name.length() - 2));
            if (problem != null) {
                throw new IllegalArgumentException("wildcard name resource " + problem);
            }
            return addChecked(name, description, Scope.Kind.WILDCARD);
        }

        /**
         * Declares a scope that grants every scope of the catalog, e.g. {@code admin}.
         *
         * @param description what it grants, for people
         * @param name the scope name
         * @return this builder
         * @throws IllegalArgumentException if the name or description breaks the rules or the name is taken
         */
        public Builder superScope(String name, String description) {
            return add(name, description, Scope.Kind.ALL);
        }

        private Builder add(String name, String description, Scope.Kind kind) {
            Objects.requireNonNull(name, "name");
            String problem = nameProblem(name);
            if (problem != null) {
                throw new IllegalArgumentException("scope name " + problem);
            }
            return addChecked(name, description, kind);
        }

        private Builder addChecked(String name, String description, Scope.Kind kind) {
            Objects.requireNonNull(description, "description");
            if (description.isBlank() || description.length() > 200) {
                throw new IllegalArgumentException("description of scope '" + name + "' must be 1 to 200 characters");
            }
            for (Scope s : scopes) {
                if (s.name().equals(name)) {
                    throw new IllegalArgumentException("scope '" + name + "' is declared twice");
                }
            }
            scopes.add(new Scope(name, description, kind));
            return this;
        }

        /**
         * @return the catalog
         * @throws IllegalStateException if no scope was declared
         */
        public ScopeCatalog build() {
            if (scopes.isEmpty()) {
                throw new IllegalStateException("a scope catalog needs at least one scope");
            }
            return new ScopeCatalog(scopes);
        }
    }
}
