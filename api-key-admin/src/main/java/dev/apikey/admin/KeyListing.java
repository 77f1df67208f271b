package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.ApiKeys;
import dev.apikey.KeyPage;
import dev.apikey.KeyQuery;
import dev.apikey.json.KeyJson;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.spi.KeyFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /keys} of the {@link AdminApi}: its query parameters, each checked and named in its refusal, turned
 * into a {@link KeyQuery} the store answers one page of ({@link ApiKeys#listPage}).
 */
final class KeyListing {

    /** Most keys in one page of a list. */
    static final int MAX_PAGE = 200;
    private static final int DEFAULT_PAGE = 50;
    private static final ObjectMapper JSON = AdminJson.MAPPER;
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** The parameters {@code GET /keys} takes; any other, or one given twice, is refused rather than ignored. */
    private static final java.util.Set<String> PARAMETERS = java.util.Set.of("tenant", "unused_since",
            "rotate_by_passed", "expiring_within_days", "status", "environment", "owner", "name", "q", "sort", "order",
            "cursor", "limit");
    /** The {@code sort} values, each a {@link KeyFilter.Sort}. */
    private static final java.util.Map<String, KeyFilter.Sort> SORTS = java.util.Map.of("key_id", KeyFilter.Sort.KEY_ID,
            "name", KeyFilter.Sort.NAME, "created", KeyFilter.Sort.CREATED, "last_used", KeyFilter.Sort.LAST_USED,
            "expires", KeyFilter.Sort.EXPIRES);

    private KeyListing() {
    }

    /** Refuses a parameter {@code GET /keys} does not take, and one given more than once (which would be ambiguous). */
    private static void onlyKnownOnce(HttpServletRequest req) {
        for (java.util.Map.Entry<String, String[]> p : req.getParameterMap().entrySet()) {
            String name = p.getKey();
            if (!PARAMETERS.contains(name)) {
                throw AdminProblem.invalid("unknown parameter '" + (name.length() > 40 ? name.substring(0, 40) + "..."
                        : name) + "'; GET /keys takes " + String.join(", ", new java.util.TreeSet<>(PARAMETERS)));
            }
            if (p.getValue().length > 1) {
                throw AdminProblem.invalid(name + " was given " + p.getValue().length + " times; give it once");
            }
        }
    }

    /** One page, filtered, sorted and cut by the store: {@code limit + 1} keys read, however many the tenant has. */
    static JsonNode list(ApiKeys apiKeys, HttpServletRequest req, Caller caller) {
        onlyKnownOnce(req);
        KeyQuery query = tenants(req.getParameter("tenant"), caller);
        if (query == null) {
            // Another tenant's keys do not exist for this caller.
            return page(List.of(), null);
        }
        String unusedSince = req.getParameter("unused_since");
        if (unusedSince != null) {
            Instant since = AdminApi.instant("unused_since", unusedSince);
            // Checked before it reaches a database, whose timestamps end long before Instant's.
            if (since.isBefore(EARLIEST) || since.isAfter(LATEST)) {
                throw AdminProblem.invalid("unused_since must be from 1970-01-01 to 9999-12-31");
            }
            query = query.unusedSince(since);
        }
        String rotateByPassed = req.getParameter("rotate_by_passed");
        if (rotateByPassed != null && !rotateByPassed.equals("true") && !rotateByPassed.equals("false")) {
            throw AdminProblem.invalid("rotate_by_passed must be true or false");
        }
        if ("true".equals(rotateByPassed)) {
            query = query.rotateByPassed();
        }
        String expiring = req.getParameter("expiring_within_days");
        if (expiring != null) {
            if (!expiring.matches("[0-9]{1,4}") || Integer.parseInt(expiring) < 1 || Integer.parseInt(expiring) > 3650) {
                throw AdminProblem.invalid("expiring_within_days must be 1 to 3650");
            }
            query = query.expiringWithin(Duration.ofDays(Integer.parseInt(expiring)));
        }
        String status = req.getParameter("status");
        if (status != null) {
            query = query.status(status(status));
        }
        query = text(req, "environment", 32, query, KeyQuery::environment);
        query = text(req, "owner", 200, query, KeyQuery::owner);
        if (req.getParameter("name") != null && req.getParameter("q") != null) {
            throw AdminProblem.invalid("q", "q and name both filter by name; give one");
        }
        query = text(req, "name", 100, query, KeyQuery::nameContains);
        query = text(req, "q", 100, query, KeyQuery::nameContains);
        query = query.sortedBy(sort(req.getParameter("sort")), descending(req.getParameter("order")));
        String cursor = cursor(req.getParameter("cursor"));
        int limit = limit(req.getParameter("limit"));
        ApiKeyInfo exact = cursor == null ? exact(apiKeys, req.getParameter("q"), caller) : null;
        if (exact != null) {
            // A key id or hint typed into the search: that key (one read by id), as a page of its own.
            return page(List.of(exact), null);
        }
        KeyPage page;
        try {
            page = apiKeys.listPage(query, cursor, limit);
        } catch (IllegalArgumentException e) {
            // Only the cursor is left unchecked here: of another sort or order, or forged.
            throw AdminProblem.invalid("cursor", CURSOR_RULE);
        }
        // The store selected the caller's tenants already; this keeps a key of another out whatever a store does.
        List<ApiKeyInfo> keys = page.keys().stream()
                .filter(k -> caller.mayManage(k.attributes().tenantId().orElse(null))).toList();
        return page(keys, page.nextCursor().map(c -> Base64.getUrlEncoder().withoutPadding()
                .encodeToString(c.getBytes(StandardCharsets.UTF_8))).orElse(null));
    }

    /** A key id, alone or ending a hint ({@code wlcro_92_3kTz9QbC}). */
    private static final java.util.regex.Pattern KEY_ID = java.util.regex.Pattern.compile(
            "(?:[A-Za-z0-9-]{1,64}_){0,2}([0-9A-Za-z]{8})");

    /** The key a search names by its id or hint, if the caller may manage it; else {@code null}. */
    private static ApiKeyInfo exact(ApiKeys apiKeys, String q, Caller caller) {
        java.util.regex.Matcher m = q == null ? null : KEY_ID.matcher(q);
        if (m == null || !m.matches()) {
            return null;
        }
        return apiKeys.get(m.group(1)).filter(k -> caller.mayManage(k.attributes().tenantId().orElse(null))
                && (m.group(1).equals(q) || k.hint().equals(q))).orElse(null);
    }

    private static final String CURSOR_RULE = "cursor must be the next_cursor of an earlier page of the same sort "
            + "and order";

    /** The store's cursor in the opaque, URL-safe {@code next_cursor}: base64url, checked as such before use. */
    private static String cursor(String text) {
        if (text == null) {
            return null;
        }
        if (!text.matches("[A-Za-z0-9_-]{11,200}")) {
            throw AdminProblem.invalid("cursor", CURSOR_RULE);
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            String decoded = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            if (decoded.chars().anyMatch(Character::isISOControl)) {
                throw AdminProblem.invalid("cursor", CURSOR_RULE);
            }
            return decoded;
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw AdminProblem.invalid("cursor", CURSOR_RULE);
        }
    }

    private static KeyFilter.Sort sort(String text) {
        if (text == null) {
            return KeyFilter.Sort.KEY_ID;
        }
        KeyFilter.Sort sort = SORTS.get(text);
        if (sort == null) {
            throw AdminProblem.invalid("sort", "sort must be one of created, expires, key_id, last_used, name");
        }
        return sort;
    }

    private static boolean descending(String text) {
        if (text == null || text.equals("asc")) {
            return false;
        }
        if (!text.equals("desc")) {
            throw AdminProblem.invalid("order", "order must be asc or desc");
        }
        return true;
    }

    /** The tenants a list reads: the one asked for, else the caller's; {@code null} if it may manage none of them. */
    private static KeyQuery tenants(String tenant, Caller caller) {
        if (tenant != null) {
            KeyQuery one;
            try {
                one = KeyQuery.tenant(tenant);
            } catch (IllegalArgumentException e) {
                // The core names its parameter tenantId; this one is the query parameter tenant.
                throw AdminProblem.invalid(e.getMessage().replaceFirst("^tenantId", "tenant"));
            }
            return caller.mayManage(tenant) ? one : null;
        }
        if (caller.allTenants()) {
            return KeyQuery.all();
        }
        return caller.tenants().isEmpty() ? null : KeyQuery.tenants(caller.tenants());
    }

    /** A text filter: 1 to {@code max} characters, else a 422 naming the parameter. */
    private static KeyQuery text(HttpServletRequest req, String parameter, int max, KeyQuery query,
            java.util.function.BiFunction<KeyQuery, String, KeyQuery> filter) {
        String value = req.getParameter(parameter);
        if (value == null) {
            return query;
        }
        if (value.isEmpty() || value.length() > max) {
            throw AdminProblem.invalid(parameter, parameter + " must be 1 to " + max + " characters");
        }
        return filter.apply(query, value);
    }

    private static JsonNode page(List<ApiKeyInfo> keys, String nextCursor) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("keys");
        keys.forEach(k -> list.add(KeyJson.write(k)));
        out.put("next_cursor", nextCursor);
        return out;
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_PAGE;
        }
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_PAGE) {
            throw AdminProblem.invalid("limit", "limit must be 1 to " + MAX_PAGE);
        }
        return Integer.parseInt(text);
    }

    private static ApiKeyInfo.Status status(String text) {
        for (ApiKeyInfo.Status s : ApiKeyInfo.Status.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(text)) {
                return s;
            }
        }
        throw AdminProblem.invalid("status", "status must be one of active, expiring, expired, revoked, disabled");
    }
}
