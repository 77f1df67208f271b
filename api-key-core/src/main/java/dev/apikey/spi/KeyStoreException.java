package dev.apikey.spi;

import dev.apikey.model.ApiKeyException;

/**
 * A {@link KeyStore} could not do what was asked because the store itself failed: unreachable, timed out,
 * out of connections. The verifier turns it into {@code store_unavailable} (503), never into a rejected key.
 */
public class KeyStoreException extends ApiKeyException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause   the underlying failure, may be {@code null}
     */
    public KeyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
