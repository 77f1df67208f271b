package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikey.KeySpec;
import dev.apikey.KeyUpdate;
import dev.apikey.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's request bodies, read strictly: every field of the right JSON type, no field the endpoint does
 * not know, each refusal naming the field and the rule. Values are checked by the core's own builders.
 */
final class KeyRequests {

    private static final Set<String> CREATE_FIELDS = Set.of("name", "tenant_id", "scopes", "expires_at",
            "environment", "owner", "rotate_by", "metadata", "allowed_addresses", "rate_limit", "quota");
    private static final Set<String> EDIT_FIELDS = Set.of("name", "scopes", "expires_at", "allowed_addresses",
            "rate_limit", "quota");
    private static final Set<String> ROTATE_FIELDS = Set.of("overlap_seconds");
    /** Longest rotation overlap: a year. */
    private static final long MAX_OVERLAP_SECONDS = Duration.ofDays(365).toSeconds();

    private KeyRequests() {
    }

    /** A create request: the spec to create. */
    record Create(KeySpec spec) {
    }

    static Create create(JsonNode body) {
        onlyKnown(body, CREATE_FIELDS);
        KeySpec.Builder b = KeySpec.builder(requiredText(body, "name"));
        b.scopes(textList(body, "scopes", true));
        if (present(body, "tenant_id")) {
            b.tenantId(text(body, "tenant_id"));
        }
        if (present(body, "expires_at")) {
            b.expiresAt(AdminApi.instant("expires_at", text(body, "expires_at")));
        }
        if (present(body, "environment")) {
            b.environment(text(body, "environment"));
        }
        if (present(body, "owner")) {
            b.owner(text(body, "owner"));
        }
        if (present(body, "rotate_by")) {
            b.rotateBy(AdminApi.instant("rotate_by", text(body, "rotate_by")));
        }
        if (present(body, "metadata")) {
            JsonNode metadata = body.get("metadata");
            if (!metadata.isObject()) {
                throw AdminProblem.invalid("metadata must be an object of strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw AdminProblem.invalid("metadata." + e.getKey() + " must be a string");
                }
                b.metadata(e.getKey(), e.getValue().textValue());
            }
        }
        if (present(body, "allowed_addresses")) {
            b.allowedAddresses(textList(body, "allowed_addresses", false).toArray(String[]::new));
        }
        if (present(body, "rate_limit")) {
            b.rateLimit(rateLimit(body.get("rate_limit")));
        }
        if (present(body, "quota")) {
            b.quota(quota(body.get("quota")));
        }
        return new Create(b.build());
    }

    static KeyUpdate update(JsonNode body) {
        onlyKnown(body, EDIT_FIELDS);
        KeyUpdate.Builder b = KeyUpdate.builder();
        if (present(body, "name")) {
            b.name(text(body, "name"));
        }
        if (present(body, "scopes")) {
            b.scopes(textList(body, "scopes", true));
        }
        if (body.has("expires_at")) {
            if (body.get("expires_at").isNull()) {
                b.neverExpires();
            } else {
                b.expiresAt(AdminApi.instant("expires_at", text(body, "expires_at")));
            }
        }
        if (present(body, "allowed_addresses")) {
            b.allowedAddresses(textList(body, "allowed_addresses", false));
        }
        if (body.has("rate_limit")) {
            if (body.get("rate_limit").isNull()) {
                b.noOwnRateLimit();
            } else {
                b.rateLimit(rateLimit(body.get("rate_limit")));
            }
        }
        if (body.has("quota")) {
            if (body.get("quota").isNull()) {
                b.noQuota();
            } else {
                b.quota(quota(body.get("quota")));
            }
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw AdminProblem.invalid("the body must change at least one of " + String.join(", ", EDIT_FIELDS));
        }
    }

    static Duration overlap(JsonNode body) {
        onlyKnown(body, ROTATE_FIELDS);
        if (!body.has("overlap_seconds")) {
            return Duration.ZERO;
        }
        JsonNode n = body.get("overlap_seconds");
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0 || n.longValue() > MAX_OVERLAP_SECONDS) {
            throw AdminProblem.invalid("overlap_seconds must be a whole number from 0 to " + MAX_OVERLAP_SECONDS
                    + " (365 days)");
        }
        return Duration.ofSeconds(n.longValue());
    }

    private static dev.apikey.Quota quota(JsonNode n) {
        if (!n.isObject() || n.size() != 2 || !n.path("calls").isIntegralNumber() || !n.path("period").isTextual()
                || !(n.get("period").textValue().equals("day") || n.get("period").textValue().equals("month"))) {
            throw AdminProblem.invalid("quota must be {\"calls\": n, \"period\": \"day\" or \"month\"}");
        }
        // Checked before it is read as a long: a number past a long would otherwise wrap (2^64 + 1 reads as 1).
        long calls = n.get("calls").canConvertToLong() ? n.get("calls").longValue() : -1;
        if (calls < 1 || calls > 1_000_000_000_000L) {
            throw AdminProblem.invalid("quota needs calls of 1 to 1000000000000");
        }
        return n.get("period").textValue().equals("day") ? dev.apikey.Quota.perDay(calls)
                : dev.apikey.Quota.perMonth(calls);
    }

    private static RateLimit rateLimit(JsonNode n) {
        if (!n.isObject() || n.size() != 2 || !n.path("requests").isIntegralNumber()
                || !n.path("period_seconds").isIntegralNumber()) {
            throw AdminProblem.invalid("rate_limit must be {\"requests\": n, \"period_seconds\": s}");
        }
        long requests = n.get("requests").canConvertToLong() ? n.get("requests").longValue() : -1;
        long seconds = n.get("period_seconds").canConvertToLong() ? n.get("period_seconds").longValue() : -1;
        if (requests < 1 || seconds < 1 || seconds > Duration.ofDays(1).toSeconds()) {
            throw AdminProblem.invalid("rate_limit needs requests of 1 to 1000000000 and period_seconds of 1 to 86400");
        }
        return new RateLimit(requests, Duration.ofSeconds(seconds));
    }

    /** The library's names for fields, as the JSON of this API names them. */
    private static final java.util.Map<String, String> JSON_NAMES = java.util.Map.of("expiresAt", "expires_at",
            "rotateBy", "rotate_by", "tenantId", "tenant_id", "allowedAddresses", "allowed_addresses", "rateLimit",
            "rate_limit", "since", "unused_since", "keyId", "key_id");

    /**
     * A refusal's message with the library's field name at its start (as {@code KeySpec} and {@code KeyUpdate} name
     * it) written as this API's JSON names it: {@code expires_at must be in the future}, not {@code expiresAt ...}.
     */
    static String jsonNames(String message) {
        if (message == null) {
            return null;
        }
        int end = 0;
        while (end < message.length() && Character.isLetter(message.charAt(end))) {
            end++;
        }
        String json = JSON_NAMES.get(message.substring(0, end));
        return json == null ? message : json + message.substring(end);
    }

    /** Refuses any member in the body of an action that takes none ({@code revoke}, {@code disable}, {@code enable}). */
    static void noFields(JsonNode body, String action) {
        if (body != null && body.size() > 0) {
            throw AdminProblem.invalid(action + " takes no fields; send {} or no body");
        }
    }

    private static void onlyKnown(JsonNode body, Set<String> known) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!known.contains(field)) {
                throw AdminProblem.invalid("unknown field '" + (field.length() > 40 ? field.substring(0, 40) + "..."
                        : field) + "'; this endpoint takes " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private static boolean present(JsonNode body, String field) {
        return body.has(field) && !body.get(field).isNull();
    }

    private static String requiredText(JsonNode body, String field) {
        if (!present(body, field)) {
            throw AdminProblem.invalid(field + " is required");
        }
        return text(body, field);
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (!n.isTextual()) {
            throw AdminProblem.invalid(field + " must be a string");
        }
        return n.textValue();
    }

    private static List<String> textList(JsonNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw AdminProblem.invalid(field + " is required");
            }
            return List.of();
        }
        if (!n.isArray()) {
            throw AdminProblem.invalid(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw AdminProblem.invalid(field + " must be an array of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }
}
