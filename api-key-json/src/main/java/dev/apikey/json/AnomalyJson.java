package dev.apikey.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.model.Anomaly;
import dev.apikey.model.UsageSubject;
import java.util.List;

/**
 * The one JSON shape of an anomaly (docs/JSON.md, "Anomalies"), written alike by the admin API
 * ({@code GET /anomalies}, {@code GET /keys/{id}/anomalies}) and by webhooks that deliver
 * {@link dev.apikey.spi.KeyEventListener#anomaly} events.
 *
 * <p>Thread-safe (stateless).
 */
public final class AnomalyJson {

    private AnomalyJson() {
    }

    /**
     * One anomaly.
     *
     * @param a the anomaly
     * @return {@code {"id", "kind", "key_id" (null for a tenant's), "tenant_id", "window_start", "window_end",
     *         "observed", "baseline", "detail", "opened_at", "closed_at", "open"}}
     */
    public static ObjectNode anomaly(Anomaly a) {
        ObjectNode out = KeyJson.mapper().createObjectNode();
        out.put("id", a.id());
        out.put("kind", a.kind().label());
        if (a.subject().kind() == UsageSubject.Kind.KEY) {
            out.put("key_id", a.subject().id());
        } else {
            out.putNull("key_id");
        }
        if (a.tenantId() == null) {
            out.putNull("tenant_id");
        } else {
            out.put("tenant_id", a.tenantId());
        }
        out.put("window_start", a.windowStart().toString());
        out.put("window_end", a.windowEnd().toString());
        out.put("observed", a.observed());
        out.put("baseline", a.baseline());
        if (a.detail() == null) {
            out.putNull("detail");
        } else {
            out.put("detail", a.detail());
        }
        out.put("opened_at", a.openedAt().toString());
        if (a.closedAt() == null) {
            out.putNull("closed_at");
        } else {
            out.put("closed_at", a.closedAt().toString());
        }
        out.put("open", a.isOpen());
        return out;
    }

    /**
     * A list of anomalies.
     *
     * @param anomalies the anomalies
     * @return {@code {"anomalies": [...]}}
     */
    public static ObjectNode list(List<Anomaly> anomalies) {
        ObjectNode out = KeyJson.mapper().createObjectNode();
        ArrayNode list = out.putArray("anomalies");
        anomalies.forEach(a -> list.add(anomaly(a)));
        return out;
    }
}
