package dev.apikey.model;

/**
 * A lifecycle operation was given a key whose status does not allow it: a revoked or expired key cannot be
 * edited, disabled or enabled, and only an active key can be rotated (a disabled one is enabled first).
 */
public final class KeyNotActiveException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the key id */
    private final String keyId;
    /** @serial revoked, expired or disabled */
    private final ApiKeyInfo.Status status;

    /**
     * A change that only an active key allows, asked of one that is not.
     *
     * @param keyId  the key
     * @param status where it stands: revoked, expired or disabled
     * @param action what was asked, for the message
     */
    public KeyNotActiveException(String keyId, ApiKeyInfo.Status status, String action) {
        super("key " + keyId + " is " + status.name().toLowerCase(java.util.Locale.ROOT) + "; only an active key can be "
                + action + (status == ApiKeyInfo.Status.DISABLED ? ": enable it first" : ""));
        this.keyId = keyId;
        this.status = status;
    }

    /** {@return the key id} */
    public String keyId() {
        return keyId;
    }

    /** {@return the key's status: revoked, expired or disabled} */
    public ApiKeyInfo.Status status() {
        return status;
    }
}
