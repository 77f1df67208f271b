package dev.apikey.model;

import dev.apikey.internal.ScopeBits;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Not API: the verify engine's door into this package, for what only the engine may make or read. A principal and
 * a granted {@link Verification} are made here and nowhere else, so host code cannot make a principal that no
 * verify granted; the engine also reads the allocation-free accessors of the hot path through it.
 *
 * <p>The engine lives in package {@code dev.apikey}, above this one; this package may not name it (the layers
 * have no cycle), so the engine asks for this door instead. {@link #forEngine()} opens it only to a class of
 * package {@code dev.apikey} loaded by this class's loader into this class's module, and throws
 * {@link IllegalCallerException} for anyone else. The engine's classes ask once, when they are initialised.
 */
public final class ModelAccess {

    private static final ModelAccess INSTANCE = new ModelAccess();
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private ModelAccess() {
    }

    /**
     * The door, for the engine only.
     *
     * @return the one instance
     * @throws IllegalCallerException when called from outside package {@code dev.apikey} of this library
     */
    public static ModelAccess forEngine() {
        Class<?> caller = WALKER.getCallerClass();
        if (!"dev.apikey".equals(caller.getPackageName())
                || caller.getClassLoader() != ModelAccess.class.getClassLoader()
                || caller.getModule() != ModelAccess.class.getModule()) {
            throw new IllegalCallerException("ModelAccess is the api-key engine's alone (package dev.apikey); "
                    + caller.getName() + " may not use it");
        }
        return INSTANCE;
    }

    /**
     * The principal of a granted key; made once per cached key.
     *
     * @param keyId     the key id
     * @param prefix    the key format's prefix
     * @param tenantId  the tenant, or {@code null}
     * @param name      the key's name
     * @param scopes    the key's scopes, interned
     * @param expiresAt the expiry, or {@code null}
     * @param metadata  the key's metadata
     * @param catalog   the scope catalog
     * @param granted   the scopes as bits of the catalog
     * @return the principal
     */
    public ApiKeyPrincipal principal(String keyId, String prefix, String tenantId, String name, Set<String> scopes,
            Instant expiresAt, Map<String, String> metadata, ScopeCatalog catalog, ScopeBits granted) {
        return new ApiKeyPrincipal(keyId, prefix, tenantId, name, scopes, expiresAt, metadata, catalog, granted);
    }

    /**
     * The principal of a key whose tenant's plan took some of its scopes away.
     *
     * @param keyId     the key id
     * @param prefix    the environment's prefix
     * @param tenantId  the tenant, or {@code null}
     * @param name      the key's name
     * @param scopes    the key's scopes the plan includes, interned
     * @param expiresAt the expiry, or {@code null}
     * @param metadata  the key's metadata
     * @param catalog   the scope catalog
     * @param granted   the scopes granted, as bits of the catalog
     * @param held      the key's own scopes before the plan, as bits of the catalog
     * @return the principal
     */
    public ApiKeyPrincipal principal(String keyId, String prefix, String tenantId, String name, Set<String> scopes,
            Instant expiresAt, Map<String, String> metadata, ScopeCatalog catalog, ScopeBits granted,
            ScopeBits held) {
        return new ApiKeyPrincipal(keyId, prefix, tenantId, name, scopes, expiresAt, metadata, catalog, granted,
                held);
    }

    /**
     * The grant of a principal.
     *
     * @param principal the principal
     * @return the granted verification
     */
    public Verification granted(ApiKeyPrincipal principal) {
        return Verification.granted(principal);
    }

    /**
     * A refusal with the failure's own detail.
     *
     * @param failure the failure
     * @param check   the check that refused
     * @return the refusal
     */
    public Verification failed(Failure failure, Check check) {
        return Verification.failed(failure, check);
    }

    /**
     * A refusal that says when to try again.
     *
     * @param failure    the failure
     * @param check      the check that refused
     * @param retryAfter when to try again
     * @return the refusal
     */
    public Verification retryLater(Failure failure, Check check, Duration retryAfter) {
        return Verification.retryLater(failure, check, retryAfter);
    }

    /**
     * The refusal of a used-up rate limit.
     *
     * @param limit      the rate limit
     * @param tenants    whether it is the tenant's, shared by its keys
     * @param retryAfter when to try again
     * @return the refusal
     */
    public Verification rateLimited(RateLimit limit, boolean tenants, Duration retryAfter) {
        return Verification.rateLimited(limit, tenants, retryAfter);
    }

    /**
     * The refusal of a used-up quota.
     *
     * @param quota      the quota
     * @param tenants    whether it is the tenant's, shared by its keys
     * @param resetAt    when its count starts again
     * @param retryAfter when to try again
     * @return the refusal
     */
    public Verification quotaExceeded(Quota quota, boolean tenants, Instant resetAt, Duration retryAfter) {
        return Verification.quotaExceeded(quota, tenants, resetAt, retryAfter);
    }

    /**
     * The principal of a verification, without an {@code Optional}.
     *
     * @param verification the verification
     * @return its principal, or {@code null}
     */
    public ApiKeyPrincipal principalOrNull(Verification verification) {
        return verification.principalOrNull();
    }

    /**
     * The failure of a verification, without an {@code Optional}.
     *
     * @param verification the verification
     * @return its failure, or {@code null}
     */
    public Failure failureOrNull(Verification verification) {
        return verification.failureOrNull();
    }

    /**
     * The failure's position among all failures, for arrays indexed by failure.
     *
     * @param failure the failure
     * @return its index
     */
    public int index(Failure failure) {
        return failure.index();
    }

    /**
     * The request's scope, without an {@code Optional}.
     *
     * @param request the request
     * @return its scope, or {@code null}
     */
    public String scopeOrNull(VerifyRequest request) {
        return request.scopeOrNull();
    }

    /**
     * The request's tenant, without an {@code Optional}.
     *
     * @param request the request
     * @return its tenant, or {@code null}
     */
    public String tenantIdOrNull(VerifyRequest request) {
        return request.tenantIdOrNull();
    }

    /**
     * The request's remote address, without an {@code Optional}.
     *
     * @param request the request
     * @return its remote address, or {@code null}
     */
    public String remoteAddressOrNull(VerifyRequest request) {
        return request.remoteAddressOrNull();
    }

    /**
     * The request's country resolver, without an {@code Optional}.
     *
     * @param request the request, or {@code null} (the two-argument verify)
     * @return its resolver, or {@code null}
     */
    public java.util.function.Supplier<String> countrySourceOrNull(VerifyRequest request) {
        return request == null ? null : request.countryOrNull();
    }

    /**
     * The scope's bit in the catalog.
     *
     * @param catalog the catalog
     * @param scope   the scope
     * @return its bit, or -1 when the catalog does not declare it
     */
    public int bitOf(ScopeCatalog catalog, String scope) {
        return catalog.bitOf(scope);
    }

    /**
     * The scopes as bits of the catalog, implications applied.
     *
     * @param catalog the catalog
     * @param scopes  the scopes
     * @return the bits
     */
    public ScopeBits compile(ScopeCatalog catalog, Collection<String> scopes) {
        return catalog.compile(scopes);
    }

    /**
     * A view of a key as of now.
     *
     * @param keyId          the key id
     * @param attributes     its attributes
     * @param createdAt      when it was created
     * @param revokedAt      when it was revoked, or {@code null}
     * @param disabledAt     when it was disabled, or {@code null}
     * @param replacedBy     its successor, or {@code null}
     * @param version        its version
     * @param hint           its hint
     * @param lastUsedAt     when it was last used, or {@code null}
     * @param status         where it stands
     * @param quotaRemaining the calls left in its quota, or -1
     * @return the view
     */
    public ApiKeyInfo info(String keyId, KeySpec attributes, Instant createdAt, Instant revokedAt, Instant disabledAt,
            String replacedBy, long version, String hint, Instant lastUsedAt, ApiKeyInfo.Status status,
            long quotaRemaining) {
        return info(keyId, attributes, createdAt, revokedAt, disabledAt, replacedBy, version, hint, lastUsedAt, status,
                quotaRemaining, false);
    }

    /**
     * A key's view, marked legacy or not.
     *
     * @param keyId          the key id
     * @param attributes     its attributes
     * @param createdAt      when it was created
     * @param revokedAt      when it was revoked, or {@code null}
     * @param disabledAt     when it was disabled, or {@code null}
     * @param replacedBy     its successor, or {@code null}
     * @param version        its version
     * @param hint           its hint
     * @param lastUsedAt     when it was last used, or {@code null}
     * @param status         where it stands
     * @param quotaRemaining the calls left in its quota, or -1
     * @param legacy         whether it is a legacy key ({@link ApiKeyInfo#legacy()})
     * @return the view
     */
    public ApiKeyInfo info(String keyId, KeySpec attributes, Instant createdAt, Instant revokedAt, Instant disabledAt,
            String replacedBy, long version, String hint, Instant lastUsedAt, ApiKeyInfo.Status status,
            long quotaRemaining, boolean legacy) {
        return new ApiKeyInfo(keyId, attributes, createdAt, revokedAt, disabledAt, replacedBy, version, hint,
                lastUsedAt, status, quotaRemaining, legacy);
    }
}
