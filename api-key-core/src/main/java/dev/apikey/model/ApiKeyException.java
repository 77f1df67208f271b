package dev.apikey.model;

/**
 * The root of every exception this library throws on purpose. Argument validation failures are the
 * standard {@link IllegalArgumentException} and {@link NullPointerException}; everything else is one of
 * these.
 *
 * <p>Messages never contain a key's secret or stored hash.
 */
public class ApiKeyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming what was affected
     */
    public ApiKeyException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming what was affected
     * @param cause   the underlying failure
     */
    public ApiKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
