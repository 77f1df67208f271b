package dev.apikey;

import dev.apikey.internal.CidrSet;
import dev.apikey.internal.Instants;
import dev.apikey.internal.Printable;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What an edit of a key changes, for {@link ApiKeys#update(String, KeyUpdate)}: its name, scopes, expiry,
 * address allow list or own rate limit. Fields left unset keep their value. The secret, tenant and id never
 * change: that is a rotation.
 *
 * <pre>{@code
 * apiKeys.update(keyId, KeyUpdate.builder().name("crm-sync-prod").scopes("events:read").build());
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #toString()} names the fields it changes.
 */
public final class KeyUpdate {

    private final String name;
    private final Set<String> scopes;
    private final boolean expiryChanged;
    private final Instant expiresAt;
    private final List<String> allowedAddresses;
    private final boolean rateLimitChanged;
    private final RateLimit rateLimit;
    private final boolean quotaChanged;
    private final Quota quota;

    private KeyUpdate(Builder b) {
        this.name = b.name;
        this.scopes = b.scopes == null ? null : Set.copyOf(b.scopes);
        this.expiryChanged = b.expiryChanged;
        this.expiresAt = b.expiresAt;
        this.allowedAddresses = b.allowedAddresses == null ? null : List.copyOf(b.allowedAddresses);
        this.rateLimitChanged = b.rateLimitChanged;
        this.rateLimit = b.rateLimit;
        this.quotaChanged = b.quotaChanged;
        this.quota = b.quota;
    }

    /** {@return a builder that changes nothing yet} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the scopes the key is to hold instead of its own, or {@code null} to keep them} */
    Set<String> scopesOrNull() {
        return scopes;
    }

    /** {@return whether the expiry changes} */
    boolean changesExpiry() {
        return expiryChanged;
    }

    /** {@return the new expiry, {@code null} for never; meaningful when {@link #changesExpiry()}} */
    Instant expiresAtOrNull() {
        return expiresAt;
    }

    /** {@return the key with this update applied} */
    StoredKey applyTo(StoredKey key) {
        StoredKey.Builder b = key.toBuilder();
        if (name != null) {
            b.name(name);
        }
        if (scopes != null) {
            b.scopes(scopes);
        }
        if (expiryChanged) {
            b.expiresAt(expiresAt);
        }
        if (allowedAddresses != null) {
            b.allowedAddresses(allowedAddresses);
        }
        if (rateLimitChanged) {
            b.rateLimit(rateLimit);
        }
        if (quotaChanged) {
            b.quota(quota);
        }
        return b.build();
    }

    @Override
    public String toString() {
        StringJoiner changed = new StringJoiner(", ", "KeyUpdate[", "]");
        if (name != null) {
            changed.add("name");
        }
        if (scopes != null) {
            changed.add("scopes");
        }
        if (expiryChanged) {
            changed.add("expiresAt");
        }
        if (allowedAddresses != null) {
            changed.add("allowedAddresses");
        }
        if (rateLimitChanged) {
            changed.add("rateLimit");
        }
        if (quotaChanged) {
            changed.add("quota");
        }
        return changed.toString();
    }

    /** Collects and checks a {@link KeyUpdate}; each setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private String name;
        private Set<String> scopes;
        private boolean expiryChanged;
        private Instant expiresAt;
        private List<String> allowedAddresses;
        private boolean rateLimitChanged;
        private RateLimit rateLimit;
        private boolean quotaChanged;
        private Quota quota;

        private Builder() {
        }

        /**
         * A new allowance of calls per day or month; the calls counted so far in the period stay counted.
         *
         * @param quota the quota
         * @return this builder
         * @throws NullPointerException if quota is null
         */
        public Builder quota(Quota quota) {
            this.quota = Objects.requireNonNull(quota, "quota");
            this.quotaChanged = true;
            return this;
        }

        /**
         * Removes the key's quota.
         *
         * @return this builder
         */
        public Builder noQuota() {
            this.quota = null;
            this.quotaChanged = true;
            return this;
        }

        /**
         * A new name.
         *
         * @param name 1 to 100 printable characters
         * @return this builder
         * @throws IllegalArgumentException if the name breaks that rule
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            String problem = Printable.problem(name, KeySpec.MAX_NAME_LENGTH);
            if (problem != null) {
                throw new IllegalArgumentException("name " + problem);
            }
            this.name = name;
            return this;
        }

        /**
         * The scopes the key holds from now on, instead of its own; checked against the catalog when applied.
         *
         * @param scopes at least one scope name
         * @return this builder
         * @throws IllegalArgumentException if there is none
         */
        public Builder scopes(String... scopes) {
            return scopes(Arrays.asList(Objects.requireNonNull(scopes, "scopes")));
        }

        /**
         * The scopes the key holds from now on, instead of its own; checked against the catalog when applied.
         *
         * @param scopes at least one scope name
         * @return this builder
         * @throws IllegalArgumentException if there is none
         */
        public Builder scopes(Collection<String> scopes) {
            Set<String> set = new LinkedHashSet<>();
            for (String scope : Objects.requireNonNull(scopes, "scopes")) {
                set.add(Objects.requireNonNull(scope, "scopes must not contain null"));
            }
            if (set.isEmpty()) {
                throw new IllegalArgumentException("scopes must hold at least one scope");
            }
            this.scopes = set;
            return this;
        }

        /**
         * A new expiry; checked against the clock when applied (it must lie in the future).
         *
         * @param expiresAt the new expiry
         * @return this builder
         */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = Instants.requireInRange("expiresAt", expiresAt);
            this.expiryChanged = true;
            return this;
        }

        /**
         * The key no longer expires.
         *
         * @return this builder
         */
        public Builder neverExpires() {
            this.expiresAt = null;
            this.expiryChanged = true;
            return this;
        }

        /**
         * The address ranges the key may be used from instead of its own, in CIDR notation; none means anywhere.
         * At most 64.
         *
         * @param cidrs CIDR ranges or single addresses
         * @return this builder
         * @throws IllegalArgumentException if an entry is not an IP literal with a valid prefix, or there are more
         *                                  than 64
         */
        public Builder allowedAddresses(Collection<String> cidrs) {
            List<String> list = new ArrayList<>();
            for (String cidr : Objects.requireNonNull(cidrs, "allowedAddresses")) {
                String problem = CidrSet.problem(cidr);
                if (problem != null) {
                    throw new IllegalArgumentException("allowedAddresses: " + problem);
                }
                list.add(cidr);
            }
            if (list.size() > KeySpec.MAX_ALLOWED_ADDRESSES) {
                throw new IllegalArgumentException("allowedAddresses may hold at most "
                        + KeySpec.MAX_ALLOWED_ADDRESSES + " ranges, was " + list.size());
            }
            this.allowedAddresses = list;
            return this;
        }

        /**
         * The key's own rate limit from now on.
         *
         * @param rateLimit the limit
         * @return this builder
         */
        public Builder rateLimit(RateLimit rateLimit) {
            this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
            this.rateLimitChanged = true;
            return this;
        }

        /**
         * The key drops its own rate limit and follows its tenant's or the configured default.
         *
         * @return this builder
         */
        public Builder noOwnRateLimit() {
            this.rateLimit = null;
            this.rateLimitChanged = true;
            return this;
        }

        /**
         * @return the update
         * @throws IllegalStateException if it changes nothing
         */
        public KeyUpdate build() {
            if (name == null && scopes == null && !expiryChanged && allowedAddresses == null && !rateLimitChanged
                    && !quotaChanged) {
                throw new IllegalStateException("an update must change at least one of name, scopes, expiresAt, "
                        + "allowedAddresses, rateLimit, quota");
            }
            return new KeyUpdate(this);
        }
    }
}
