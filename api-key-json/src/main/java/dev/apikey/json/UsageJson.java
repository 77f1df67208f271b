package dev.apikey.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsagePoint;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON shape of verify counts (docs/JSON.md, "Usage"), written alike by the admin API
 * ({@code GET /keys/{id}/usage}, {@code GET /usage}) and {@code apikey usage --json}: a series with its totals by
 * outcome, the refusal rate and one point per bucket, and top lists of keys.
 *
 * <p>Thread-safe (stateless).
 */
public final class UsageJson {

    private UsageJson() {
    }

    /**
     * A series and its totals.
     *
     * @param subject whose counts
     * @param from    the first bucket's start
     * @param to      the end, exclusive
     * @param grain   the bucket size
     * @param points  one point per bucket, as {@link dev.apikey.Usage#series} returns them
     * @return {@code {"series": "key"|"tenant"|"unknown", "key_id"|"tenant_id", "from", "to", "bucket", "calls",
     *         "granted", "refused", "refusal_rate", "outcomes": {...}, "points": [...]}}
     */
    public static ObjectNode series(UsageSubject subject, Instant from, Instant to, UsageGrain grain,
            List<UsagePoint> points) {
        ObjectNode out = KeyJson.mapper().createObjectNode();
        out.put("series", subject.kind().name().toLowerCase(Locale.ROOT));
        if (subject.kind() == UsageSubject.Kind.KEY) {
            out.put("key_id", subject.id());
        } else if (subject.kind() == UsageSubject.Kind.TENANT) {
            out.put("tenant_id", subject.id());
        }
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("bucket", grain.label());
        Map<String, Long> totals = new TreeMap<>();
        long calls = 0;
        long granted = 0;
        for (UsagePoint p : points) {
            p.outcomes().forEach((outcome, n) -> totals.merge(outcome, n, Long::sum));
            calls += p.total();
            granted += p.granted();
        }
        out.put("calls", calls);
        out.put("granted", granted);
        out.put("refused", calls - granted);
        out.put("refusal_rate", calls == 0 ? 0.0 : Math.round((calls - granted) * 10_000.0 / calls) / 10_000.0);
        ObjectNode outcomes = out.putObject("outcomes");
        totals.forEach(outcomes::put);
        ArrayNode list = out.putArray("points");
        for (UsagePoint p : points) {
            ObjectNode point = list.addObject();
            point.put("start", p.start().toString());
            point.put("calls", p.total());
            point.put("granted", p.granted());
            point.put("refused", p.refused());
            ObjectNode byOutcome = point.putObject("outcomes");
            new TreeMap<>(p.outcomes()).forEach(byOutcome::put);
            point.put("networks", p.networks());
        }
        return out;
    }

    /**
     * A top list.
     *
     * @param top the keys, as {@link dev.apikey.Usage#top} returns them
     * @return {@code [{"key_id", "tenant_id", "calls", "granted", "refused"}, ...]}
     */
    public static ArrayNode top(List<UsageTotal> top) {
        ArrayNode list = KeyJson.mapper().createArrayNode();
        for (UsageTotal t : top) {
            ObjectNode key = list.addObject();
            key.put("key_id", t.keyId());
            if (t.tenantId() == null) {
                key.putNull("tenant_id");
            } else {
                key.put("tenant_id", t.tenantId());
            }
            key.put("calls", t.calls());
            key.put("granted", t.granted());
            key.put("refused", t.refused());
        }
        return list;
    }
}
