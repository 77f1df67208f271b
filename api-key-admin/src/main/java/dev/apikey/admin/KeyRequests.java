package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's request bodies besides a key's attributes (which {@link dev.apikey.json.KeyJson} reads): a
 * rotation's overlap and the actions that take none, read strictly, each refusal naming the field and the rule.
 */
final class KeyRequests {

    private static final Set<String> ROTATE_FIELDS = Set.of("overlap_seconds");
    /** Longest rotation overlap: a year. */
    private static final long MAX_OVERLAP_SECONDS = Duration.ofDays(365).toSeconds();

    private KeyRequests() {
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

    /** The library's names for fields, as the JSON of this API names them. */
    private static final java.util.Map<String, String> JSON_NAMES = java.util.Map.of("expiresAt", "expires_at",
            "rotateBy", "rotate_by", "tenantId", "tenant_id", "allowedAddresses", "allowed_addresses",
            "allowedCountries", "allowed_countries", "rateLimit",
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
        return json == null ? dev.apikey.json.KeyJson.jsonNames(message) : json + message.substring(end);
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

}
