package dev.apikey.model;

import dev.apikey.internal.ScopeBits;
import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who a granted request is: the key that verified, with its tenant, name, scopes and expiry. Only a
 * successful verify creates one.
 *
 * <p>Immutable and thread-safe. {@link #getName()} is the key id; {@link #toString()} shows the hint,
 * never the secret. One instance lives in the verify cache per key, so it holds no more than it must.
 */
public final class ApiKeyPrincipal implements Principal {

    private final String keyId;
    private final String prefix;
    private final String tenantId;
    private final String name;
    private final Set<String> scopes;
    private final Instant expiresAt;
    private final Map<String, String> metadata;
    private final ScopeCatalog catalog;
    private final ScopeBits granted;
    /** The key's own scope bits before its tenant's plan took some away; {@link #granted} when it took none. */
    private final ScopeBits held;
    /**
     * A legacy key's rotate-by date, {@link #LEGACY_WITHOUT_DATE} for a legacy key without one, or {@code null} for a
     * key of our format: one field, not two, so that a principal stays 56 bytes (one is kept per cached key).
     */
    private final Instant legacyRotateBy;
    private static final Instant LEGACY_WITHOUT_DATE = Instant.MAX;

    ApiKeyPrincipal(String keyId, String prefix, String tenantId, String name, Set<String> scopes,
            Instant expiresAt, Map<String, String> metadata, ScopeCatalog catalog, ScopeBits granted) {
        this(keyId, prefix, tenantId, name, scopes, expiresAt, metadata, catalog, granted, granted);
    }

    ApiKeyPrincipal(String keyId, String prefix, String tenantId, String name, Set<String> scopes,
            Instant expiresAt, Map<String, String> metadata, ScopeCatalog catalog, ScopeBits granted, ScopeBits held) {
        this(keyId, prefix, tenantId, name, scopes, expiresAt, metadata, catalog, granted, held, false, null);
    }

    /** The same principal, of a legacy key. */
    ApiKeyPrincipal(ApiKeyPrincipal p, Instant rotateBy) {
        this(p.keyId, p.prefix, p.tenantId, p.name, p.scopes, p.expiresAt, p.metadata, p.catalog, p.granted, p.held,
                true, rotateBy);
    }

    private ApiKeyPrincipal(String keyId, String prefix, String tenantId, String name, Set<String> scopes,
            Instant expiresAt, Map<String, String> metadata, ScopeCatalog catalog, ScopeBits granted, ScopeBits held,
            boolean legacy, Instant rotateBy) {
        this.legacyRotateBy = !legacy ? null : rotateBy == null ? LEGACY_WITHOUT_DATE : rotateBy;
        this.held = held;
        this.keyId = keyId;
        this.prefix = prefix;
        this.tenantId = tenantId;
        this.name = name;
        this.scopes = scopes;
        this.expiresAt = expiresAt;
        this.metadata = metadata;
        this.catalog = catalog;
        this.granted = granted;
    }

    /** The key id (public lookup id). */
    @Override
    public String getName() {
        return keyId;
    }

    /** {@return the key id (public lookup id), e.g. {@code 3kTz9QbC}} */
    public String keyId() {
        return keyId;
    }

    /** {@return the loggable hint, {@code <prefix>_[<tenant>_]<key id>}; a new string on each call} */
    public String hint() {
        return KeyFormat.hint(prefix, tenantId, keyId);
    }

    /** {@return the key's tenant; empty for a tenant-less key} */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** {@return the key's name, e.g. {@code crm-sync-prod}} */
    public String name() {
        return name;
    }

    /**
     * {@return the scopes the key was created with (implied scopes not expanded), less those its tenant's plan does
     * not include, sorted; unmodifiable}
     */
    public Set<String> scopes() {
        return scopes;
    }

    /** {@return when the key expires; empty if it does not} */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** {@return the key's metadata; unmodifiable} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * {@return whether the key holds {@code scope}, directly or through a wildcard or super scope of the catalog}
     * {@code false} for a scope the catalog does not declare.
     *
     * @param scope a scope name
     */
    public boolean hasScope(String scope) {
        int bit = scope == null ? -1 : catalog.bitOf(scope);
        return bit >= 0 && granted.has(bit);
    }

    /**
     * {@return whether the key is a legacy key (one handed out before the host used this library)} Such a grant
     * carries a {@link #rotationNotice()}: the host should ask its holder to rotate it.
     */
    public boolean legacy() {
        return legacyRotateBy != null;
    }

    /**
     * {@return the notice a grant of a legacy key carries, e.g. {@code legacy key; rotate by 2031-01-01T00:00:00Z}}
     * Empty for a key of this library's format. The servlet filter and the Spring starter send it as the
     * {@code Api-Key-Notice} response header.
     */
    public Optional<String> rotationNotice() {
        if (legacyRotateBy == null) {
            return Optional.empty();
        }
        return Optional.of(legacyRotateBy == LEGACY_WITHOUT_DATE ? "legacy key; rotate it"
                : "legacy key; rotate by " + legacyRotateBy);
    }

    /** Whether the key holds {@code scope} but its tenant's plan does not include it, so it is not granted. */
    boolean heldOutsidePlan(String scope) {
        int bit = scope == null ? -1 : catalog.bitOf(scope);
        return bit >= 0 && held.has(bit) && !granted.has(bit);
    }

    @Override
    public String toString() {
        return "ApiKeyPrincipal[" + hint() + (legacyRotateBy != null ? ", legacy" : "") + ", name=" + name + ", scopes=" + scopes
                + "]";
    }
}
