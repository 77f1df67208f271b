package dev.apikey.webhooks;

/**
 * A webhook URL a tenant asked for was refused: not https, malformed, or its host resolves to an address that is not
 * public. The message names the field ({@code url}) and the rule, never a secret.
 */
public final class WebhookUrlException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * A refusal.
     *
     * @param message the field and the rule broken
     */
    public WebhookUrlException(String message) {
        super(message);
    }

    /** {@return the field refused: {@code url}} */
    public String field() {
        return "url";
    }
}
