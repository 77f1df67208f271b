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
 * hygiene warnings {@code key.expiring}, {@code key.rotation_due}, {@code key.unused}, and the anomalies
 * {@code anomaly.<kind>} ({@code refusal_burst}, {@code volume_spike}, ...). A key is written as the admin
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

    /**
     * An anomaly as {@code anomaly.<kind>}, {@code data.anomaly} as the admin API writes it. Its webhook id is derived
     * from the anomaly's id (which holds dots, not allowed in a webhook id): the same on every instance, so a receiver
     * that sees it twice knows it is one anomaly.
     */
    static WebhookEvent of(dev.apikey.model.Anomaly anomaly) {
        ObjectNode body = KeyJson.mapper().createObjectNode();
        String type = "anomaly." + anomaly.kind().label();
        body.put("type", type);
        body.put("timestamp", anomaly.openedAt().toString());
        body.putObject("data").set("anomaly", dev.apikey.json.AnomalyJson.anomaly(anomaly));
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(anomaly.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String id = "msg_" + java.util.HexFormat.of().formatHex(digest, 0, 16);
            return new WebhookEvent(id, type, anomaly.tenantId(), KeyJson.mapper().writeValueAsString(body));
        } catch (JsonProcessingException | java.security.NoSuchAlgorithmException e) {
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
