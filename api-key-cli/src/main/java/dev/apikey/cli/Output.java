package dev.apikey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.apikey.ApiKeyInfo;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How commands print keys: aligned text for people, JSON with {@code --json} for scripts. */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    static Map<String, Object> fields(ApiKeyInfo k) {
        Map<String, Object> m = new LinkedHashMap<>();
        // Field names from docs/JSON.md, shared with whoami and the problem answers.
        m.put("key_id", k.keyId());
        m.put("hint", k.hint());
        m.put("tenant_id", k.tenantId().orElse(null));
        m.put("name", k.name());
        m.put("scopes", List.copyOf(k.scopes()));
        m.put("status", k.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("created_at", str(k.createdAt()));
        m.put("expires_at", str(k.expiresAt().orElse(null)));
        m.put("revoked_at", str(k.revokedAt().orElse(null)));
        m.put("replaced_by", k.replacedBy().orElse(null));
        m.put("last_used_at", str(k.lastUsedAt().orElse(null)));
        m.put("environment", k.environment().orElse(null));
        m.put("owner", k.owner().orElse(null));
        m.put("rotate_by", str(k.rotateBy().orElse(null)));
        m.put("allowed_addresses", k.allowedAddresses());
        m.put("rate_limit", k.rateLimit().map(r -> Map.of("requests", r.requests(), "period_seconds",
                r.period().toSeconds())).orElse(null));
        m.put("metadata", k.metadata());
        return m;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static void text(PrintWriter out, ApiKeyInfo k) {
        fields(k).forEach((name, value) -> {
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

    static void line(PrintWriter out, ApiKeyInfo k) {
        out.printf(LINE, k.keyId(), k.tenantId().orElse("-"), k.name(),
                k.status().name().toLowerCase(java.util.Locale.ROOT),
                k.expiresAt().map(Object::toString).orElse("-"), String.join(",", k.scopes()));
    }
}
