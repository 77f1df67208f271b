package dev.apikey.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A patch of a key's attributes, for {@link dev.apikey.ApiKeys#update(String, KeyUpdate)}: each attribute is either left as it
 * is (not set here), set to a new value, or cleared ({@code expiresAt(null)}, {@code owner(null)}, an empty
 * collection). The setters are those of {@link KeySpec}, with the same checks; a collection set here replaces the
 * key's whole collection. The secret, tenant and id never change: that is a rotation.
 *
 * <pre>{@code
 * apiKeys.update(keyId, KeyUpdate.builder().name("crm-sync-prod").scopes("events:read").neverExpires().build());
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #toString()} names the attributes it changes.
 */
public final class KeyUpdate {

    private final KeySpec values;
    private final Set<KeySpec.Attribute> changes;
    private final Builder patch;

    private KeyUpdate(Builder b) {
        // The builder is copied into a private one, so that later calls on the caller's builder change nothing here.
        this.patch = new Builder();
        this.values = b.snapshot();
        this.patch.copy(values, b.touched);
        this.changes = Collections.unmodifiableSet(EnumSet.copyOf(b.touched));
    }

    /** {@return a builder that changes nothing yet} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the attributes this update sets or clears} */
    public Set<KeySpec.Attribute> changes() {
        return changes;
    }

    /**
     * {@return the values this update sets: meaningful for the attributes of {@link #changes()} only (others are
     * empty)}
     */
    public KeySpec values() {
        return values;
    }

    /**
     * {@return the attributes with this update applied}
     *
     * @param attributes the key's attributes before
     */
    public KeySpec applyTo(KeySpec attributes) {
        return Objects.requireNonNull(attributes, "attributes").patchedBy(patch);
    }

    @Override
    public String toString() {
        return "KeyUpdate" + names(changes);
    }

    private static String names(Set<KeySpec.Attribute> attributes) {
        return attributes.stream().map(KeySpec.Attribute::javaName).toList().toString();
    }

    /** Collects and checks a {@link KeyUpdate}; each setter checks its argument at once. Not thread-safe. */
    public static final class Builder extends KeySpec.Setters<Builder> {

        private Builder() {
        }

        /**
         * @return the update
         * @throws IllegalStateException    if it changes nothing
         * @throws IllegalArgumentException if it sets the tenant (part of the key's text) or empties the scopes
         */
        public KeyUpdate build() {
            if (touched.isEmpty()) {
                throw new IllegalStateException("an update must change at least one of "
                        + names(EnumSet.complementOf(EnumSet.of(KeySpec.Attribute.TENANT_ID))));
            }
            if (touched.contains(KeySpec.Attribute.TENANT_ID)) {
                throw new IllegalArgumentException("tenantId cannot change: it is part of the key; create a key for "
                        + "the other tenant instead");
            }
            if (touched.contains(KeySpec.Attribute.SCOPES) && scopesSet().isEmpty()) {
                throw new IllegalArgumentException("scopes must hold at least one scope");
            }
            return new KeyUpdate(this);
        }
    }
}
