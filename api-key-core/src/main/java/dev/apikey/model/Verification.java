package dev.apikey.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one verify: either granted, with the {@link ApiKeyPrincipal}, or a {@link Failure} with the
 * {@link Check} that refused, a detail and, for transient failures, how long to wait.
 *
 * <p>Immutable and thread-safe; instances may be shared between calls. Only the verifier creates them.
 */
public final class Verification {

    private final ApiKeyPrincipal principal;
    private final Failure failure;
    private final Check failedCheck;
    private final String detail;
    private final String missingScope;
    private final Duration retryAfter;
    /** For rate_limited and quota_exceeded: the allowance that refused. */
    private final Allowance allowance;

    private Verification(ApiKeyPrincipal principal, Failure failure, Check failedCheck, String detail,
            String missingScope, Duration retryAfter, Allowance allowance) {
        this.principal = principal;
        this.failure = failure;
        this.failedCheck = failedCheck;
        this.detail = detail;
        this.missingScope = missingScope;
        this.retryAfter = retryAfter;
        this.allowance = allowance;
    }

    static Verification granted(ApiKeyPrincipal principal) {
        return new Verification(Objects.requireNonNull(principal), null, null, null, null, null, null);
    }

    /**
     * The refusal of a granted key whose tenant does not own the resource, for an authorization layer that checks
     * tenants itself: the same failure and detail as {@code verify} gives.
     *
     * @return a refused verification with {@code tenant_mismatch}
     */
    public static Verification tenantMismatch() {
        return TENANT_MISMATCH;
    }

    private static final Verification TENANT_MISMATCH = failed(Failure.TENANT_MISMATCH, Check.TENANT);

    static Verification failed(Failure failure, Check check) {
        return new Verification(null, failure, check, failure.detail(), null, null, null);
    }

    static Verification retryLater(Failure failure, Check check, Duration retryAfter) {
        return new Verification(null, failure, check, failure.detail(), null, retryAfter, null);
    }

    /**
     * A rate limit refused: the detail names it and whose it is (the key's own, or its tenant's, shared by every key
     * of the tenant).
     */
    static Verification rateLimited(RateLimit limit, boolean tenants, Duration retryAfter) {
        return new Verification(null, Failure.RATE_LIMITED, Check.RATE_LIMIT, (tenants ? "The tenant's" : "This key's")
                + " rate limit '" + limit.name() + "' (" + limit.requests() + " per " + limit.period().toSeconds()
                + " s" + (tenants ? ", shared by its keys" : "") + ") is used up for now.", null, retryAfter, limit);
    }

    /** A quota refused: the detail names it, whose it is, and when the count starts again. */
    static Verification quotaExceeded(Quota quota, boolean tenants, Instant resetAt, Duration retryAfter) {
        return new Verification(null, Failure.QUOTA_EXCEEDED, Check.QUOTA, (tenants ? "The tenant has" : "This key has")
                + " used its quota '" + quota.name() + "' of " + quota.calls() + " calls a "
                + quota.period().name().toLowerCase(java.util.Locale.ROOT) + (tenants ? ", shared by its keys" : "")
                + "; the count starts again at " + resetAt + ".", null, retryAfter, quota);
    }

    /**
     * The refusal of a granted key that lacks a scope, for an authorization layer that checks scopes itself
     * (Spring Security's {@code hasAuthority}): the same failure, detail and missing scope as {@code verify} gives.
     *
     * @param scope the scope the operation requires
     * @return a refused verification with {@code insufficient_scope}
     */
    public static Verification insufficientScope(String scope) {
        Objects.requireNonNull(scope, "scope");
        return new Verification(null, Failure.INSUFFICIENT_SCOPE, Check.SCOPE,
                "The key lacks the scope '" + scope + "' that this operation requires.", scope, null, null);
    }

    /**
     * The refusal of a granted key that lacks a scope, for an authorization layer that checks scopes itself: {@code
     * scope_not_in_plan} if the key holds the scope but its tenant's plan does not include it, else {@code
     * insufficient_scope}, as {@code verify} gives.
     *
     * @param key   the granted key
     * @param scope the scope the operation requires
     * @return a refused verification
     */
    public static Verification scopeRefusal(ApiKeyPrincipal key, String scope) {
        Objects.requireNonNull(key, "key");
        return key.heldOutsidePlan(scope) ? SCOPE_NOT_IN_PLAN : insufficientScope(scope);
    }

    private static final Verification SCOPE_NOT_IN_PLAN = failed(Failure.SCOPE_NOT_IN_PLAN, Check.PLAN);

    /** The principal, or {@code null}: for the verifier, which must not allocate. */
    ApiKeyPrincipal principalOrNull() {
        return principal;
    }

    /** The failure, or {@code null}: for the verifier, which must not allocate. */
    Failure failureOrNull() {
        return failure;
    }

    /** {@return whether access is granted} */
    public boolean isGranted() {
        return principal != null;
    }

    /** {@return the verified key's principal; empty unless granted} */
    public Optional<ApiKeyPrincipal> principal() {
        return Optional.ofNullable(principal);
    }

    /** {@return why access was refused; empty when granted} */
    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * {@return the check that refused the key; empty when granted} For operators and {@code apikey diagnose}: it tells
     * an unknown key id ({@link Check#KEY_EXISTS}) from a wrong secret ({@link Check#SECRET}), which the
     * failure deliberately does not, so do not send it to clients.
     */
    public Optional<Check> failedCheck() {
        return Optional.ofNullable(failedCheck);
    }

    /**
     * The failure's detail for the key's holder, naming the missing scope where there is one; empty when
     * granted. Contains nothing from the request but a scope name the host itself declared.
     *
     * @return the detail, or empty when granted
     */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    /** {@return for {@code insufficient_scope}: the scope that was required and is missing} */
    public Optional<String> missingScope() {
        return Optional.ofNullable(missingScope);
    }

    /** {@return for transient failures: how long the client should wait before retrying} */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** {@return for {@code rate_limited}: the limit that refused, e.g. for a {@code RateLimit-Policy} header} */
    public Optional<RateLimit> rateLimit() {
        return allowance instanceof RateLimit r ? Optional.of(r) : Optional.empty();
    }

    /**
     * {@return for {@code rate_limited} and {@code quota_exceeded}: the allowance that refused, the most constrained
     * of those the call was counted against}
     */
    public Optional<Allowance> allowance() {
        return Optional.ofNullable(allowance);
    }

    /**
     * The refusal of a verify an adapter could not start because its own workers are all busy (the bounded scheduler
     * and queue of the Spring Boot starter's WebFlux path): {@code overloaded}, retry after a second, as the verifier
     * answers when its secret checks are saturated. The key was not judged.
     *
     * @return a refused verification with {@code overloaded}
     */
    public static Verification overloaded() {
        return OVERLOADED;
    }

    private static final Verification OVERLOADED = retryLater(Failure.OVERLOADED, Check.SECRET,
            java.time.Duration.ofSeconds(1));

    @Override
    public String toString() {
        return principal != null ? "Verification[granted " + principal.hint() + "]"
                : "Verification[" + failure.code() + " at " + failedCheck + "]";
    }
}
