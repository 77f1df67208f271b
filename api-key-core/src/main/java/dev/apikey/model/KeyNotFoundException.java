package dev.apikey.model;

/** A lifecycle operation named a key id that the store does not hold. */
public final class KeyNotFoundException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the id no key has */
    private final String keyId;

    /**
     * No key has this id.
     *
     * @param keyId the id
     */
    public KeyNotFoundException(String keyId) {
        super("no key with id " + keyId);
        this.keyId = keyId;
    }

    /** {@return the key id that was not found} */
    public String keyId() {
        return keyId;
    }
}
