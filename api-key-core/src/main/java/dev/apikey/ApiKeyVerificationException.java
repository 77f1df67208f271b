package dev.apikey;

/**
 * Thrown by {@link ApiKeys#verifyOrThrow} when a key is refused; carries the {@link Verification}.
 * The message is the failure's code and detail, nothing from the request.
 */
public final class ApiKeyVerificationException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    private final transient Verification verification;

    ApiKeyVerificationException(Verification verification) {
        super(verification.failure().orElseThrow().code() + ": " + verification.detail().orElse(""));
        this.verification = verification;
    }

    /** {@return the refused verification} */
    public Verification verification() {
        return verification;
    }

    /** {@return why the key was refused} */
    public Failure failure() {
        return verification.failure().orElseThrow();
    }
}
