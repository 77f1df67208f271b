package dev.apikey.model;

/**
 * A caller that is an API key asked to edit or enable that very key: no caller raises its own key (its scopes, its
 * allowances, its expiry, its address list). It may still rotate, disable and revoke it. Nothing was written.
 */
public final class OwnKeyException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the key id */
    private final String keyId;

    /**
     * A caller's own key.
     *
     * @param keyId  the key
     * @param action what was asked ({@code "edited"}, {@code "enabled"})
     */
    public OwnKeyException(String keyId, String action) {
        super("key " + keyId + " is the caller's own key and is not " + action + " by itself; another manager may");
        this.keyId = keyId;
    }

    /** {@return the key id} */
    public String keyId() {
        return keyId;
    }
}
