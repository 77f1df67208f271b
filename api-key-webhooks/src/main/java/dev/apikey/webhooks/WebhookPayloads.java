package dev.apikey.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.json.KeyJson;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeyNotice;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Turns key events into webhook messages (docs/WEBHOOKS.md, "Events"): {@code key.created}, {@code key.rotated},
 * {@code key.updated}, {@code key.disabled}, {@code key.enabled}, {@code key.revoked}, {@code key.leaked}, and the
 * hygiene warnings {@code key.expiring}, {@code key.rotation_due}, {@code key.unused}. A key is written as the admin
 * API writes it ({@link KeyJson#write}): never its secret or hash.
 *
 * <p>Package-private; stateless.
 */
final class WebhookPayloads {

    private WebhookPayloads() {
    }

    static WebhookEvent of(String type, ApiKeyInfo key, Instant at, Consumer<ObjectNode> more) {
        ObjectNode body = KeyJson.mapper().createObjectNode();
        body.put("type", type);
        body.put("timestamp", at.toString());
        ObjectNode data = body.putObject("data");
        data.set("key", KeyJson.write(key));
        more.accept(data);
        try {
            return new WebhookEvent(WebhookEvent.newId("msg_", 24), type, key.attributes().tenantId().orElse(null),
                    KeyJson.mapper().writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a webhook body", e);
        }
    }

    static String noticeType(KeyNotice.Kind kind) {
        return switch (kind) {
            case EXPIRES -> "key.expiring";
            case ROTATE_BY -> "key.rotation_due";
            case UNUSED -> "key.unused";
        };
    }
}
