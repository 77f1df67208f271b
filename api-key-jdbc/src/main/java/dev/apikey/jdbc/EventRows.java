package dev.apikey.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.json.KeyJson;
import dev.apikey.model.KeyEvent;
import dev.apikey.spi.EventFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQL of a key's history, table {@code <table>_events}: an insert per event (in the caller's transaction), the
 * newest-first page a filter selects in one statement (read from the by-key or by-tenant-and-time index), and a
 * bounded delete of old events. An event's changes and details are one JSON text column.
 */
final class EventRows {

    private static final ObjectMapper JSON = KeyJson.mapper();
    private static final String COLUMNS = "event_id, key_id, lineage_id, tenant_id, event_type, actor, at_utc, details";

    private final String events;

    EventRows(String keyTable) {
        this.events = keyTable + "_events";
    }

    /** {@return the insert of events, one row each} */
    String insertSql() {
        return "INSERT INTO " + events + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /** Binds and batches each event into the prepared insert. */
    static void bindEvents(PreparedStatement ps, List<KeyEvent> list) throws SQLException {
        for (KeyEvent e : list) {
            ps.setString(1, e.eventId());
            ps.setString(2, e.keyId());
            ps.setString(3, e.lineageId());
            ps.setString(4, e.tenantId());
            ps.setString(5, e.type().name());
            ps.setString(6, e.actor());
            KeyRows.setInstant(ps, 7, e.at());
            ps.setString(8, details(e));
            ps.addBatch();
        }
    }

    /** The page query and its parameters, in order. */
    record Page(String sql, List<Object> parameters) {
    }

    /** {@return the newest-first page of at most {@code limit} events the filter selects} */
    Page page(EventFilter f, int limit) {
        StringBuilder where = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        if (f.keyId() != null) {
            and(where, "key_id = ?");
            parameters.add(f.keyId());
        }
        if (f.tenantIds() != null) {
            if (f.tenantIds().isEmpty()) {
                and(where, "1 = 0");
            } else {
                and(where, "tenant_id IN (" + String.join(", ", f.tenantIds().stream().map(t -> "?").toList()) + ")");
                parameters.addAll(new java.util.TreeSet<>(f.tenantIds()));
            }
        }
        if (f.from() != null) {
            and(where, "at_utc >= ?");
            parameters.add(f.from());
        }
        if (f.to() != null) {
            and(where, "at_utc < ?");
            parameters.add(f.to());
        }
        if (f.beforeAt() != null) {
            and(where, "(at_utc < ? OR (at_utc = ? AND event_id < ?))");
            parameters.add(f.beforeAt());
            parameters.add(f.beforeAt());
            parameters.add(f.beforeId());
        }
        parameters.add(limit);
        return new Page("SELECT " + COLUMNS + " FROM " + events + where
                + " ORDER BY at_utc DESC, event_id DESC LIMIT ?", parameters);
    }

    private static void and(StringBuilder where, String condition) {
        where.append(where.length() == 0 ? " WHERE " : " AND ").append(condition);
    }

    /** {@return the delete of at most {@code ?} events before {@code ?}, oldest first} */
    String purgeSql() {
        return "DELETE FROM " + events + " WHERE event_id IN (SELECT event_id FROM " + events
                + " WHERE at_utc < ? ORDER BY at_utc LIMIT ?)";
    }

    /** Binds a page's parameters: strings, instants and the limit. */
    static void bindPage(PreparedStatement ps, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object p = parameters.get(i);
            if (p instanceof Instant at) {
                KeyRows.setInstant(ps, i + 1, at);
            } else if (p instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) p);
            }
        }
    }

    /** {@return every row of the result as an event} */
    static List<KeyEvent> read(ResultSet rs) throws SQLException {
        List<KeyEvent> out = new ArrayList<>();
        while (rs.next()) {
            JsonNode body;
            try {
                body = JSON.readTree(rs.getString("details"));
            } catch (JsonProcessingException e) {
                // The state only: the parser's message may quote the column.
                throw new SQLException("unreadable details of event " + rs.getString("event_id"), "22000");
            }
            List<KeyEvent.Change> changes = new ArrayList<>();
            for (JsonNode c : body.path("changes")) {
                changes.add(new KeyEvent.Change(c.path("attribute").asText(), text(c, "before"), text(c, "after")));
            }
            Map<String, String> details = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = body.path("details").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> d = it.next();
                details.put(d.getKey(), d.getValue().asText());
            }
            out.add(new KeyEvent(rs.getString("event_id"), rs.getString("key_id"), rs.getString("lineage_id"),
                    rs.getString("tenant_id"), KeyEvent.Type.valueOf(rs.getString("event_type")),
                    rs.getString("actor"), rs.getObject("at_utc", OffsetDateTime.class).toInstant(), changes,
                    details));
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String details(KeyEvent e) {
        ObjectNode body = JSON.createObjectNode();
        if (!e.changes().isEmpty()) {
            ArrayNode changes = body.putArray("changes");
            for (KeyEvent.Change c : e.changes()) {
                changes.addObject().put("attribute", c.attribute()).put("before", c.before()).put("after", c.after());
            }
        }
        ObjectNode details = body.putObject("details");
        e.details().forEach(details::put);
        return body.toString();
    }
}
