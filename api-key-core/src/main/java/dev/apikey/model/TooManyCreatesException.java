package dev.apikey.model;

import java.time.Duration;

/**
 * A manager created keys faster than its creates per minute allow; counted by the host's meter, so across every
 * instance that shares it. Nothing was created.
 */
public final class TooManyCreatesException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial when a create fits again */
    private final Duration retryAfter;

    /**
     * A create over the rate.
     *
     * @param perMinute  the allowed creates per minute
     * @param retryAfter when a create fits again
     */
    public TooManyCreatesException(int perMinute, Duration retryAfter) {
        super("this caller may create " + perMinute + " keys a minute; try again in " + Math.max(1,
                retryAfter.toSeconds()) + " s");
        this.retryAfter = retryAfter;
    }

    /** {@return when a create fits again} */
    public Duration retryAfter() {
        return retryAfter;
    }
}
