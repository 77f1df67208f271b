package dev.apikey.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A webhook endpoint a tenant registered: the URL that receives the tenant's key events, signed with the
 * endpoint's own secret (Standard Webhooks, {@code whsec_} and base64). Kept by a store that is a
 * {@link dev.apikey.spi.WebhookStore}; checked and delivered by the {@code api-key-webhooks} module.
 *
 * <p>Immutable. {@link #toString()} leaves the secret out.
 *
 * @param webhookId the endpoint's id, {@code wh_} and 16 to 32 of {@code [A-Za-z0-9]}
 * @param tenantId  the tenant whose events it receives, 1 to 36 of {@code [A-Za-z0-9-]}
 * @param url       the https URL, at most {@value #MAX_URL_LENGTH} characters
 * @param secret    the signing secret, {@code whsec_} and base64 (the store keeps it: it signs every delivery)
 * @param createdAt when it was registered
 * @param disabledAt when deliveries to it stopped (it answered {@code 410 Gone}), or {@code null} while it receives
 *                   them; registering the URL again replaces it with an enabled endpoint
 * @param disabledReason why, at most {@value #MAX_REASON_LENGTH} printable characters, or {@code null} while enabled
 */
public record WebhookEndpoint(String webhookId, String tenantId, String url, String secret, Instant createdAt,
        Instant disabledAt, String disabledReason) {

    /** Longest reason a disabled endpoint keeps. */
    public static final int MAX_REASON_LENGTH = 200;

    /** Longest URL an endpoint may have. */
    public static final int MAX_URL_LENGTH = 2048;

    /**
     * Checks every component.
     *
     * @param webhookId the id
     * @param tenantId  the tenant
     * @param url       the URL
     * @param secret    the secret
     * @param createdAt when
     * @param disabledAt when it was disabled, or {@code null}
     * @param disabledReason why, or {@code null}; set exactly when {@code disabledAt} is
     * @throws IllegalArgumentException if one breaks its rule (the message never holds the secret)
     */
    public WebhookEndpoint {
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!webhookId.matches("wh_[A-Za-z0-9]{16,32}")) {
            throw new IllegalArgumentException("webhookId must be wh_ and 16 to 32 of [A-Za-z0-9]");
        }
        if (!tenantId.matches("[A-Za-z0-9-]{1,36}")) {
            throw new IllegalArgumentException("tenantId must be 1 to 36 of [A-Za-z0-9-]");
        }
        if (url.isEmpty() || url.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("url must be 1 to " + MAX_URL_LENGTH + " characters");
        }
        if (!secret.matches("whsec_[A-Za-z0-9+/]{32,88}={0,2}")) {
            throw new IllegalArgumentException("secret must be whsec_ and base64");
        }
        if ((disabledAt == null) != (disabledReason == null)) {
            throw new IllegalArgumentException("disabledAt and disabledReason must be set together");
        }
        if (disabledReason != null && (disabledReason.isEmpty() || disabledReason.length() > MAX_REASON_LENGTH
                || !disabledReason.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("disabledReason must be 1 to " + MAX_REASON_LENGTH
                    + " printable ASCII characters");
        }
    }

    /**
     * An enabled endpoint.
     *
     * @param webhookId the id
     * @param tenantId  the tenant
     * @param url       the URL
     * @param secret    the secret
     * @param createdAt when
     * @throws IllegalArgumentException if one breaks its rule (the message never holds the secret)
     */
    public WebhookEndpoint(String webhookId, String tenantId, String url, String secret, Instant createdAt) {
        this(webhookId, tenantId, url, secret, createdAt, null, null);
    }

    /** {@return whether deliveries to it stopped} */
    public boolean isDisabled() {
        return disabledAt != null;
    }

    /**
     * {@return this endpoint, disabled}
     *
     * @param at     when
     * @param reason why, e.g. {@code answered 410 Gone}
     */
    public WebhookEndpoint disabled(Instant at, String reason) {
        return new WebhookEndpoint(webhookId, tenantId, url, secret, createdAt, Objects.requireNonNull(at, "at"),
                Objects.requireNonNull(reason, "reason"));
    }

    /** {@return the endpoint without its secret} */
    @Override
    public String toString() {
        return "WebhookEndpoint[webhookId=" + webhookId + ", tenantId=" + tenantId + ", url=" + url + ", createdAt="
                + createdAt + (disabledAt == null ? "" : ", disabledAt=" + disabledAt + ", disabledReason="
                + disabledReason) + "]";
    }
}
