package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.model.WebhookEndpoint;
import dev.apikey.webhooks.TenantWebhooks;
import dev.apikey.webhooks.WebhookUrlException;
import java.util.Iterator;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's webhook endpoints (issue 27 §3): {@code GET /tenants/{id}/webhooks} (a tenant's endpoints, without
 * their secrets), {@code POST /tenants/{id}/webhooks} ({@code {"url": "https://..."}}: registered if https and public
 * after resolution, answered 201 with the new signing secret, shown this once) and {@code DELETE
 * /tenants/{id}/webhooks/{webhookId}} (204), by a caller that manages the tenant. A URL refused is 422 naming the field
 * {@code url}; a tenant the caller does not manage, or a host without {@link AdminApi.Builder#webhooks}, is 404.
 *
 * <p>Package-private; made per request by {@link AdminApi}.
 */
final class WebhookEndpoints {

    private static final Logger AUDIT = LoggerFactory.getLogger("dev.apikey.admin.audit");

    /** An answer: its status and body ({@code null} for 204). */
    record Answer(int status, JsonNode body) {
    }

    private final TenantWebhooks webhooks;

    WebhookEndpoints(TenantWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    Answer handle(String method, Caller caller, String tenantId, String webhookId, Supplier<JsonNode> body) {
        if (webhooks == null || !tenantId.matches("[A-Za-z0-9-]{1,36}") || !caller.mayManage(tenantId)) {
            throw new AdminProblem(404, "not_found", "Not found", webhooks == null
                    ? "this host has not enabled tenant webhooks" : "no tenant this caller manages at this path");
        }
        if (webhookId != null) {
            AdminApi.allow(method, "DELETE");
            if (!webhookId.matches("wh_[A-Za-z0-9]{16,32}") || !webhooks.delete(tenantId, webhookId)) {
                throw new AdminProblem(404, "not_found", "Not found", "the tenant has no such webhook endpoint");
            }
            AUDIT.info("event=admin_webhook_delete actor=\"{}\" tenant={} webhook={}", caller.actor(), tenantId,
                    webhookId);
            return new Answer(204, null);
        }
        if (AdminApi.allow(method, "GET", "POST").equals("GET")) {
            ObjectNode out = AdminJson.MAPPER.createObjectNode();
            ArrayNode list = out.putArray("webhooks");
            webhooks.list(tenantId).forEach(w -> list.add(write(w)));
            return new Answer(200, out);
        }
        WebhookEndpoint created;
        try {
            created = webhooks.register(tenantId, url(body.get()));
        } catch (WebhookUrlException e) {
            throw AdminProblem.invalid(e.field(), e.getMessage());
        } catch (IllegalStateException e) {
            throw new AdminProblem(409, "webhook_limit_reached", "Webhook limit reached", e.getMessage());
        }
        AUDIT.info("event=admin_webhook_create actor=\"{}\" tenant={} webhook={}", caller.actor(), tenantId,
                created.webhookId());
        // The secret is in this answer only: it signs every delivery, and the receiver needs it to verify.
        return new Answer(201, write(created).put("secret", created.secret()));
    }

    private static String url(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw AdminProblem.invalid("url", "url is required: send {\"url\": \"https://...\"}");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!field.equals("url")) {
                throw AdminProblem.invalid("unknown field '" + (field.length() > 40 ? field.substring(0, 40) + "..."
                        : field) + "'; this endpoint takes url");
            }
        }
        JsonNode url = body.get("url");
        if (url == null || !url.isTextual()) {
            throw AdminProblem.invalid("url", "url is required: an https URL as a string");
        }
        return url.asText();
    }

    private static ObjectNode write(WebhookEndpoint w) {
        ObjectNode o = AdminJson.MAPPER.createObjectNode();
        o.put("webhook_id", w.webhookId());
        o.put("tenant_id", w.tenantId());
        o.put("url", w.url());
        o.put("created_at", w.createdAt().toString());
        // Disabled for answering 410 Gone: every instance stops delivering until the URL is registered again.
        if (w.isDisabled()) {
            o.put("disabled_at", w.disabledAt().toString());
            o.put("disabled_reason", w.disabledReason());
        } else {
            o.putNull("disabled_at");
            o.putNull("disabled_reason");
        }
        return o;
    }
}
