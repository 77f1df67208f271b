package dev.apikey;

/** A lifecycle operation that needs an active key (rotate) was given a revoked or expired one. */
public final class KeyNotActiveException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    private final String keyId;
    private final ApiKeyInfo.Status status;

    KeyNotActiveException(String keyId, ApiKeyInfo.Status status) {
        super("key " + keyId + " is " + status.name().toLowerCase(java.util.Locale.ROOT) + "; only an active key can be rotated");
        this.keyId = keyId;
        this.status = status;
    }

    /** The key id. */
    public String keyId() {
        return keyId;
    }

    /** The key's status: revoked or expired. */
    public ApiKeyInfo.Status status() {
        return status;
    }
}
