package dev.apikey.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.KeyImport;
import dev.apikey.model.KeySpec;
import java.util.List;
import java.util.Locale;


/**
 * Turns a line of an import ({@link KeyLines}) into a {@link KeyImport}: a key line of {@code apikey export}; or a
 * key given by its plaintext ({@code plaintext}, or {@code key} as AWS API Gateway's CSV export names it) with its
 * attributes as a create body has them, and an optional {@code external_id}. CSV cells are text: {@code scopes},
 * {@code allowed_addresses} and {@code allowed_countries} hold names apart by spaces or semicolons, {@code metadata.x}
 * columns fill the metadata, AWS's {@code description} and {@code usageplanids} become metadata, and its
 * {@code enabled} must not be {@code false}. Defaults (a tenant, scopes) fill what a line leaves out.
 *
 * <p>Thread-safe; static methods only.
 */
public final class ImportJson {

    /** Members of a plaintext line that are not attributes. */
    private static final List<String> OWN = List.of("plaintext", "key", "external_id", "stored_hash", "id_part",
            "enabled",
            "description", "usageplanids");

    private ImportJson() {
    }

    /**
     * What fills the attributes a line leaves out.
     *
     * @param tenantId the tenant, or {@code null}
     * @param scopes   the scopes, or empty
     */
    public record Defaults(String tenantId, List<String> scopes) {
        /**
         * @param tenantId the tenant, or {@code null}
         * @param scopes   the scopes, or empty
         */
        public Defaults {
            scopes = List.copyOf(scopes);
        }

        /** {@return no defaults} */
        public static Defaults none() {
            return new Defaults(null, List.of());
        }
    }

    /**
     * Reads one line.
     *
     * @param line     the line's number
     * @param node     the line
     * @param csv      whether the line is a CSV record (cells are text)
     * @param defaults what fills what the line leaves out
     * @return the import
     * @throws JsonRefusal naming the member at fault and the rule; never quoting a plaintext
     */
    public static KeyImport read(long line, ObjectNode node, boolean csv, Defaults defaults) {
        if (ExportJson.isKeyLine(node)) {
            ExportJson.Moved moved = ExportJson.readKey(node);
            return KeyImport.record(line, moved.key(), moved.events());
        }
        ObjectNode body = node.deepCopy();
        String storedHash = text(body, "stored_hash");
        String idPart = text(body, "id_part");
        String plaintext = text(body, body.has("plaintext") ? "plaintext" : "key");
        if ((plaintext == null) == (storedHash == null)) {
            throw JsonRefusal.invalid("plaintext", "a line gives either plaintext (or key: the key as its holder "
                    + "sends it) or stored_hash, not both");
        }
        String externalId = text(body, "external_id");
        if (csv && externalId != null && externalId.isEmpty()) {
            externalId = null; // an empty cell: this record has none
        }
        if (externalId != null) {
            try {
                dev.apikey.spi.StoredKey.checkExternalId(externalId);
            } catch (IllegalArgumentException e) {
                throw JsonRefusal.invalid("external_id", e.getMessage());
            }
        }
        String enabled = text(body, "enabled");
        if (enabled != null && "false".equals(enabled.strip().toLowerCase(Locale.ROOT))) {
            throw JsonRefusal.invalid("enabled", "enabled is false: a disabled key is not imported; drop the line, "
                    + "or import it and disable it");
        }
        ObjectNode metadata = body.has("metadata") && body.get("metadata").isObject()
                ? (ObjectNode) body.get("metadata") : KeyJson.mapper().createObjectNode();
        moveToMetadata(body, metadata, "description", "description");
        moveToMetadata(body, metadata, "usageplanids", "aws_usage_plan_ids");
        if (csv) {
            cellsToJson(body, metadata);
        }
        if (!metadata.isEmpty()) {
            body.set("metadata", metadata);
        }
        OWN.forEach(body::remove);
        if (!body.has("tenant_id") && defaults.tenantId() != null) {
            body.put("tenant_id", defaults.tenantId());
        }
        if (!body.has("scopes") && !defaults.scopes().isEmpty()) {
            ArrayNode scopes = body.putArray("scopes");
            defaults.scopes().forEach(scopes::add);
        }
        if (!body.has("name")) {
            body.put("name", externalId != null ? externalId : "imported-line-" + line);
        }
        KeySpec spec = KeyJson.readSpec(body);
        return plaintext != null ? KeyImport.plaintext(line, plaintext, spec, externalId)
                : KeyImport.legacy(line, StoredHashes.legacy(storedHash, idPart), spec, externalId);
    }

    private static void moveToMetadata(ObjectNode body, ObjectNode metadata, String field, String as) {
        String v = text(body, field);
        if (v != null && !v.isEmpty()) {
            metadata.put(as, v);
        }
    }

    /** CSV cells are strings: lists split, metadata columns gathered. */
    private static void cellsToJson(ObjectNode body, ObjectNode metadata) {
        for (String list : List.of("scopes", "allowed_addresses", "allowed_countries")) {
            String v = text(body, list);
            if (v != null) {
                ArrayNode a = body.putArray(list);
                for (String part : v.split("[\\s;]+")) {
                    if (!part.isEmpty()) {
                        a.add(part);
                    }
                }
            }
        }
        List<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (name.startsWith("metadata.")) {
                metadata.put(name.substring("metadata.".length()), body.get(name).asText());
                body.remove(name);
            }
        }
        if (body.has("allowances")) {
            throw JsonRefusal.invalid("allowances", "allowances cannot be given in CSV; use JSON lines");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw JsonRefusal.invalid(field, field + " must be a string");
        }
        return v.textValue();
    }
}
