package dev.apikey.forwarded;

import java.security.Principal;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The caller a gateway verified and forwarded to its upstream: the key id, the key's tenant and the key's scopes
 * (as the key was created with them, implied scopes not expanded). It is what {@link SignedCaller} signs and, on the
 * upstream, what a request whose signature checked is authenticated as ({@link ForwardedCallerFilter}).
 *
 * <p>Not an {@code ApiKeyPrincipal}: only a verify makes one of those, and the upstream does not verify keys; it
 * believes the gateway's signed word. {@link #getName()} is the key id, as {@code ApiKeyPrincipal}'s is.
 *
 * <p>Immutable and thread-safe.
 */
public final class ForwardedCaller implements Principal {

    private final String keyId;
    private final String tenantId;
    private final Set<String> scopes;

    private ForwardedCaller(String keyId, String tenantId, Set<String> scopes) {
        this.keyId = keyId;
        this.tenantId = tenantId;
        this.scopes = scopes;
    }

    /**
     * A caller, its values checked as {@link SignedCaller} would send them.
     *
     * @param keyId    the key id, 1 to 128 printable ASCII characters without spaces
     * @param tenantId the tenant, or {@code null} for a tenant-less key; if present, as the key id
     * @param scopes   the key's scopes, each as the key id; together at most 4096 characters
     * @return the caller
     * @throws IllegalArgumentException naming the value and the rule it breaks
     * @throws NullPointerException     if keyId or scopes is null
     */
    public static ForwardedCaller of(String keyId, String tenantId, Collection<String> scopes) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(scopes, "scopes");
        requireToken("keyId", keyId, 128);
        if (tenantId != null) {
            requireToken("tenantId", tenantId, 128);
        }
        TreeSet<String> sorted = new TreeSet<>();
        int length = 0;
        for (String scope : scopes) {
            requireToken("scope", Objects.requireNonNull(scope, "scope"), 128);
            length += scope.length() + 1;
            sorted.add(scope);
        }
        if (length > 4096) {
            throw new IllegalArgumentException("scopes must be at most 4096 characters together");
        }
        return new ForwardedCaller(keyId, tenantId, Collections.unmodifiableSet(sorted));
    }

    /** The key id. */
    @Override
    public String getName() {
        return keyId;
    }

    /** {@return the key id (public lookup id)} */
    public String keyId() {
        return keyId;
    }

    /** {@return the key's tenant; empty for a tenant-less key} */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** {@return the key's scopes, sorted; unmodifiable} */
    public Set<String> scopes() {
        return scopes;
    }

    /** The scopes as one header value: sorted, separated by one space; empty for none. */
    String scopesValue() {
        return String.join(" ", scopes);
    }

    static void requireToken(String name, String value, int max) {
        if (value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(name + " must be 1 to " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException(name + " must be printable ASCII without spaces");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForwardedCaller other && keyId.equals(other.keyId)
                && Objects.equals(tenantId, other.tenantId) && scopes.equals(other.scopes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, tenantId, scopes);
    }

    @Override
    public String toString() {
        return "ForwardedCaller[" + keyId + (tenantId == null ? "" : ", tenant=" + tenantId) + ", scopes=" + scopes
                + "]";
    }
}
