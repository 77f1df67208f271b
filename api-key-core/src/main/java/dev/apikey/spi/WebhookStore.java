package dev.apikey.spi;

import dev.apikey.model.WebhookEndpoint;
import java.util.List;

/**
 * An optional capability of a {@link KeyStore}: it keeps the webhook endpoints tenants registered
 * ({@link WebhookEndpoint}), secrets included, for the {@code api-key-webhooks} module to deliver to. The module
 * finds it with {@code instanceof}; with a store without it, tenants cannot register endpoints and the host's own
 * endpoints still work.
 *
 * <p>Implementations must be thread-safe, and may throw {@link KeyStoreException} from every method. The contract they
 * pass is {@code dev.apikey.testkit.WebhookStoreContract}.
 */
public interface WebhookStore {

    /**
     * Stores a new endpoint.
     *
     * @param endpoint the endpoint, its id new
     * @throws DuplicateKeyException if its id exists; nothing is written then
     */
    void insertWebhook(WebhookEndpoint endpoint);

    /**
     * {@return a tenant's endpoints, oldest first}
     *
     * @param tenantId the tenant
     */
    List<WebhookEndpoint> findWebhooks(String tenantId);

    /**
     * Deletes one of a tenant's endpoints.
     *
     * @param tenantId  the tenant
     * @param webhookId the endpoint
     * @return whether the tenant had it
     */
    boolean deleteWebhook(String tenantId, String webhookId);

    /**
     * Disables one of a tenant's endpoints (it answered {@code 410 Gone}), for every instance reading this store,
     * unless it is disabled already.
     *
     * @param tenantId  the tenant
     * @param webhookId the endpoint
     * @param at        when
     * @param reason    why, as {@link WebhookEndpoint#disabledReason()} allows
     * @return whether this call disabled it: {@code false} if it was disabled already or is not the tenant's
     */
    boolean disableWebhook(String tenantId, String webhookId, java.time.Instant at, String reason);
}
