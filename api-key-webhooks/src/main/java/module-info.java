/**
 * api-key webhooks: key events as Standard Webhooks ({@code dev.apikey.webhooks.WebhookChannel}), signed with
 * HMAC-SHA256, delivered off the request thread to the host's endpoints and to endpoints tenants register
 * ({@code TenantWebhooks}), the latter only over https to public addresses.
 */
module dev.apikey.webhooks {
    requires transitive dev.apikey.core;
    requires transitive java.net.http;
    requires dev.apikey.json;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.apikey.webhooks;
}
