package dev.apikey;

import dev.apikey.internal.CidrSet;
import dev.apikey.internal.Instants;
import dev.apikey.internal.KeyLayout;
import dev.apikey.internal.KeyShapes;
import dev.apikey.internal.Printable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to create: a key's name, tenant, scopes, optional expiry and metadata. Built and checked by
 * {@link #builder(String)}; the scopes are checked against the catalog by {@link ApiKeys#create}.
 *
 * <pre>{@code
 * KeySpec spec = KeySpec.builder("crm-sync-prod").tenantId("92").scopes("events:read").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class KeySpec {

    /** Longest key name, in characters. */
    public static final int MAX_NAME_LENGTH = 100;
    /** Most address ranges a key's allow list holds. */
    public static final int MAX_ALLOWED_ADDRESSES = 64;
    /** Most metadata entries per key. */
    public static final int MAX_METADATA_ENTRIES = 32;
    /** Longest metadata value, in characters. */
    public static final int MAX_METADATA_VALUE_LENGTH = 512;

    private final String name;
    private final String tenantId;
    private final Set<String> scopes;
    private final Instant expiresAt;
    private final Map<String, String> metadata;
    private final String environment;
    private final String owner;
    private final Instant rotateBy;
    private final List<String> allowedAddresses;
    private final RateLimit rateLimit;
    private final Quota quota;

    private KeySpec(Builder b) {
        this.name = b.name;
        this.tenantId = b.tenantId;
        this.scopes = Collections.unmodifiableSet(new LinkedHashSet<>(b.scopes));
        this.expiresAt = b.expiresAt;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.environment = b.environment;
        this.owner = b.owner;
        this.rotateBy = b.rotateBy;
        this.allowedAddresses = List.copyOf(b.allowedAddresses);
        this.rateLimit = b.rateLimit;
        this.quota = b.quota;
    }

    /**
     * Starts a spec for a key with this name.
     *
     * @return a builder for the spec
     * @param name 1 to 100 printable characters, no whitespace at either end, e.g. {@code crm-sync-prod}
     * @throws NullPointerException     if name is null
     * @throws IllegalArgumentException if the name breaks that rule
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@return the key's name} */
    public String name() {
        return name;
    }

    /** {@return the tenant, if the key belongs to one} */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** {@return the scopes to grant; unmodifiable} */
    public Set<String> scopes() {
        return scopes;
    }

    /** {@return when the key should stop working, if ever} */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** {@return the metadata; unmodifiable} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** {@return the environment the key is for, e.g. {@code prod}} */
    public Optional<String> environment() {
        return Optional.ofNullable(environment);
    }

    /** {@return who answers for the key} */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /** {@return when the key should be rotated by} */
    public Optional<Instant> rotateBy() {
        return Optional.ofNullable(rotateBy);
    }

    /** {@return the address ranges the key may be used from; empty means anywhere} */
    public List<String> allowedAddresses() {
        return allowedAddresses;
    }

    /** {@return the key's own rate limit, if it has one} */
    public Optional<RateLimit> rateLimit() {
        return Optional.ofNullable(rateLimit);
    }

    /** {@return the key's allowance of calls per day or month; empty for none} */
    public Optional<Quota> quota() {
        return Optional.ofNullable(quota);
    }

    @Override
    public String toString() {
        return "KeySpec[name=" + name + ", tenantId=" + tenantId + ", scopes=" + scopes + ", expiresAt=" + expiresAt
                + ", metadata=" + metadata + ", environment=" + environment + ", owner=" + owner + ", rotateBy="
                + rotateBy + ", allowedAddresses=" + allowedAddresses + ", rateLimit=" + rateLimit + "]";
    }

    /** Collects and checks a {@link KeySpec}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String tenantId;
        private final Set<String> scopes = new LinkedHashSet<>();
        private Instant expiresAt;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private String environment;
        private String owner;
        private Instant rotateBy;
        private final List<String> allowedAddresses = new ArrayList<>();
        private RateLimit rateLimit;
        private Quota quota;

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
         * @return this builder
         * @param tenantId 1 to 36 of {@code [A-Za-z0-9-]}
         * @throws IllegalArgumentException if the tenant id breaks that rule
         */
        public Builder tenantId(String tenantId) {
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
         * @param scopes scope names of the catalog
         * @return this builder
         * @throws NullPointerException if scopes or one of them is null
         */
        public Builder scopes(String... scopes) {
            return scopes(Arrays.asList(Objects.requireNonNull(scopes, "scopes")));
        }

        /**
         * Adds scopes to grant.
         *
         * @param scopes scope names of the catalog
         * @return this builder
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
         * @param expiresAt the expiry, or {@code null} for never
         * @return this builder
         * @throws NullPointerException if expiresAt is null
         */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = Instants.requireInRange("expiresAt", expiresAt);
            return this;
        }

        /**
         * Adds a metadata entry, e.g. {@code env=prod}, {@code owner=team-crm}.
         *
         * @return this builder
         * @param key   1 to 64 of {@code [A-Za-z0-9._-]}
         * @param value 1 to 512 printable characters
         * @throws IllegalArgumentException if either breaks its rule, or there would be more than 32 entries
         */
        public Builder metadata(String key, String value) {
            Objects.requireNonNull(key, "metadata key");
            if (!key.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("metadata key must be 1 to 64 of [A-Za-z0-9._-]");
            }
            if (KeyShapes.containsKey(key)) {
                throw new IllegalArgumentException("metadata key " + Printable.KEY_INSIDE);
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
         * The environment the key is for, shown in lists, e.g. {@code prod}, {@code staging}.
         *
         * @return this builder
         * @param environment 1 to 32 of {@code [A-Za-z0-9._-]}
         * @throws IllegalArgumentException if it breaks that rule
         */
        public Builder environment(String environment) {
            Objects.requireNonNull(environment, "environment");
            if (!environment.matches("[A-Za-z0-9._-]{1,32}")) {
                throw new IllegalArgumentException("environment must be 1 to 32 of [A-Za-z0-9._-]");
            }
            this.environment = environment;
            return this;
        }

        /**
         * Who answers for the key: a team, a person, an e-mail address.
         *
         * @return this builder
         * @param owner 1 to 200 printable characters
         * @throws IllegalArgumentException if it breaks that rule
         */
        public Builder owner(String owner) {
            Objects.requireNonNull(owner, "owner");
            String problem = Printable.problem(owner, 200);
            if (problem != null) {
                throw new IllegalArgumentException("owner " + problem);
            }
            this.owner = owner;
            return this;
        }

        /**
         * When the key should have been rotated; lists can filter keys past it. The key keeps working.
         *
         * @param rotateBy the rotate-by date, or {@code null}
         * @return this builder
         * @throws NullPointerException if rotateBy is null
         */
        public Builder rotateBy(Instant rotateBy) {
            this.rotateBy = Instants.requireInRange("rotateBy", rotateBy);
            return this;
        }

        /**
         * Restricts the key to callers from these address ranges ({@code ip_not_allowed} otherwise), in CIDR
         * notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}) or single addresses. At most 64 in all.
         *
         * @param cidrs CIDR ranges
         * @return this builder
         * @throws IllegalArgumentException if an entry is not an IP literal with a valid prefix
         */
        public Builder allowedAddresses(String... cidrs) {
            for (String cidr : Objects.requireNonNull(cidrs, "allowedAddresses")) {
                String problem = CidrSet.problem(cidr);
                if (problem != null) {
                    throw new IllegalArgumentException("allowedAddresses: " + problem);
                }
                if (allowedAddresses.size() == MAX_ALLOWED_ADDRESSES) {
                    throw new IllegalArgumentException("allowedAddresses may hold at most " + MAX_ALLOWED_ADDRESSES
                            + " ranges");
                }
                allowedAddresses.add(cidr);
            }
            return this;
        }

        /**
         * The key's own rate limit, instead of its tenant's or the configured default.
         *
         * @param rateLimit the key's own limit, or {@code null}
         * @return this builder
         * @throws NullPointerException if rateLimit is null
         */
        public Builder rateLimit(RateLimit rateLimit) {
            this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
            return this;
        }

        /**
         * The key's allowance of calls per calendar day or month (UTC), refused with {@code quota_exceeded} once
         * used up.
         *
         * @param quota the quota
         * @return this builder
         * @throws NullPointerException if quota is null
         */
        public Builder quota(Quota quota) {
            this.quota = Objects.requireNonNull(quota, "quota");
            return this;
        }

        /**
         * @return the spec
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
