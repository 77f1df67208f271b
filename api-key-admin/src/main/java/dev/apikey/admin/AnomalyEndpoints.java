package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikey.ApiKeys;
import dev.apikey.json.AnomalyJson;
import dev.apikey.model.ApiKeyInfo;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The anomaly endpoints (issue 27 §3): {@code GET /anomalies} (a tenant's anomalies, its own and its keys'; without
 * {@code tenant}, for a caller that manages every tenant, everybody's) and {@code GET /keys/{id}/anomalies}. Query
 * parameters {@code open} ({@code true}, the default: only open ones; {@code false}: closed ones too) and
 * {@code limit} (1 to 1000, default 100). The answers are {@link AnomalyJson}'s, the newest first. Package-private.
 */
final class AnomalyEndpoints {

    private static final Set<String> KEY_PARAMETERS = Set.of("open", "limit");
    private static final Set<String> LIST_PARAMETERS = Set.of("tenant", "open", "limit");

    private AnomalyEndpoints() {
    }

    /** {@code GET /keys/{id}/anomalies}: the key is one the caller may manage (checked by the router). */
    static JsonNode key(ApiKeys apiKeys, ApiKeyInfo key, HttpServletRequest req) {
        check(req, KEY_PARAMETERS, "GET /keys/{id}/anomalies");
        return AnomalyJson.list(apiKeys.anomalies().list(null, key.keyId(), open(req), limit(req)));
    }

    /** {@code GET /anomalies}: tenant-scoped like the rest of the API. */
    static JsonNode list(ApiKeys apiKeys, Caller caller, HttpServletRequest req) {
        check(req, LIST_PARAMETERS, "GET /anomalies");
        String tenant = req.getParameter("tenant");
        if (tenant == null && !caller.allTenants()) {
            throw AdminProblem.invalid("tenant", "tenant is required: this caller manages only its own tenants");
        }
        if (tenant != null && (!tenant.matches("[A-Za-z0-9-]{1,36}") || !caller.mayManage(tenant))) {
            throw new AdminProblem(404, "not_found", "Not found", "no tenant "
                    + (tenant.length() > 36 ? tenant.substring(0, 36) + "..." : tenant) + " this caller manages");
        }
        return AnomalyJson.list(apiKeys.anomalies().list(tenant, null, open(req), limit(req)));
    }

    private static void check(HttpServletRequest req, Set<String> known, String endpoint) {
        for (Map.Entry<String, String[]> p : req.getParameterMap().entrySet()) {
            String name = p.getKey();
            if (!known.contains(name)) {
                throw AdminProblem.invalid(name.length() > 40 ? name.substring(0, 40) + "..." : name,
                        "unknown parameter; " + endpoint + " takes " + String.join(", ", new TreeSet<>(known)));
            }
            if (p.getValue().length > 1) {
                throw AdminProblem.invalid(name, name + " was given " + p.getValue().length + " times; give it once");
            }
        }
    }

    private static boolean open(HttpServletRequest req) {
        String text = req.getParameter("open");
        if (text == null || text.equals("true")) {
            return true;
        }
        if (text.equals("false")) {
            return false;
        }
        throw AdminProblem.invalid("open", "open must be true or false");
    }

    private static int limit(HttpServletRequest req) {
        String text = req.getParameter("limit");
        if (text == null) {
            return 100;
        }
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 1_000) {
            throw AdminProblem.invalid("limit", "limit must be 1 to 1000");
        }
        return Integer.parseInt(text);
    }
}
