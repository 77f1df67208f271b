package dev.apikey.model;

/**
 * A change of a key lost the race to other changes of the same key too many times in a row: nothing of it was
 * written. Try again; the key as it is now decides.
 */
public final class KeyChangedException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the key id */
    private final String keyId;

    /**
     * A change that kept losing races to other changes of the same key.
     *
     * @param keyId  the key
     * @param action what was asked, for the message ({@code "revoke"}, {@code "edit"}, ...)
     */
    public KeyChangedException(String keyId, String action) {
        super("key " + keyId + " kept changing while it was being " + action + "; nothing was written, try again");
        this.keyId = keyId;
    }

    /** {@return the key id} */
    public String keyId() {
        return keyId;
    }
}
