package dev.apikey.model;


/**
 * Thrown by {@link dev.apikey.ApiKeys#verifyOrThrow} when a key is refused; carries the {@link Verification}.
 * The message is the failure's code and detail, nothing from the request.
 */
public final class ApiKeyVerificationException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    private final transient Verification verification;

    /**
     * The refusal of a verify, as an exception.
     *
     * @param verification the refused verification
     */
    public ApiKeyVerificationException(Verification verification) {
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
