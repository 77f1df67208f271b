package dev.apikey.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.model.KeyEvent;
import java.util.List;

/**
 * The JSON of a key's history (docs/JSON.md, "Key events"): one {@link KeyEvent} as an object, and a page of them,
 * as the admin API's {@code /keys/{id}/events} and {@code /events} answer and {@code apikey history --json} prints.
 * Every value is a JSON string or null: a client renders them as text.
 */
public final class EventJson {

    private EventJson() {
    }

    /**
     * {@return the event as a JSON object: event_id, key_id, lineage_id, tenant_id, type, actor, at, changes (each
     * attribute, before, after) and details}
     *
     * @param e the event
     */
    public static ObjectNode write(KeyEvent e) {
        ObjectNode out = KeyJson.mapper().createObjectNode();
        out.put("event_id", e.eventId());
        out.put("key_id", e.keyId());
        out.put("lineage_id", e.lineageId());
        out.put("tenant_id", e.tenantId());
        out.put("type", e.type().jsonName());
        out.put("actor", e.actor());
        out.put("at", e.at().toString());
        ArrayNode changes = out.putArray("changes");
        for (KeyEvent.Change c : e.changes()) {
            changes.addObject().put("attribute", c.attribute()).put("before", c.before()).put("after", c.after());
        }
        ObjectNode details = out.putObject("details");
        e.details().forEach(details::put);
        return out;
    }

    /**
     * {@return a page of events: {@code {"events": [...], "next_cursor": ...}}}
     *
     * @param events     the events, newest first
     * @param nextCursor the cursor of the next page, or {@code null} for the last
     */
    public static ObjectNode writePage(List<KeyEvent> events, String nextCursor) {
        ObjectNode out = KeyJson.mapper().createObjectNode();
        ArrayNode list = out.putArray("events");
        events.forEach(e -> list.add(write(e)));
        out.put("next_cursor", nextCursor);
        return out;
    }
}
