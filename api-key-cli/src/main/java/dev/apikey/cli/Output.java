package dev.apikey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.apikey.ApiKeyInfo;
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

    static void text(PrintWriter out, ApiKeyInfo k) {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>(k.fields());
        // Written as the options take them (600/min, 10000/day), not as JSON's maps.
        k.rateLimit().ifPresent(limit -> fields.put("rate_limit", Flags.rateLimit(limit)));
        k.quota().ifPresent(quota -> fields.put("quota", quota.toString()));
        fields.forEach((name, value) -> {
            if (value != null && !(value instanceof Map<?, ?> m && m.isEmpty())
                    && !(value instanceof List<?> l && l.isEmpty())) {
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
        k.expiresAt().ifPresent(at -> out.printf(DUE_LINE, k.keyId(), k.tenantId().orElse("-"), k.name(),
                k.owner().orElse("-"), "expires", at));
        k.rotateBy().ifPresent(at -> out.printf(DUE_LINE, k.keyId(), k.tenantId().orElse("-"), k.name(),
                k.owner().orElse("-"), "rotate-by", at));
    }

    static void line(PrintWriter out, ApiKeyInfo k) {
        out.printf(LINE, k.keyId(), k.tenantId().orElse("-"), k.name(),
                k.status().name().toLowerCase(java.util.Locale.ROOT),
                k.expiresAt().map(Object::toString).orElse("-"), String.join(",", k.scopes()));
    }
}
