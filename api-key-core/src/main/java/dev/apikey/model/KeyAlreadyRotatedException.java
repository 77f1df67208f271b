package dev.apikey.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A rotation was asked of a key that a rotation replaced already. The key keeps working until the end of its
 * overlap; rotate its replacement ({@link #replacedBy()}), the newest key of the chain, instead.
 */
public final class KeyAlreadyRotatedException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the key asked to rotate */
    private final String keyId;
    /** @serial its replacement */
    private final String replacedBy;
    /** @serial the end of its overlap */
    private final Instant worksUntil;

    /**
     * A second rotation of a key a rotation already replaced.
     *
     * @param keyId      the key asked to rotate
     * @param replacedBy the key that replaced it
     * @param worksUntil the end of its overlap
     */
    public KeyAlreadyRotatedException(String keyId, String replacedBy, Instant worksUntil) {
        super("key " + keyId + " was rotated already: " + replacedBy + " replaced it and it works until "
                + worksUntil + "; rotate " + replacedBy + " instead");
        this.keyId = Objects.requireNonNull(keyId);
        this.replacedBy = Objects.requireNonNull(replacedBy);
        this.worksUntil = worksUntil;
    }

    /** {@return the key that was asked to rotate} */
    public String keyId() {
        return keyId;
    }

    /** {@return the id of the key that replaced it} */
    public String replacedBy() {
        return replacedBy;
    }

    /** {@return when the replaced key stops working (the end of its overlap)} */
    public Instant worksUntil() {
        return worksUntil;
    }
}
