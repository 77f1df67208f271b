package dev.apikey.model;

/**
 * A change named the version of the key it was based on, and the key is at another one now: someone else changed it
 * meanwhile. Nothing was written; read the key again and decide anew.
 */
public final class StaleVersionException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the key id */
    private final String keyId;
    /** @serial the version the change was based on */
    private final long expected;
    /** @serial the key's version now */
    private final long actual;

    /**
     * A change based on an old version.
     *
     * @param keyId    the key
     * @param expected the version the change was based on
     * @param actual   the key's version now
     */
    public StaleVersionException(String keyId, long expected, long actual) {
        super("key " + keyId + " is at version " + actual + ", not " + expected
                + ": it changed meanwhile; read it again");
        this.keyId = keyId;
        this.expected = expected;
        this.actual = actual;
    }

    /** {@return the key id} */
    public String keyId() {
        return keyId;
    }

    /** {@return the version the change was based on} */
    public long expected() {
        return expected;
    }

    /** {@return the key's version now} */
    public long actual() {
        return actual;
    }
}
