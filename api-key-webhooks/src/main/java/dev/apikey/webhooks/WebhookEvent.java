package dev.apikey.webhooks;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * One event as a webhook message: its id ({@code webhook-id}, the same on every attempt: receivers use it to handle
 * a message once), its type (e.g. {@code key.revoked}), the tenant it belongs to (whose registered endpoints receive
 * it, besides the host's), and the body, {@code {"type":..., "timestamp":..., "data":{...}}}, exactly as signed and
 * sent.
 *
 * @param id       {@code msg_} and 24 letters and digits
 * @param type     the event type, dot-separated
 * @param tenantId the key's tenant, or {@code null} for a key without one
 * @param body     the JSON body
 */
public record WebhookEvent(String id, String type, String tenantId, String body) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /**
     * Checks the components.
     *
     * @param id       the id
     * @param type     the type
     * @param tenantId the tenant or null
     * @param body     the body
     */
    public WebhookEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
        if (!id.matches("msg_[A-Za-z0-9]{1,60}")) {
            throw new IllegalArgumentException("id must be msg_ and letters and digits");
        }
    }

    /** {@return the tenant whose endpoints receive it, if the key has one} */
    public Optional<String> tenant() {
        return Optional.ofNullable(tenantId);
    }

    static String newId(String prefix, int length) {
        StringBuilder s = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return s.toString();
    }
}
