package dev.apikey.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.ApiKeys;
import dev.apikey.ImportReport;
import dev.apikey.ImportResult;
import dev.apikey.KeyImport;
import dev.apikey.json.ImportJson;
import dev.apikey.json.JsonRefusal;
import dev.apikey.json.KeyJson;
import dev.apikey.json.KeyLines;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /imports}: keys from JSON lines ({@code application/x-ndjson}) or CSV ({@code text/csv}), as
 * {@code apikey import} takes them (docs/MIGRATING.md), for the tenants the caller manages: a line of another tenant
 * is refused. Every rule of key management applies per line through the caller's {@link dev.apikey.KeyManager}.
 * {@code ?dry_run=true} decides and writes nothing, {@code ?per_line=true} writes each good line on its own;
 * otherwise the body is one batch, written whole or, if a line is refused, not at all. Answers 200 with each line's
 * outcome; never a plaintext. The body is read under the admin API's deadline, up to {@value #MAX_BYTES} bytes.
 */
final class ImportEndpoint {

    /** Largest import body: about 5,000 keys; the CLI imports more. */
    static final int MAX_BYTES = 1 << 20;

    private static final Set<String> BOOLEANS = Set.of("true", "false");

    private ImportEndpoint() {
    }

    /** {@return whether a request is for this endpoint, for its larger body limit} */
    static boolean asked(HttpServletRequest req) {
        return "/imports".equals(req.getPathInfo());
    }

    static ObjectNode answer(ApiKeys apiKeys, Caller caller, HttpServletRequest req, byte[] body) {
        String type = req.getContentType() == null ? "" : req.getContentType().split(";", 2)[0].strip()
                .toLowerCase(Locale.ROOT);
        KeyLines.Format format = switch (type) {
            case "application/x-ndjson", "application/jsonl" -> KeyLines.Format.JSONL;
            case "text/csv" -> KeyLines.Format.CSV;
            default -> throw new AdminProblem(415, "unsupported_media_type", "Unsupported media type",
                    "an import body must be application/x-ndjson (JSON lines) or text/csv");
        };
        boolean dryRun = flag(req, "dry_run");
        boolean perLine = flag(req, "per_line");
        if (dryRun && perLine) {
            throw AdminProblem.invalid("dry_run and per_line go apart: a dry run writes nothing");
        }
        List<KeyLines.Line> lines;
        try {
            lines = KeyLines.read(new ByteArrayInputStream(body == null ? new byte[0] : body), format);
        } catch (IllegalArgumentException e) {
            throw AdminProblem.invalid(e.getMessage());
        }
        String onlyTenant = !caller.allTenants() && caller.tenants().size() == 1
                ? caller.tenants().iterator().next() : null;
        ImportJson.Defaults defaults = new ImportJson.Defaults(onlyTenant, List.of());
        List<KeyImport> good = new ArrayList<>();
        List<ImportResult> results = new ArrayList<>();
        for (KeyLines.Line line : lines) {
            if (line.node() == null) {
                results.add(refused(line.number(), "malformed_line", line.error()));
                continue;
            }
            try {
                KeyImport i = ImportJson.read(line.number(), line.node(), format == KeyLines.Format.CSV, defaults);
                String tenant = i.spec().tenantId().orElse(null);
                if (!caller.mayManage(tenant)) {
                    results.add(refused(line.number(), "tenant_not_managed", tenant == null ? "tenant_id is required: "
                            + "this caller manages only its own tenants' keys" : "this caller may not manage keys of "
                            + "tenant " + tenant));
                } else {
                    good.add(i);
                }
            } catch (JsonRefusal e) {
                results.add(refused(line.number(), "invalid", e.getMessage()));
            } catch (IllegalArgumentException e) {
                results.add(refused(line.number(), "invalid", e.getMessage()));
            }
        }
        KeyImport.Mode mode = dryRun || !perLine && !results.isEmpty() ? KeyImport.Mode.DRY_RUN
                : perLine ? KeyImport.Mode.PER_LINE : KeyImport.Mode.BATCH;
        ImportReport report = apiKeys.manage(caller.toActor()).importKeys(good, mode);
        results.addAll(report.lines());
        results.sort(Comparator.comparingLong(ImportResult::line));
        ObjectNode out = KeyJson.mapper().createObjectNode();
        out.put("dry_run", dryRun);
        out.put("written", report.written());
        out.put("refused", results.stream().filter(r -> r.outcome() == ImportResult.Outcome.REFUSED).count());
        ArrayNode list = out.putArray("lines");
        for (ImportResult r : results) {
            list.addObject().put("line", r.line()).put("outcome", r.outcome().name().toLowerCase(Locale.ROOT))
                    .put("key_id", r.keyId()).put("code", r.code()).put("message", r.message());
        }
        return out;
    }

    private static ImportResult refused(long line, String code, String message) {
        return new ImportResult(line, ImportResult.Outcome.REFUSED, null, code, message);
    }

    private static boolean flag(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        if (v != null && !BOOLEANS.contains(v)) {
            throw AdminProblem.invalid(name + " must be true or false");
        }
        return "true".equals(v);
    }
}
