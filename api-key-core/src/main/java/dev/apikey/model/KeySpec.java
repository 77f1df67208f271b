package dev.apikey.model;

import dev.apikey.internal.CidrSet;
import dev.apikey.internal.Countries;
import dev.apikey.internal.Instants;
import dev.apikey.internal.KeyLayout;
import dev.apikey.internal.KeyShapes;
import dev.apikey.internal.Printable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A key's attributes: what it is allowed (scopes, expiry, address ranges, countries, allowances) and described by (name,
 * tenant, environment, owner, rotate-by date, metadata). The one place they are said: what {@link dev.apikey.ApiKeys#create}
 * takes, what a {@link KeyUpdate} patches, what a stored key ({@code StoredKey.attributes()}) and
 * {@link ApiKeyInfo#attributes()} hold. Built and checked by {@link #builder(String)}, each setter checking its
 * argument as it is set and naming it; the scopes are checked against the catalog by {@link dev.apikey.ApiKeys#create}.
 *
 * <pre>{@code
 * KeySpec spec = KeySpec.builder("crm-sync-prod").tenantId("92").scopes("events:read")
 *         .allowance(RateLimit.perSecond(10).named("burst")).allowance(Quota.perDay(50_000)).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; collections are sorted (scopes, metadata) or kept in order (address ranges,
 * allowances) and unmodifiable.
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
    /** Most allowances per key. */
    public static final int MAX_ALLOWANCES = 8;

    /** The attributes, each once: what a {@link KeyUpdate} says it changes. */
    public enum Attribute {
        /** {@link KeySpec#name()}. */
        NAME,
        /** {@link KeySpec#tenantId()}; part of the key's text, so no update changes it. */
        TENANT_ID,
        /** {@link KeySpec#scopes()}. */
        SCOPES,
        /** {@link KeySpec#expiresAt()}. */
        EXPIRES_AT,
        /** {@link KeySpec#environment()}. */
        ENVIRONMENT,
        /** {@link KeySpec#owner()}. */
        OWNER,
        /** {@link KeySpec#rotateBy()}. */
        ROTATE_BY,
        /** {@link KeySpec#metadata()}. */
        METADATA,
        /** {@link KeySpec#allowedAddresses()}. */
        ALLOWED_ADDRESSES,
        /** {@link KeySpec#allowedCountries()}. */
        ALLOWED_COUNTRIES,
        /** {@link KeySpec#allowances()}. */
        ALLOWANCES;

        /** {@return the attribute as the Java API names it, e.g. {@code expiresAt}} */
        public String javaName() {
            StringBuilder out = new StringBuilder();
            for (String part : name().toLowerCase(java.util.Locale.ROOT).split("_")) {
                out.append(out.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
            }
            return out.toString();
        }
    }

    private final String name;
    private final String tenantId;
    private final Set<String> scopes;
    private final Instant expiresAt;
    private final String environment;
    private final String owner;
    private final Instant rotateBy;
    private final Map<String, String> metadata;
    private final List<String> allowedAddresses;
    private final Set<String> allowedCountries;
    private final List<Allowance> allowances;

    private KeySpec(Setters<?> b) {
        this.name = b.name;
        this.tenantId = b.tenantId;
        this.scopes = Collections.unmodifiableSortedSet(new TreeSet<>(b.scopes));
        this.expiresAt = b.expiresAt;
        this.environment = b.environment;
        this.owner = b.owner;
        this.rotateBy = b.rotateBy;
        this.metadata = Collections.unmodifiableSortedMap(new TreeMap<>(b.metadata));
        this.allowedAddresses = List.copyOf(b.allowedAddresses);
        this.allowedCountries = Collections.unmodifiableSortedSet(new TreeSet<>(b.allowedCountries));
        this.allowances = List.copyOf(b.allowances);
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
        return new Builder().name(name);
    }

    /** {@return a builder holding every attribute of this spec, to change some} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.copy(this, EnumSet.allOf(Attribute.class));
        return b;
    }

    /** {@return this spec with the attributes the patch sets taken from it} */
    KeySpec patchedBy(Setters<?> patch) {
        Builder b = toBuilder();
        b.copy(patch.snapshot(), patch.touched);
        return b.snapshot();
    }

    /** {@return the key's name} */
    public String name() {
        return name;
    }

    /** {@return the tenant, if the key belongs to one} */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** {@return the scopes to grant, sorted; unmodifiable} */
    public Set<String> scopes() {
        return scopes;
    }

    /** {@return when the key stops working, if ever} */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
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

    /** {@return the metadata, sorted by key; unmodifiable} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** {@return the address ranges the key may be used from; empty means anywhere} */
    public List<String> allowedAddresses() {
        return allowedAddresses;
    }

    /**
     * {@return the countries the key may be used from (ISO 3166-1 alpha-2, upper case, sorted); empty means
     * anywhere; unmodifiable}
     */
    public Set<String> allowedCountries() {
        return allowedCountries;
    }

    /** {@return the key's own allowances (rate limits and quotas), in the order given; empty for none} */
    public List<Allowance> allowances() {
        return allowances;
    }

    /** {@return the key's own rate limit, if it has one} */
    public Optional<RateLimit> rateLimit() {
        return allowances.stream().filter(RateLimit.class::isInstance).map(RateLimit.class::cast).findFirst();
    }

    /** {@return the key's quota, if it has one} */
    public Optional<Quota> quota() {
        return allowances.stream().filter(Quota.class::isInstance).map(Quota.class::cast).findFirst();
    }

    /** {@return the value of one attribute (null, a string, an instant or an unmodifiable collection)} */
    Object value(Attribute a) {
        return switch (a) {
            case NAME -> name;
            case TENANT_ID -> tenantId;
            case SCOPES -> scopes;
            case EXPIRES_AT -> expiresAt;
            case ENVIRONMENT -> environment;
            case OWNER -> owner;
            case ROTATE_BY -> rotateBy;
            case METADATA -> metadata;
            case ALLOWED_ADDRESSES -> allowedAddresses;
            case ALLOWED_COUNTRIES -> allowedCountries;
            case ALLOWANCES -> allowances;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySpec s && name.equals(s.name) && Objects.equals(tenantId, s.tenantId)
                && scopes.equals(s.scopes) && Objects.equals(expiresAt, s.expiresAt)
                && Objects.equals(environment, s.environment) && Objects.equals(owner, s.owner)
                && Objects.equals(rotateBy, s.rotateBy) && metadata.equals(s.metadata)
                && allowedAddresses.equals(s.allowedAddresses) && allowedCountries.equals(s.allowedCountries)
                && allowances.equals(s.allowances);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, tenantId, scopes, expiresAt, environment, owner, rotateBy, metadata,
                allowedAddresses, allowedCountries, allowances);
    }

    @Override
    public String toString() {
        return "KeySpec[name=" + name + ", tenantId=" + tenantId + ", scopes=" + scopes + ", expiresAt=" + expiresAt
                + ", environment=" + environment + ", owner=" + owner + ", rotateBy=" + rotateBy + ", metadata="
                + metadata + ", allowedAddresses=" + allowedAddresses + ", allowedCountries=" + allowedCountries
                + ", allowances=" + allowances + "]";
    }

    /**
     * The setters of a key's attributes, shared by {@link Builder} (a new key) and {@link KeyUpdate.Builder} (a
     * patch): each checks its argument at once and names it in its message, and marks its attribute as set.
     * Collections accumulate: {@code scopes("a").scopes("b")} sets both.
     *
     * @param <B> the builder
     */
    public abstract static class Setters<B extends Setters<B>> {
        private String name;
        private String tenantId;
        private final Set<String> scopes = new TreeSet<>();
        private Instant expiresAt;
        private String environment;
        private String owner;
        private Instant rotateBy;
        private final Map<String, String> metadata = new TreeMap<>();
        private final List<String> allowedAddresses = new ArrayList<>();
        private final Set<String> allowedCountries = new TreeSet<>();
        private final List<Allowance> allowances = new ArrayList<>();
        final EnumSet<Attribute> touched = EnumSet.noneOf(Attribute.class);

        Setters() {
        }

        @SuppressWarnings("unchecked")
        private B mark(Attribute a) {
            touched.add(a);
            return (B) this;
        }

        /** Copies the given attributes of a spec into this builder, as set. */
        final void copy(KeySpec s, Set<Attribute> which) {
            for (Attribute a : which) {
                switch (a) {
                    case NAME -> name = s.name;
                    case TENANT_ID -> tenantId = s.tenantId;
                    case SCOPES -> replace(scopes, s.scopes);
                    case EXPIRES_AT -> expiresAt = s.expiresAt;
                    case ENVIRONMENT -> environment = s.environment;
                    case OWNER -> owner = s.owner;
                    case ROTATE_BY -> rotateBy = s.rotateBy;
                    case METADATA -> {
                        metadata.clear();
                        metadata.putAll(s.metadata);
                    }
                    case ALLOWED_ADDRESSES -> replace(allowedAddresses, s.allowedAddresses);
                    case ALLOWED_COUNTRIES -> replace(allowedCountries, s.allowedCountries);
                    case ALLOWANCES -> replace(allowances, s.allowances);
                    default -> throw new AssertionError(a);
                }
                touched.add(a);
            }
        }

        private static <T> void replace(Collection<T> into, Collection<T> from) {
            into.clear();
            into.addAll(from);
        }

        /**
         * The key's name.
         *
         * @param name 1 to 100 printable characters, no whitespace at either end
         * @return this builder
         * @throws NullPointerException     if name is null
         * @throws IllegalArgumentException if it breaks that rule
         */
        public B name(String name) {
            Objects.requireNonNull(name, "name");
            String problem = Printable.problem(name, MAX_NAME_LENGTH);
            if (problem != null) {
                throw new IllegalArgumentException("name " + problem);
            }
            this.name = name;
            return mark(Attribute.NAME);
        }

        /**
         * The tenant the key belongs to; it becomes part of the key.
         *
         * @param tenantId 1 to 36 of {@code [A-Za-z0-9-]}
         * @return this builder
         * @throws IllegalArgumentException if the tenant id breaks that rule
         */
        public B tenantId(String tenantId) {
            String problem = KeyLayout.tenantProblem(tenantId);
            if (problem != null) {
                throw new IllegalArgumentException("tenantId " + problem);
            }
            this.tenantId = tenantId;
            return mark(Attribute.TENANT_ID);
        }

        /**
         * Adds scopes to grant.
         *
         * @param scopes scope names of the catalog
         * @return this builder
         * @throws NullPointerException if scopes or one of them is null
         */
        public B scopes(String... scopes) {
            return scopes(Arrays.asList(Objects.requireNonNull(scopes, "scopes")));
        }

        /**
         * Adds scopes to grant.
         *
         * @param scopes scope names of the catalog
         * @return this builder
         * @throws NullPointerException if scopes or one of them is null
         */
        public B scopes(Collection<String> scopes) {
            for (String scope : Objects.requireNonNull(scopes, "scopes")) {
                this.scopes.add(Objects.requireNonNull(scope, "scopes must not contain null"));
            }
            return mark(Attribute.SCOPES);
        }

        /**
         * When the key stops working; checked against the clock when written (it must lie in the future).
         *
         * @param expiresAt the expiry, or {@code null} for never
         * @return this builder
         * @throws IllegalArgumentException if it lies after year 9999
         */
        public B expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt == null ? null : Instants.requireInRange("expiresAt", expiresAt);
            return mark(Attribute.EXPIRES_AT);
        }

        /**
         * The key never expires.
         *
         * @return this builder
         */
        public B neverExpires() {
            return expiresAt(null);
        }

        /**
         * The environment the key is for, shown in lists, e.g. {@code prod}, {@code staging}.
         *
         * @param environment 1 to 32 of {@code [A-Za-z0-9._-]}, or {@code null} for none
         * @return this builder
         * @throws IllegalArgumentException if it breaks that rule
         */
        public B environment(String environment) {
            if (environment != null && !environment.matches("[A-Za-z0-9._-]{1,32}")) {
                throw new IllegalArgumentException("environment must be 1 to 32 of [A-Za-z0-9._-]");
            }
            this.environment = environment;
            return mark(Attribute.ENVIRONMENT);
        }

        /**
         * Who answers for the key: a team, a person, an e-mail address.
         *
         * @param owner 1 to 200 printable characters, or {@code null} for none
         * @return this builder
         * @throws IllegalArgumentException if it breaks that rule
         */
        public B owner(String owner) {
            String problem = owner == null ? null : Printable.problem(owner, 200);
            if (problem != null) {
                throw new IllegalArgumentException("owner " + problem);
            }
            this.owner = owner;
            return mark(Attribute.OWNER);
        }

        /**
         * When the key should have been rotated; lists can filter keys past it. The key keeps working.
         *
         * @param rotateBy the rotate-by date, or {@code null} for none
         * @return this builder
         * @throws IllegalArgumentException if it lies after year 9999
         */
        public B rotateBy(Instant rotateBy) {
            this.rotateBy = rotateBy == null ? null : Instants.requireInRange("rotateBy", rotateBy);
            return mark(Attribute.ROTATE_BY);
        }

        /**
         * Adds a metadata entry, e.g. {@code cost-center=4711}.
         *
         * @param key   1 to 64 of {@code [A-Za-z0-9._-]}
         * @param value 1 to 512 printable characters
         * @return this builder
         * @throws IllegalArgumentException if either breaks its rule, or there would be more than 32 entries
         */
        public B metadata(String key, String value) {
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
            return mark(Attribute.METADATA);
        }

        /**
         * Adds metadata entries; an empty map sets the attribute (an update then clears the key's metadata).
         *
         * @param entries the entries, each checked as by {@link #metadata(String, String)}
         * @return this builder
         * @throws IllegalArgumentException if an entry breaks its rule
         */
        public B metadata(Map<String, String> entries) {
            Objects.requireNonNull(entries, "metadata").forEach(this::metadata);
            return mark(Attribute.METADATA);
        }

        /**
         * Restricts the key to callers from these address ranges ({@code ip_not_allowed} otherwise), in CIDR
         * notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}) or single addresses. At most 64 in all.
         *
         * @param cidrs CIDR ranges
         * @return this builder
         * @throws IllegalArgumentException if an entry is not an IP literal with a valid prefix
         */
        public B allowedAddresses(String... cidrs) {
            return allowedAddresses(Arrays.asList(Objects.requireNonNull(cidrs, "allowedAddresses")));
        }

        /**
         * Adds address ranges, as {@link #allowedAddresses(String...)}; an empty collection sets the attribute (an
         * update then lets the key be used from anywhere).
         *
         * @param cidrs CIDR ranges
         * @return this builder
         * @throws IllegalArgumentException if an entry is not an IP literal with a valid prefix, or there are more
         *                                  than 64
         */
        public B allowedAddresses(Collection<String> cidrs) {
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
            return mark(Attribute.ALLOWED_ADDRESSES);
        }

        /**
         * Restricts the key to callers from these countries ({@code country_not_allowed} otherwise), as ISO 3166-1
         * alpha-2 codes in any case ({@code DE}, {@code us}); the country of a request is what the host's resolver
         * says (a trusted proxy's header, a GeoIP database), and an unknown one is refused unless the host allows it.
         *
         * @param codes country codes
         * @return this builder
         * @throws IllegalArgumentException if a code is not an ISO 3166-1 alpha-2 code
         */
        public B allowedCountries(String... codes) {
            return allowedCountries(Arrays.asList(Objects.requireNonNull(codes, "allowedCountries")));
        }

        /**
         * Adds countries, as {@link #allowedCountries(String...)}; an empty collection sets the attribute (an update
         * then lets the key be used from anywhere).
         *
         * @param codes country codes
         * @return this builder
         * @throws IllegalArgumentException if a code is not an ISO 3166-1 alpha-2 code
         */
        public B allowedCountries(Collection<String> codes) {
            allowedCountries.addAll(Countries.checked("allowedCountries", codes));
            return mark(Attribute.ALLOWED_COUNTRIES);
        }

        /**
         * Adds an allowance: a rate limit or a quota of the key's own, e.g. {@code RateLimit.perSecond(10).named("burst")}
         * and {@code Quota.perDay(50_000)}. Names are unique per key; each call is counted against all of them (and
         * the tenant's), and the most constrained refuses.
         *
         * @param allowance the allowance
         * @return this builder
         * @throws IllegalArgumentException if its name is taken, or there would be more than allowed
         */
        public B allowance(Allowance allowance) {
            Objects.requireNonNull(allowance, "allowances must not contain null");
            for (Allowance a : allowances) {
                if (a.name().equals(allowance.name())) {
                    throw new IllegalArgumentException("allowances: two are named '" + a.name()
                            + "'; name one otherwise with named(...)");
                }
            }
            if (allowances.size() == MAX_ALLOWANCES) {
                throw new IllegalArgumentException("allowances may hold at most " + MAX_ALLOWANCES);
            }
            allowances.add(allowance);
            return mark(Attribute.ALLOWANCES);
        }

        /**
         * Adds allowances, as {@link #allowance}; an empty collection sets the attribute (an update then removes
         * the key's own allowances).
         *
         * @param allowances the allowances
         * @return this builder
         * @throws IllegalArgumentException if a name is taken, or there would be more than allowed
         */
        public B allowances(Collection<? extends Allowance> allowances) {
            Objects.requireNonNull(allowances, "allowances").forEach(this::allowance);
            return mark(Attribute.ALLOWANCES);
        }

        /**
         * The key's own rate limit, instead of its tenant's default or the configured one: an allowance.
         *
         * @param rateLimit the limit
         * @return this builder
         * @throws NullPointerException if rateLimit is null
         */
        public B rateLimit(RateLimit rateLimit) {
            return allowance(Objects.requireNonNull(rateLimit, "rateLimit"));
        }

        /**
         * The key's allowance of calls per calendar day or month (UTC), refused with {@code quota_exceeded} once
         * used up.
         *
         * @param quota the quota
         * @return this builder
         * @throws NullPointerException if quota is null
         */
        public B quota(Quota quota) {
            return allowance(Objects.requireNonNull(quota, "quota"));
        }

        /** {@return whether no attribute was set yet: an update built now would change nothing} */
        public final boolean isEmpty() {
            return touched.isEmpty();
        }

        /** {@return the scopes set so far, for the builders' own checks} */
        final Set<String> scopesSet() {
            return scopes;
        }

        /** {@return the spec of what is set so far; unset attributes empty} */
        final KeySpec snapshot() {
            return new KeySpec(this);
        }
    }

    /** Collects and checks a {@link KeySpec}. Not thread-safe. */
    public static final class Builder extends Setters<Builder> {

        private Builder() {
        }

        /**
         * @return the spec
         * @throws IllegalStateException if no scope was given
         */
        public KeySpec build() {
            if (scopesSet().isEmpty()) {
                throw new IllegalStateException("a key needs at least one scope");
            }
            return snapshot();
        }
    }
}
