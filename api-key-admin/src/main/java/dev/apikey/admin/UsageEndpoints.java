package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.ApiKeys;
import dev.apikey.Usage;
import dev.apikey.json.UsageJson;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The usage endpoints (issue 27): {@code GET /keys/{id}/usage} (one key's series) and {@code GET /usage} (a tenant's
 * overview: its series, totals, refusal rate, busiest keys and keys with the most refusals; without {@code tenant},
 * for a caller that manages every tenant, every key's top lists and the series of refusals that named no known key).
 * Query parameters {@code from} and {@code to} (a date or an instant; default the last 24 hours), {@code bucket}
 * ({@code minute}, {@code hour}, {@code day}; default by the range) and, for {@code /usage}, {@code limit} (1 to 100,
 * default 10). The answers are {@link UsageJson}'s. Package-private.
 */
final class UsageEndpoints {

    private static final Set<String> KEY_PARAMETERS = Set.of("from", "to", "bucket");
    private static final Set<String> OVERVIEW_PARAMETERS = Set.of("tenant", "from", "to", "bucket", "limit");

    private static final Instant EARLIEST = Instant.parse("1970-01-02T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private UsageEndpoints() {
    }

    /** {@code GET /keys/{id}/usage}: the key is one the caller may manage (checked by the router). */
    static JsonNode key(ApiKeys apiKeys, ApiKeyInfo key, HttpServletRequest req) {
        Usage usage = apiKeys.usage();
        Range range = range(usage, req, KEY_PARAMETERS, "GET /keys/{id}/usage");
        UsageSubject subject = UsageSubject.key(key.keyId());
        ObjectNode out = UsageJson.series(subject, range.from, range.to, range.grain,
                usage.series(subject, range.from, range.to, range.grain));
        key.attributes().tenantId().ifPresent(t -> out.put("tenant_id", t));
        key.lastUsedAt().ifPresent(t -> out.put("last_used_at", t.toString()));
        return out;
    }

    /** {@code GET /usage}: a tenant's overview, tenant-scoped like the rest of the API. */
    static JsonNode overview(ApiKeys apiKeys, Caller caller, HttpServletRequest req) {
        Usage usage = apiKeys.usage();
        Range range = range(usage, req, OVERVIEW_PARAMETERS, "GET /usage");
        String tenant = req.getParameter("tenant");
        if (tenant == null && !caller.allTenants()) {
            throw AdminProblem.invalid("tenant", "tenant is required: this caller manages only its own tenants");
        }
        if (tenant != null && (!tenant.matches("[A-Za-z0-9-]{1,36}") || !caller.mayManage(tenant))) {
            throw new AdminProblem(404, "not_found", "Not found", "no tenant "
                    + (tenant.length() > 36 ? tenant.substring(0, 36) + "..." : tenant) + " this caller manages");
        }
        int limit = limit(req.getParameter("limit"));
        UsageSubject subject = tenant == null ? UsageSubject.unknown() : UsageSubject.tenant(tenant);
        ObjectNode out = UsageJson.series(subject, range.from, range.to, range.grain,
                usage.series(subject, range.from, range.to, range.grain));
        out.set("busiest", UsageJson.top(usage.top(tenant, range.from, range.to, UsageTotal.Rank.CALLS, limit)));
        out.set("most_refused", UsageJson.top(usage.top(tenant, range.from, range.to, UsageTotal.Rank.REFUSALS,
                limit)));
        return out;
    }

    private record Range(Instant from, Instant to, UsageGrain grain) {
    }

    private static Range range(Usage usage, HttpServletRequest req, Set<String> known, String endpoint) {
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
        String toText = req.getParameter("to");
        String fromText = req.getParameter("from");
        Instant to = toText == null ? usage.now() : inRange("to", AdminApi.instant("to", toText));
        Instant from = fromText == null ? to.minus(Duration.ofHours(24)) : inRange("from",
                AdminApi.instant("from", fromText));
        if (!from.isBefore(to)) {
            throw AdminProblem.invalid("from", "from must be before to");
        }
        UsageGrain grain;
        try {
            grain = req.getParameter("bucket") == null ? Usage.grainFor(from, to)
                    : UsageGrain.parse(req.getParameter("bucket"));
        } catch (IllegalArgumentException e) {
            throw AdminProblem.invalid("bucket", e.getMessage());
        }
        return new Range(from, to, grain);
    }

    /** A date from outside, checked before any arithmetic on it. */
    private static Instant inRange(String field, Instant at) {
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw AdminProblem.invalid(field, field + " must lie between 1970 and 9999");
        }
        return at;
    }

    private static int limit(String text) {
        if (text == null) {
            return 10;
        }
        if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > Usage.MAX_TOP) {
            throw AdminProblem.invalid("limit", "limit must be 1 to " + Usage.MAX_TOP);
        }
        return Integer.parseInt(text);
    }
}
