package dev.apikey.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.model.KeyEvent;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The lines of {@code apikey export} (docs/MIGRATING.md, "Export format"): a header line naming the format, its
 * version, the hasher and the pepper's fingerprint (never the pepper), then one line per key with its attributes,
 * stored hash, state, lineage, external id (where it was imported with one) and history. Never a plaintext: the stored hash is what a store holds anyway.
 *
 * <p>Thread-safe; static methods only.
 */
public final class ExportJson {

    /** The header's {@code format}. */
    public static final String FORMAT = "apikey-export";
    /** The version this codec writes and reads. */
    public static final int VERSION = 1;
    /** The {@code kind} of a key line. */
    public static final String KEY = "key";

    private static final Set<String> KEY_MEMBERS = Set.of("kind", "key_id", "secret_hash", "created_at", "revoked_at",
            "disabled_at", "replaced_by", "last_used_at", "lineage_id", "external_id", "attributes", "events");

    private ExportJson() {
    }

    /**
     * The header line's content.
     *
     * @param version           the format version
     * @param hasher            the PHC algorithm the exporting side hashes new keys with
     * @param pepperFingerprint the fingerprint of the exporting side's pepper, or {@code null} for none
     */
    public record Header(int version, String hasher, String pepperFingerprint) {
    }

    /**
     * A key line read back.
     *
     * @param key    the key as the exporting store held it
     * @param events its history, oldest first (empty where the store kept none)
     */
    public record Moved(StoredKey key, List<KeyEvent> events) {
    }

    /**
     * {@return the header line}
     *
     * @param hasher            the PHC algorithm new keys are hashed with
     * @param pepperFingerprint the pepper's fingerprint, or {@code null}
     * @param at                when the export began
     */
    public static ObjectNode header(String hasher, String pepperFingerprint, Instant at) {
        return KeyJson.mapper().createObjectNode().put("format", FORMAT).put("format_version", VERSION)
                .put("hasher", hasher).put("pepper_fingerprint", pepperFingerprint).put("exported_at", at.toString());
    }

    /**
     * Reads a header line.
     *
     * @param n the line
     * @return the header
     * @throws JsonRefusal if it is not a header of a version this codec reads
     */
    public static Header readHeader(JsonNode n) {
        if (!n.isObject() || !FORMAT.equals(n.path("format").asText(null))) {
            throw JsonRefusal.invalid("format", "the first line must be the header of an apikey export: "
                    + "{\"format\": \"" + FORMAT + "\", ...}");
        }
        int version = n.path("format_version").asInt(-1);
        if (version != VERSION) {
            throw JsonRefusal.invalid("format_version", "format_version must be " + VERSION);
        }
        JsonNode pepper = n.get("pepper_fingerprint");
        return new Header(version, n.path("hasher").asText(null),
                pepper == null || pepper.isNull() ? null : pepper.asText());
    }

    /**
     * {@return a key line: attributes, stored hash, state, lineage and events}
     *
     * @param k      the key
     * @param events its history, oldest first
     */
    public static ObjectNode writeKey(StoredKey k, List<KeyEvent> events) {
        ObjectNode o = KeyJson.mapper().createObjectNode();
        o.put("kind", KEY);
        o.put("key_id", k.keyId());
        o.put("secret_hash", k.secretHash());
        o.put("created_at", k.createdAt().toString());
        o.put("revoked_at", text(k.revokedAt()));
        o.put("disabled_at", text(k.disabledAt()));
        o.put("replaced_by", k.replacedBy());
        o.put("last_used_at", text(k.lastUsedAt()));
        o.put("lineage_id", k.lineageId());
        if (k.externalId() != null) {
            o.put("external_id", k.externalId());
        }
        o.set("attributes", KeyJson.writeSpec(k.attributes()));
        ArrayNode list = o.putArray("events");
        events.forEach(e -> list.add(EventJson.write(e)));
        return o;
    }

    /**
     * {@return whether a line is a key line of an export}
     *
     * @param n the line
     */
    public static boolean isKeyLine(JsonNode n) {
        return n.isObject() && KEY.equals(n.path("kind").asText(null));
    }

    /**
     * Reads a key line.
     *
     * @param n the line
     * @return the key and its events
     * @throws JsonRefusal naming the member at fault
     */
    public static Moved readKey(JsonNode n) {
        for (var it = n.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!KEY_MEMBERS.contains(field)) {
                throw JsonRefusal.invalid(field, "a key line may not hold " + field);
            }
        }
        String keyId = required(n, "key_id");
        KeySpec spec = KeyJson.readSpec(n.path("attributes"));
        String externalId = optional(n, "external_id");
        if (externalId != null) {
            try {
                StoredKey.checkExternalId(externalId);
            } catch (IllegalArgumentException e) {
                throw JsonRefusal.invalid("external_id", e.getMessage());
            }
        }
        StoredKey key;
        try {
            key = StoredKey.builder(keyId).secretHash(required(n, "secret_hash")).attributes(spec)
                    .createdAt(KeyJson.instant("created_at", required(n, "created_at")))
                    .revokedAt(instant(n, "revoked_at")).disabledAt(instant(n, "disabled_at"))
                    .replacedBy(optional(n, "replaced_by")).lastUsedAt(instant(n, "last_used_at"))
                    .lineageId(optional(n, "lineage_id")).externalId(externalId).build();
        } catch (IllegalArgumentException e) {
            throw e instanceof JsonRefusal r ? r : JsonRefusal.invalid("key_id", e.getMessage());
        }
        List<KeyEvent> events = new ArrayList<>();
        JsonNode list = n.path("events");
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw JsonRefusal.invalid("events", "events must be an array of event objects");
            }
            for (JsonNode e : list) {
                events.add(readEvent(e));
            }
        }
        return new Moved(key, events);
    }

    /**
     * Reads an event as {@link EventJson#write} writes it.
     *
     * @param n the event object
     * @return the event
     * @throws JsonRefusal naming the member at fault
     */
    public static KeyEvent readEvent(JsonNode n) {
        if (!n.isObject()) {
            throw JsonRefusal.invalid("events", "each event must be an object");
        }
        KeyEvent.Type type;
        try {
            type = KeyEvent.Type.valueOf(required(n, "type").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw JsonRefusal.invalid("events.type", "events.type must be one of the event types of docs/JSON.md");
        }
        List<KeyEvent.Change> changes = new ArrayList<>();
        for (JsonNode c : n.path("changes")) {
            changes.add(new KeyEvent.Change(c.path("attribute").asText(), optional(c, "before"),
                    optional(c, "after")));
        }
        Map<String, String> details = new LinkedHashMap<>();
        n.path("details").fields().forEachRemaining(e -> details.put(e.getKey(), e.getValue().asText()));
        try {
            return new KeyEvent(required(n, "event_id"), required(n, "key_id"), optional(n, "lineage_id"),
                    optional(n, "tenant_id"), type, required(n, "actor"), KeyJson.instant("events.at",
                            required(n, "at")), changes, details);
        } catch (IllegalArgumentException e) {
            throw e instanceof JsonRefusal r ? r : JsonRefusal.invalid("events", "events: " + e.getMessage());
        }
    }

    private static String required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw JsonRefusal.invalid(field, field + " is required, a non-empty string");
        }
        return v.textValue();
    }

    private static String optional(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw JsonRefusal.invalid(field, field + " must be a string or null");
        }
        return v.textValue();
    }

    private static Instant instant(JsonNode n, String field) {
        String text = optional(n, field);
        return text == null ? null : KeyJson.instant(field, text);
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
