package dev.apikey.spi;

import dev.apikey.model.ApiKeyException;

/**
 * A {@link Meter}'s backend failed: unreachable, timed out, out of connections. The verifier answers by its
 * fail-open or fail-closed rule ({@code rate_limit_unavailable} or {@code quota_unavailable}), never by refusing the
 * key. The message names the backend and the failure, never a subject's secret (subjects hold no secret).
 */
public final class MeterException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause   the underlying failure, may be {@code null}
     */
    public MeterException(String message, Throwable cause) {
        super(message, cause);
    }
}
