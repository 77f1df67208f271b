package dev.apikey.model;

import java.time.Instant;

/**
 * A caller that is an API key with an expiry asked for a key that would outlive it: created or edited to expire later
 * (or never), or rotated into a replacement that does. Otherwise a short-lived management key could mint keys that
 * last for ever. Nothing was written.
 */
public final class ExpiryBeyondCallerException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /** @serial the latest expiry the caller may give */
    private final Instant notAfter;

    /**
     * An expiry past the caller's own.
     *
     * @param asked    the expiry asked for (or the key's, for a rotation), or {@code null} for never
     * @param notAfter the caller's own expiry
     */
    public ExpiryBeyondCallerException(Instant asked, Instant notAfter) {
        super("expires_at " + (asked == null ? "never" : asked.toString()) + " is after " + notAfter
                + ", when the calling key itself expires: a key's keys expire no later than it does");
        this.notAfter = notAfter;
    }

    /** {@return the latest expiry the caller may give} */
    public Instant notAfter() {
        return notAfter;
    }
}
