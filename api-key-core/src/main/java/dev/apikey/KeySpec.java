package dev.apikey;

import dev.apikey.internal.KeyLayout;
import dev.apikey.internal.Printable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to create: a key's name, tenant, scopes, optional expiry and metadata. Built and checked by
 * {@link #builder(String)}; the scopes are checked against the catalog by {@link ApiKeys#create}.
 *
 * <pre>{@code
 * KeySpec spec = KeySpec.builder("crm-sync-prod").tenant("92").scopes("events:read").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class KeySpec {

    /** Longest key name, in characters. */
    public static final int MAX_NAME_LENGTH = 100;
    /** Most metadata entries per key. */
    public static final int MAX_METADATA_ENTRIES = 32;
    /** Longest metadata value, in characters. */
    public static final int MAX_METADATA_VALUE_LENGTH = 512;

    private final String name;
    private final String tenantId;
    private final Set<String> scopes;
    private final Instant expiresUtc;
    private final Map<String, String> metadata;

    private KeySpec(Builder b) {
        this.name = b.name;
        this.tenantId = b.tenantId;
        this.scopes = Collections.unmodifiableSet(new LinkedHashSet<>(b.scopes));
        this.expiresUtc = b.expiresUtc;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
    }

    /**
     * Starts a spec for a key with this name.
     *
     * @param name 1 to 100 printable characters, no whitespace at either end, e.g. {@code crm-sync-prod}
     * @throws NullPointerException     if name is null
     * @throws IllegalArgumentException if the name breaks that rule
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The key's name. */
    public String name() {
        return name;
    }

    /** The tenant, if the key belongs to one. */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** The scopes to grant; unmodifiable. */
    public Set<String> scopes() {
        return scopes;
    }

    /** When the key should stop working, if ever. */
    public Optional<Instant> expiresUtc() {
        return Optional.ofNullable(expiresUtc);
    }

    /** The metadata; unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return "KeySpec[name=" + name + ", tenant=" + tenantId + ", scopes=" + scopes + ", expiresUtc=" + expiresUtc
                + ", metadata=" + metadata + "]";
    }

    /** Collects and checks a {@link KeySpec}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String tenantId;
        private final Set<String> scopes = new LinkedHashSet<>();
        private Instant expiresUtc;
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            String problem = Printable.problem(name, MAX_NAME_LENGTH);
            if (problem != null) {
                throw new IllegalArgumentException("name " + problem);
            }
            this.name = name;
        }

        /**
         * The tenant the key belongs to; it becomes part of the key.
         *
         * @param tenantId 1 to 36 of {@code [A-Za-z0-9-]}
         * @throws IllegalArgumentException if the tenant id breaks that rule
         */
        public Builder tenant(String tenantId) {
            String problem = KeyLayout.tenantProblem(tenantId);
            if (problem != null) {
                throw new IllegalArgumentException("tenantId " + problem);
            }
            this.tenantId = tenantId;
            return this;
        }

        /**
         * Adds scopes to grant.
         *
         * @throws NullPointerException if scopes or one of them is null
         */
        public Builder scopes(String... scopes) {
            return scopes(Arrays.asList(Objects.requireNonNull(scopes, "scopes")));
        }

        /**
         * Adds scopes to grant.
         *
         * @throws NullPointerException if scopes or one of them is null
         */
        public Builder scopes(Collection<String> scopes) {
            for (String scope : Objects.requireNonNull(scopes, "scopes")) {
                this.scopes.add(Objects.requireNonNull(scope, "scopes must not contain null"));
            }
            return this;
        }

        /**
         * When the key stops working; checked against the clock at creation (it must lie in the future).
         *
         * @throws NullPointerException if expiresUtc is null
         */
        public Builder expiresAt(Instant expiresUtc) {
            this.expiresUtc = Objects.requireNonNull(expiresUtc, "expiresUtc");
            return this;
        }

        /**
         * Adds a metadata entry, e.g. {@code env=prod}, {@code owner=team-crm}.
         *
         * @param key   1 to 64 of {@code [A-Za-z0-9._-]}
         * @param value 1 to 512 printable characters
         * @throws IllegalArgumentException if either breaks its rule, or there would be more than 32 entries
         */
        public Builder metadata(String key, String value) {
            Objects.requireNonNull(key, "metadata key");
            if (!key.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("metadata key must be 1 to 64 of [A-Za-z0-9._-]");
            }
            String problem = Printable.problem(value, MAX_METADATA_VALUE_LENGTH);
            if (problem != null) {
                throw new IllegalArgumentException("metadata value of '" + key + "' " + problem);
            }
            if (!metadata.containsKey(key) && metadata.size() == MAX_METADATA_ENTRIES) {
                throw new IllegalArgumentException("metadata may hold at most " + MAX_METADATA_ENTRIES + " entries");
            }
            metadata.put(key, value);
            return this;
        }

        /**
         * @throws IllegalStateException if no scope was given
         */
        public KeySpec build() {
            if (scopes.isEmpty()) {
                throw new IllegalStateException("a key needs at least one scope");
            }
            return new KeySpec(this);
        }
    }
}
