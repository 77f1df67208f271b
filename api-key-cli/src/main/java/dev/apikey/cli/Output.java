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
        m.put("key_id", k.keyId());
        m.put("hint", k.hint());
        m.put("tenant", k.tenantId());
        m.put("name", k.name());
        m.put("scopes", List.copyOf(k.scopes()));
        m.put("status", k.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("created_utc", str(k.createdUtc()));
        m.put("expires_utc", str(k.expiresUtc()));
        m.put("revoked_utc", str(k.revokedUtc()));
        m.put("last_used_utc", str(k.lastUsedUtc()));
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
            if (value != null && !(value instanceof Map<?, ?> m && m.isEmpty())) {
                out.printf("  %-14s %s%n", name, value);
            }
        });
    }

    static void line(PrintWriter out, ApiKeyInfo k) {
        out.printf("%-8s  %-8s  %-24s  %-7s  %s%n", k.keyId(), k.tenantId() == null ? "-" : k.tenantId(), k.name(),
                k.status().name().toLowerCase(java.util.Locale.ROOT), String.join(",", k.scopes()));
    }
}
