package dev.apikey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.apikey.json.KeyJson;
import dev.apikey.model.ApiKeyInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** How commands print keys: aligned text for people, JSON with {@code --json} for scripts. */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** {@return the key object of docs/JSON.md, as the codec writes it, as maps and lists} */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fields(ApiKeyInfo k) {
        return KeyJson.mapper().convertValue(KeyJson.write(k), java.util.LinkedHashMap.class);
    }

    static void text(PrintWriter out, ApiKeyInfo k) {
        Map<String, Object> fields = fields(k);
        // Written as the options take them (600/min, 10000/day), not as JSON's maps.
        k.attributes().rateLimit().ifPresent(limit -> fields.put("rate_limit", Flags.rateLimit(limit)));
        k.attributes().quota().ifPresent(quota -> fields.put("quota", quota.toString()));
        fields.put("allowances", String.join(", ", k.attributes().allowances().stream().map(Object::toString).toList()));
        // Said only of a legacy key (issue 29), which should be rotated to our format.
        if (k.legacy()) {
            fields.put("legacy", "yes: a key of a declared legacy format; rotate it to issue one of ours");
        } else {
            fields.remove("legacy");
        }
        fields.forEach((name, value) -> {
            if (value != null && !(value instanceof Map<?, ?> m && m.isEmpty())
                    && !(value instanceof List<?> l && l.isEmpty()) && !"".equals(value)) {
                out.printf("  %-14s %s%n", name, value);
            }
        });
    }

    private static final String LINE = "%-8s  %-8s  %-24s  %-8s  %-24s  %s%n";

    static void header(PrintWriter out) {
        out.printf(LINE, "KEY ID", "TENANT", "NAME", "STATUS", "EXPIRES", "SCOPES");
    }

    private static final String DUE_LINE = "%-8s  %-8s  %-24s  %-24s  %-9s  %s%n";

    static void dueHeader(PrintWriter out) {
        out.printf(DUE_LINE, "KEY ID", "TENANT", "NAME", "OWNER", "DUE", "AT");
    }

    /** One line per date that is set: the expiry and the rotate-by date, so an owner sees both. */
    static void dueLine(PrintWriter out, ApiKeyInfo k) {
        k.attributes().expiresAt().ifPresent(at -> out.printf(DUE_LINE, k.keyId(), k.attributes().tenantId().orElse("-"), k.attributes().name(),
                k.attributes().owner().orElse("-"), "expires", at));
        k.attributes().rotateBy().ifPresent(at -> out.printf(DUE_LINE, k.keyId(), k.attributes().tenantId().orElse("-"), k.attributes().name(),
                k.attributes().owner().orElse("-"), "rotate-by", at));
    }

    static void line(PrintWriter out, ApiKeyInfo k) {
        out.printf(LINE, k.keyId(), k.attributes().tenantId().orElse("-"), k.attributes().name(),
                k.status().name().toLowerCase(java.util.Locale.ROOT) + (k.legacy() ? " (legacy)" : ""),
                k.attributes().expiresAt().map(Object::toString).orElse("-"), String.join(",", k.attributes().scopes()));
    }
}
