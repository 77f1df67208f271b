package dev.apikey.spi;

import dev.apikey.model.ApiKeyException;

/**
 * A {@link KeyStore#write} found a key at another version than the write expected (another caller changed it since
 * it was read), or no key at all: nothing of the write is stored. The core reads the key again and decides anew, or
 * reports the conflict; a lost race is never overwritten.
 */
public class VersionConflictException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the id of the key that changed */
    private final String keyId;
    /** @serial the version the write expected */
    private final long expectedVersion;

    /**
     * @param keyId           the key that changed meanwhile, or is gone
     * @param expectedVersion the version the write expected
     */
    public VersionConflictException(String keyId, long expectedVersion) {
        super("key " + keyId + " changed since it was read (expected version " + expectedVersion + ")");
        this.keyId = keyId;
        this.expectedVersion = expectedVersion;
    }

    /** {@return the id of the key that changed} */
    public String keyId() {
        return keyId;
    }

    /** {@return the version the write expected} */
    public long expectedVersion() {
        return expectedVersion;
    }
}
