package dev.apikey.spi;

import dev.apikey.model.ApiKeyException;

/**
 * {@link KeyStore#insert} was given a key id that the store already holds. The lifecycle retries with a
 * freshly generated id.
 */
public class DuplicateKeyException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the id that exists */
    private final String keyId;

    /**
     * @param keyId the key id that exists already
     */
    public DuplicateKeyException(String keyId) {
        super("a key with id " + keyId + " exists already");
        this.keyId = keyId;
    }

    /** {@return the key id that exists already} */
    public String keyId() {
        return keyId;
    }
}
