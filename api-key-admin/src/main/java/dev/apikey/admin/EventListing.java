package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikey.ApiKeys;
import dev.apikey.KeyHistoryReader;
import dev.apikey.json.EventJson;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeyEvent;
import dev.apikey.spi.EventFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /keys/{id}/events} and {@code GET /events} of the {@link AdminApi}: a key's history, or the history of
 * the caller's tenants' keys, newest first, paged with a cursor, limited by {@code from} (inclusive) and {@code to}
 * (exclusive), each parameter checked and named in its refusal. A caller limited to some tenants sees only their
 * events, whatever it asks for.
 */
final class EventListing {

    /** Most events in one page. */
    static final int MAX_PAGE = 200;
    private static final int DEFAULT_PAGE = 50;
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private static final String CURSOR_RULE = "cursor must be the next_cursor of an earlier page";

    private static final Set<String> KEY_PARAMETERS = Set.of("from", "to", "cursor", "limit");
    private static final Set<String> PARAMETERS = Set.of("tenant", "from", "to", "cursor", "limit");

    private EventListing() {
    }

    /** {@code GET /keys/{id}/events}: the key is one the caller may manage, checked by the caller of this. */
    static JsonNode ofKey(ApiKeys apiKeys, HttpServletRequest req, ApiKeyInfo key) {
        onlyKnownOnce(req, KEY_PARAMETERS, "GET /keys/{id}/events");
        return page(apiKeys, req, EventFilter.key(key.keyId()), e -> true);
    }

    /** {@code GET /events}: the events of the tenant asked for, else of every tenant the caller manages. */
    static JsonNode list(ApiKeys apiKeys, HttpServletRequest req, Caller caller) {
        onlyKnownOnce(req, PARAMETERS, "GET /events");
        String tenant = req.getParameter("tenant");
        EventFilter filter;
        if (tenant != null) {
            if (!tenant.matches("[A-Za-z0-9-]{1,36}")) {
                throw AdminProblem.invalid("tenant", "tenant must be 1 to 36 of [A-Za-z0-9-]");
            }
            if (!caller.mayManage(tenant)) {
                // Another tenant's history does not exist for this caller.
                return EventJson.writePage(List.of(), null);
            }
            filter = EventFilter.tenants(Set.of(tenant));
        } else if (caller.allTenants()) {
            filter = EventFilter.all();
        } else if (caller.tenants().isEmpty()) {
            return EventJson.writePage(List.of(), null);
        } else {
            filter = EventFilter.tenants(caller.tenants());
        }
        return page(apiKeys, req, filter, e -> caller.mayManage(e.tenantId()));
    }

    private static JsonNode page(ApiKeys apiKeys, HttpServletRequest req, EventFilter filter,
            java.util.function.Predicate<KeyEvent> visible) {
        Instant from = instant(req, "from");
        Instant to = instant(req, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw AdminProblem.invalid("from", "from must be before to");
        }
        String cursor = req.getParameter("cursor");
        if (cursor != null && !cursor.matches("[0-9]{1,15}\\.[0-9a-f]{32}")) {
            throw AdminProblem.invalid("cursor", CURSOR_RULE);
        }
        KeyHistoryReader.Page page = apiKeys.history().page(filter.between(from, to), cursor, limit(req));
        // The store selected the caller's tenants already; this keeps another's event out whatever a store does.
        return EventJson.writePage(page.events().stream().filter(visible).toList(), page.nextCursor().orElse(null));
    }

    /** A date or instant, range-checked before it reaches a database whose timestamps end long before Instant's. */
    private static Instant instant(HttpServletRequest req, String parameter) {
        String text = req.getParameter(parameter);
        if (text == null) {
            return null;
        }
        Instant at;
        try {
            if (text.length() > 40) {
                throw AdminProblem.invalid(parameter);
            }
            at = AdminApi.instant(parameter, text);
        } catch (AdminProblem e) {
            throw AdminProblem.invalid(parameter, parameter + " must be a date (2027-01-01) or an instant "
                    + "(2027-01-01T00:00:00Z)");
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw AdminProblem.invalid(parameter, parameter + " must be from 1970-01-01 to 9999-12-31");
        }
        return at;
    }

    private static int limit(HttpServletRequest req) {
        String text = req.getParameter("limit");
        if (text == null) {
            return DEFAULT_PAGE;
        }
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_PAGE) {
            throw AdminProblem.invalid("limit", "limit must be 1 to " + MAX_PAGE);
        }
        return Integer.parseInt(text);
    }

    /** Refuses a parameter the endpoint does not take, and one given more than once. */
    private static void onlyKnownOnce(HttpServletRequest req, Set<String> known, String endpoint) {
        for (Map.Entry<String, String[]> p : req.getParameterMap().entrySet()) {
            String name = p.getKey();
            if (!known.contains(name)) {
                throw AdminProblem.invalid("unknown parameter '" + (name.length() > 40 ? name.substring(0, 40) + "..."
                        : name) + "'; " + endpoint + " takes " + String.join(", ", new java.util.TreeSet<>(known)));
            }
            if (p.getValue().length > 1) {
                throw AdminProblem.invalid(name + " was given " + p.getValue().length + " times; give it once");
            }
        }
    }
}
