package dev.apikey.spi;

import java.util.Objects;

/**
 * One record of an atomic {@link KeyStore#write}: a key to insert (its id not in the store yet), or a key to put in
 * place of the stored one if the stored one is still at {@code expectedVersion}.
 *
 * @param key             the key as it is to be stored
 * @param expectedVersion the version the stored key must have for a replace; {@value #INSERT} for an insert
 */
public record KeyWrite(StoredKey key, long expectedVersion) {

    /** The expected version of an insert: no key with this id may exist. */
    public static final long INSERT = 0;

    /**
     * @param key             the key as it is to be stored
     * @param expectedVersion the stored key's version for a replace, {@value #INSERT} for an insert
     * @throws NullPointerException     if key is null
     * @throws IllegalArgumentException if expectedVersion is negative, or an insert's key is not at version 1
     */
    public KeyWrite {
        Objects.requireNonNull(key, "key");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion must be 0 (insert) or more, was " + expectedVersion);
        }
        if (expectedVersion == INSERT && key.version() != 1) {
            throw new IllegalArgumentException("an inserted key starts at version 1, was " + key.version());
        }
    }

    /**
     * {@return an insert of a new key}
     *
     * @param key the key, at version 1, its id not in the store
     */
    public static KeyWrite insert(StoredKey key) {
        return new KeyWrite(key, INSERT);
    }

    /**
     * {@return a replace of the stored key, if it is still at {@code expectedVersion}}
     *
     * @param key             the key as it is to be stored
     * @param expectedVersion the version read before the change, 1 or more
     * @throws IllegalArgumentException if expectedVersion is below 1
     */
    public static KeyWrite replace(StoredKey key, long expectedVersion) {
        if (expectedVersion < 1) {
            throw new IllegalArgumentException("expectedVersion of a replace must be 1 or more, was " + expectedVersion);
        }
        return new KeyWrite(key, expectedVersion);
    }

    /** {@return whether this is an insert} */
    public boolean isInsert() {
        return expectedVersion == INSERT;
    }

    /** {@return whether this write changes the key's state or attributes (not only its hash): a change to announce} */
    public boolean changesVersion() {
        return key.version() != expectedVersion;
    }
}
