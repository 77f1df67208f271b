package dev.apikey;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one verify: either granted, with the {@link ApiKeyPrincipal}, or a {@link Failure} with a
 * detail and, for transient failures, how long to wait.
 *
 * <p>Immutable and thread-safe; instances may be shared between calls. Only the verifier creates them.
 */
public final class Verification {

    private static final Duration NO_WAIT = null;

    private final Optional<ApiKeyPrincipal> principal;
    private final Optional<Failure> failure;
    private final String detail;
    private final String missingScope;
    private final Duration retryAfter;
    private final RateLimit rateLimit;

    private Verification(ApiKeyPrincipal principal, Failure failure, String detail, String missingScope,
            Duration retryAfter) {
        this(principal, failure, detail, missingScope, retryAfter, null);
    }

    private Verification(ApiKeyPrincipal principal, Failure failure, String detail, String missingScope,
            Duration retryAfter, RateLimit rateLimit) {
        this.principal = Optional.ofNullable(principal);
        this.failure = Optional.ofNullable(failure);
        this.detail = detail;
        this.missingScope = missingScope;
        this.retryAfter = retryAfter;
        this.rateLimit = rateLimit;
    }

    static Verification granted(ApiKeyPrincipal principal) {
        return new Verification(Objects.requireNonNull(principal), null, null, null, NO_WAIT);
    }

    static Verification failed(Failure failure) {
        return new Verification(null, failure, failure.detail(), null, NO_WAIT);
    }

    static Verification retryLater(Failure failure, Duration retryAfter) {
        return new Verification(null, failure, failure.detail(), null, retryAfter);
    }

    static Verification rateLimited(RateLimit limit, Duration retryAfter) {
        return new Verification(null, Failure.RATE_LIMITED, Failure.RATE_LIMITED.detail(), null, retryAfter, limit);
    }

    static Verification insufficientScope(String scope) {
        return new Verification(null, Failure.INSUFFICIENT_SCOPE,
                "The key lacks the scope '" + scope + "' that this operation requires.", scope, NO_WAIT);
    }

    /** Whether access is granted. */
    public boolean isGranted() {
        return principal.isPresent();
    }

    /** The verified key's principal; empty unless granted. */
    public Optional<ApiKeyPrincipal> principal() {
        return principal;
    }

    /** Why access was refused; empty when granted. */
    public Optional<Failure> failure() {
        return failure;
    }

    /**
     * The failure's detail for the key's holder, naming the missing scope where there is one; empty when
     * granted. Contains nothing from the request but a scope name the host itself declared.
     */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    /** For {@code insufficient_scope}: the scope that was required and is missing. */
    public Optional<String> missingScope() {
        return Optional.ofNullable(missingScope);
    }

    /** For transient failures: how long the client should wait before retrying. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** For {@code rate_limited}: the limit the key exceeded, e.g. for a {@code RateLimit-Policy} header. */
    public Optional<RateLimit> rateLimit() {
        return Optional.ofNullable(rateLimit);
    }

    @Override
    public String toString() {
        return principal.map(p -> "Verification[granted " + p.hint() + "]")
                .orElseGet(() -> "Verification[" + failure.get().code() + "]");
    }
}
