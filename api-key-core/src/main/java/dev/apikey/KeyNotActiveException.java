package dev.apikey;

/** A lifecycle operation that needs an active key (rotate, update) was given a revoked or expired one. */
public final class KeyNotActiveException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the key id */
    private final String keyId;
    /** @serial revoked or expired */
    private final ApiKeyInfo.Status status;

    KeyNotActiveException(String keyId, ApiKeyInfo.Status status, String action) {
        super("key " + keyId + " is " + status.name().toLowerCase(java.util.Locale.ROOT) + "; only an active key can be "
                + action);
        this.keyId = keyId;
        this.status = status;
    }

    /** {@return the key id} */
    public String keyId() {
        return keyId;
    }

    /** {@return the key's status: revoked or expired} */
    public ApiKeyInfo.Status status() {
        return status;
    }
}
