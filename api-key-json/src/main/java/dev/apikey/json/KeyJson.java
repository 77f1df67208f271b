package dev.apikey.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.model.Allowance;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Tenant;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one JSON codec of a key: {@link #write(ApiKeyInfo)} writes the key object of docs/JSON.md (the admin API's
 * answers, {@code apikey ... --json}); {@link #readSpec} and {@link #readUpdate} read a key's attributes from a body
 * (a create, an edit), strictly: every member of the right JSON type, none the body may not hold, each refusal a
 * {@link JsonRefusal} naming the member as the JSON names it and the rule. Values are checked by the core's own
 * setters ({@link KeySpec.Setters}), so the rules are said once. {@link #parse} reads any body under the limits of
 * {@link #MAX_DEPTH}, {@link #MAX_NUMBER_LENGTH}, {@link #MAX_STRING_LENGTH} and {@link #MAX_DOCUMENT_BYTES}, with no
 * member twice in one object and nothing after the value.
 *
 * <p>A key's attributes are named here, in {@link KeySpec} and in the SQL row mapping, and nowhere else.
 *
 * <p>Thread-safe; static methods only.
 */
public final class KeyJson {

    /** Deepest nesting of objects and arrays: the deepest body we take (scanner verify) is 3 levels. */
    public static final int MAX_DEPTH = 16;
    /** Longest number, in characters. */
    public static final int MAX_NUMBER_LENGTH = 32;
    /** Longest string or member name, in characters. */
    public static final int MAX_STRING_LENGTH = 64 * 1024;
    /** Longest document, in bytes: the secret-scanning receiver's body cap. */
    public static final long MAX_DOCUMENT_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(MAX_STRING_LENGTH)
                            .maxNameLength(MAX_STRING_LENGTH).maxDocumentLength(MAX_DOCUMENT_BYTES).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The members of an allowance object. */
    private static final Set<String> RATE_MEMBERS = Set.of("name", "kind", "limit", "period_seconds");
    private static final Set<String> QUOTA_MEMBERS = Set.of("name", "kind", "limit", "period");
    /** Before allowances, a key had one of each: still read, and still written for the first of each kind. */
    private static final String RATE_LIMIT = "rate_limit";
    private static final String QUOTA = "quota";

    private KeyJson() {
    }

    /** {@return the mapper with the limits: thread-safe, never to be reconfigured} */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses a body under the limits.
     *
     * @param body the bytes
     * @param what what the body must be, for the refusal (e.g. "a JSON object")
     * @return the tree
     * @throws JsonRefusal (malformed) naming the rule broken, the line and the column; never quoting the body
     */
    public static JsonNode parse(byte[] body, String what) {
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw JsonRefusal.malformed("the body must be " + what);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw JsonRefusal.malformed(reason(e));
        } catch (IOException e) {
            // Parsing bytes in memory does no I/O; kept for the checked signature.
            throw JsonRefusal.malformed("the body must be " + what);
        }
    }

    /** Why a body did not parse, without echoing any of it: the rule broken and where. */
    private static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String rule;
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            rule = "the body breaks a JSON limit: at most " + MAX_DEPTH + " levels of nesting, numbers of at most "
                    + MAX_NUMBER_LENGTH + " digits, strings of at most " + MAX_STRING_LENGTH + " characters";
        } else if (message.startsWith("Duplicate field")) {
            rule = "the body has a member twice in one object; each member may appear once";
        } else if (message.startsWith("Trailing token")) {
            rule = "the body has more after its JSON value; it must hold one value";
        } else {
            rule = "the body is not valid JSON";
        }
        return e.getLocation() == null ? rule
                : rule + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /**
     * {@return the JSON name of an attribute, e.g. {@code expires_at}}
     *
     * @param attribute the attribute
     */
    public static String name(KeySpec.Attribute attribute) {
        return attribute.name().toLowerCase(Locale.ROOT);
    }

    /**
     * A message that starts with a Java name ({@code expiresAt must be in the future}, as the core's setters write
     * them) with that name as the JSON writes it ({@code expires_at must be ...}).
     *
     * @param message the message, or {@code null}
     * @return the message with its first word in snake case
     */
    public static String jsonNames(String message) {
        if (message == null) {
            return null;
        }
        int end = 0;
        while (end < message.length() && Character.isLetter(message.charAt(end))) {
            end++;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < end; i++) {
            char c = message.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out + message.substring(end);
    }

    // ---- writing -------------------------------------------------------------------------------------------------

    /**
     * {@return the key object of docs/JSON.md: every attribute, the state, the status; never the secret or hash}
     *
     * @param key the key
     */
    public static ObjectNode write(ApiKeyInfo key) {
        KeySpec a = key.attributes();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("key_id", key.keyId());
        o.put("hint", key.hint());
        o.put(name(KeySpec.Attribute.TENANT_ID), a.tenantId().orElse(null));
        o.put(name(KeySpec.Attribute.NAME), a.name());
        ArrayNode scopes = o.putArray(name(KeySpec.Attribute.SCOPES));
        a.scopes().forEach(scopes::add);
        o.put("status", key.status().name().toLowerCase(Locale.ROOT));
        o.put("version", key.version());
        o.put("created_at", key.createdAt().toString());
        o.put(name(KeySpec.Attribute.EXPIRES_AT), text(a.expiresAt().orElse(null)));
        o.put("revoked_at", text(key.revokedAt().orElse(null)));
        o.put("disabled_at", text(key.disabledAt().orElse(null)));
        o.put("replaced_by", key.replacedBy().orElse(null));
        o.put("last_used_at", text(key.lastUsedAt().orElse(null)));
        o.put(name(KeySpec.Attribute.ENVIRONMENT), a.environment().orElse(null));
        o.put(name(KeySpec.Attribute.OWNER), a.owner().orElse(null));
        o.put(name(KeySpec.Attribute.ROTATE_BY), text(a.rotateBy().orElse(null)));
        ArrayNode addresses = o.putArray(name(KeySpec.Attribute.ALLOWED_ADDRESSES));
        a.allowedAddresses().forEach(addresses::add);
        ArrayNode countries = o.putArray(name(KeySpec.Attribute.ALLOWED_COUNTRIES));
        a.allowedCountries().forEach(countries::add);
        o.set(name(KeySpec.Attribute.ALLOWANCES), writeAllowances(a.allowances()));
        o.set(QUOTA, a.quota().<JsonNode>map(q -> MAPPER.createObjectNode().put("calls", q.calls())
                .put("period", q.period().name().toLowerCase(Locale.ROOT))).orElse(MAPPER.nullNode()));
        o.put("legacy", key.legacy());
        o.set("quota_remaining", key.quotaRemaining().isPresent()
                ? MAPPER.getNodeFactory().numberNode(key.quotaRemaining().getAsLong()) : MAPPER.nullNode());
        o.set(RATE_LIMIT, a.rateLimit().<JsonNode>map(r -> MAPPER.createObjectNode().put("requests", r.requests())
                .put("period_seconds", r.period().toSeconds())).orElse(MAPPER.nullNode()));
        ObjectNode metadata = o.putObject(name(KeySpec.Attribute.METADATA));
        a.metadata().forEach(metadata::put);
        return o;
    }

    /**
     * {@return the attributes alone, as a create body that {@link #readSpec} reads back: every attribute, absent ones
     * null} ({@code apikey export}'s {@code attributes})
     *
     * @param a the attributes
     */
    public static ObjectNode writeSpec(KeySpec a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put(name(KeySpec.Attribute.NAME), a.name());
        o.put(name(KeySpec.Attribute.TENANT_ID), a.tenantId().orElse(null));
        ArrayNode scopes = o.putArray(name(KeySpec.Attribute.SCOPES));
        a.scopes().forEach(scopes::add);
        o.put(name(KeySpec.Attribute.EXPIRES_AT), text(a.expiresAt().orElse(null)));
        o.put(name(KeySpec.Attribute.ENVIRONMENT), a.environment().orElse(null));
        o.put(name(KeySpec.Attribute.OWNER), a.owner().orElse(null));
        o.put(name(KeySpec.Attribute.ROTATE_BY), text(a.rotateBy().orElse(null)));
        ArrayNode addresses = o.putArray(name(KeySpec.Attribute.ALLOWED_ADDRESSES));
        a.allowedAddresses().forEach(addresses::add);
        ArrayNode countries = o.putArray(name(KeySpec.Attribute.ALLOWED_COUNTRIES));
        a.allowedCountries().forEach(countries::add);
        o.set(name(KeySpec.Attribute.ALLOWANCES), writeAllowances(a.allowances()));
        ObjectNode metadata = o.putObject(name(KeySpec.Attribute.METADATA));
        a.metadata().forEach(metadata::put);
        return o;
    }

    /**
     * {@return allowances as a JSON array: {@code {"name", "kind": "rate", "limit", "period_seconds"}} or
     * {@code {"name", "kind": "quota", "limit", "period": "day" | "month"}}}
     *
     * @param allowances the allowances
     */
    public static ArrayNode writeAllowances(List<Allowance> allowances) {
        ArrayNode out = MAPPER.createArrayNode();
        for (Allowance allowance : allowances) {
            ObjectNode o = out.addObject().put("name", allowance.name());
            if (allowance instanceof RateLimit r) {
                o.put("kind", "rate").put("limit", r.requests()).put("period_seconds", r.period().toSeconds());
            } else if (allowance instanceof Quota q) {
                o.put("kind", "quota").put("limit", q.calls()).put("period", q.period().name().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /**
     * {@return a tenant's record: {@code {"tenant_id", "status": "active" | "suspended", "plan_scopes": [...],
     * "max_live_keys", "allowances": [...], "allowed_countries": [...], "version"}}; a tenant without one is active,
     * with no plan ({@code []}), the default cap ({@code null}), no allowances, no countries and version {@code null}}
     *
     * @param tenantId the tenant
     * @param tenant   its record, or {@code null} if it has none
     */
    public static ObjectNode writeTenant(String tenantId, Tenant tenant) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("tenant_id", tenantId);
        o.put(TENANT_STATUS, (tenant == null ? Tenant.Status.ACTIVE : tenant.status()).name().toLowerCase(Locale.ROOT));
        ArrayNode plan = o.putArray(TENANT_PLAN);
        if (tenant != null) {
            tenant.planScopes().forEach(plan::add);
        }
        if (tenant == null || tenant.maxLiveKeys() == 0) {
            o.putNull(TENANT_CAP);
        } else {
            o.put(TENANT_CAP, tenant.maxLiveKeys());
        }
        o.set("allowances", writeAllowances(tenant == null ? List.of() : tenant.allowances()));
        ArrayNode countries = o.putArray(TENANT_COUNTRIES);
        if (tenant != null) {
            tenant.allowedCountries().forEach(countries::add);
        }
        if (tenant == null) {
            o.putNull("version");
        } else {
            o.put("version", tenant.version());
        }
        return o;
    }

    /**
     * Reads the body that sets a tenant's shared allowances: {@code {"allowances": [...]}}, as {@link #readTenant}
     * with {@code allowances} required.
     *
     * @param body the body, a JSON object
     * @return the allowances (empty: none)
     * @throws JsonRefusal naming the member at fault and its rule
     */
    public static List<Allowance> readTenantAllowances(JsonNode body) {
        TenantChange change = readTenant(body);
        if (change.allowances() == null) {
            throw JsonRefusal.invalid("allowances", "allowances is required (an empty array removes them)");
        }
        return change.allowances();
    }

    /** The members of a tenant's record beyond its allowances. */
    private static final String TENANT_COUNTRIES = "allowed_countries";
    private static final String TENANT_STATUS = "status";
    private static final String TENANT_PLAN = "plan_scopes";
    private static final String TENANT_CAP = "max_live_keys";

    /**
     * What a tenant body changes; a member it leaves out is {@code null} (left as it is).
     *
     * @param allowances       the shared allowances, or {@code null}
     * @param allowedCountries the countries (upper case), or {@code null}
     * @param status           the status, or {@code null}
     * @param planScopes       the plan's scopes (empty: no plan), or {@code null}
     * @param maxLiveKeys      the cap of live keys (0: the default), or {@code null}
     */
    public record TenantChange(List<Allowance> allowances, Set<String> allowedCountries, Tenant.Status status,
            Set<String> planScopes, Integer maxLiveKeys) {

        /**
         * {@return the record with this change's members applied, each with the record's own check}
         *
         * @param tenant the record as it is (an empty, active one for a tenant without)
         * @throws IllegalArgumentException if a member breaks the record's rule
         */
        public Tenant applyTo(Tenant tenant) {
            Tenant t = tenant;
            if (allowances != null) {
                t = t.withAllowances(allowances);
            }
            if (allowedCountries != null) {
                t = t.withAllowedCountries(allowedCountries);
            }
            if (status != null) {
                t = t.withStatus(status);
            }
            if (planScopes != null) {
                t = t.withPlanScopes(planScopes);
            }
            if (maxLiveKeys != null) {
                t = t.withMaxLiveKeys(maxLiveKeys);
            }
            return t;
        }
    }

    /**
     * Reads the body that changes a tenant's record: any of {@code {"status": "active" | "suspended", "plan_scopes":
     * [...], "max_live_keys": n | null, "allowances": [...], "allowed_countries": [...]}}, at least one, nothing else;
     * an empty array removes the tenant's plan, allowances or countries, a {@code null} cap is the default.
     *
     * @param body the body, a JSON object
     * @return what it changes
     * @throws JsonRefusal naming the member at fault and its rule
     */
    public static TenantChange readTenant(JsonNode body) {
        requireObject(body);
        Set<String> members = Set.of("allowances", TENANT_COUNTRIES, TENANT_STATUS, TENANT_PLAN, TENANT_CAP);
        onlyKnown(body, members);
        if (members.stream().noneMatch(body::has)) {
            throw JsonRefusal.invalid("allowances", "one of allowances, allowed_countries, status, plan_scopes or "
                    + "max_live_keys is required (an empty array removes them)");
        }
        List<Allowance> allowances = body.has("allowances") ? readAllowances(body.get("allowances"), "allowances")
                : null;
        // Each member is checked by the record's own rule, on a stand-in tenant: the rules are said once, in the core.
        Tenant standIn = new Tenant("t", List.of(), 1);
        Set<String> countries = null;
        Tenant.Status status = null;
        Set<String> plan = null;
        Integer cap = null;
        try {
            if (body.has(TENANT_COUNTRIES)) {
                countries = standIn.withAllowedCountries(textList(body.get(TENANT_COUNTRIES), TENANT_COUNTRIES, false))
                        .allowedCountries();
            }
            if (body.has(TENANT_PLAN)) {
                plan = standIn.withPlanScopes(textList(body.get(TENANT_PLAN), TENANT_PLAN, false)).planScopes();
            }
        } catch (IllegalArgumentException e) {
            throw JsonRefusal.invalid(body.has(TENANT_PLAN) && e.getMessage().startsWith("planScopes") ? TENANT_PLAN
                    : TENANT_COUNTRIES, jsonNames(e.getMessage()));
        }
        if (body.has(TENANT_STATUS)) {
            JsonNode n = body.get(TENANT_STATUS);
            if (!n.isTextual() || !Set.of("active", "suspended").contains(n.textValue())) {
                throw JsonRefusal.invalid(TENANT_STATUS, "status must be \"active\" or \"suspended\"");
            }
            status = Tenant.Status.valueOf(n.textValue().toUpperCase(Locale.ROOT));
        }
        if (body.has(TENANT_CAP)) {
            JsonNode n = body.get(TENANT_CAP);
            if (n.isNull()) {
                cap = 0;
            } else if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1
                    || n.intValue() > Tenant.MAX_LIVE_KEYS) {
                throw JsonRefusal.invalid(TENANT_CAP, "max_live_keys must be a whole number from 1 to "
                        + Tenant.MAX_LIVE_KEYS + ", or null for the default");
            } else {
                cap = n.intValue();
            }
        }
        return new TenantChange(allowances, countries, status, plan, cap);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /**
     * Reads a create body: {@code name} and {@code scopes} required; any other attribute optional ({@code null} is
     * absent); {@code rate_limit} and {@code quota} are read as allowances too.
     *
     * @param body the body, a JSON object
     * @return the spec
     * @throws JsonRefusal naming the member at fault and its rule
     */
    public static KeySpec readSpec(JsonNode body) {
        requireObject(body);
        onlyKnown(body, members(true));
        String name = requiredText(body, name(KeySpec.Attribute.NAME));
        if (!present(body, name(KeySpec.Attribute.SCOPES))) {
            throw JsonRefusal.invalid("scopes", "scopes is required");
        }
        try {
            KeySpec.Builder b = KeySpec.builder(name);
            read(body, b, false);
            return b.build();
        } catch (IllegalStateException e) {
            throw JsonRefusal.invalid("scopes", "scopes must hold at least one scope");
        } catch (JsonRefusal e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw JsonRefusal.invalid(fieldOf(e.getMessage()), jsonNames(e.getMessage()));
        }
    }

    /**
     * Reads an edit body: any attribute but the tenant; a member set to {@code null} clears it (no expiry, no
     * owner, ...), a collection replaces the key's. {@code rate_limit} and {@code quota} replace the key's allowance
     * of that kind in {@code current} and leave the other ({@code null}: remove it).
     *
     * @param body    the body, a JSON object
     * @param current the key's attributes now, for {@code rate_limit} and {@code quota}
     * @return the update
     * @throws JsonRefusal naming the member at fault and its rule
     */
    public static KeyUpdate readUpdate(JsonNode body, KeySpec current) {
        requireObject(body);
        onlyKnown(body, members(false));
        KeyUpdate.Builder b = KeyUpdate.builder();
        boolean legacy = body.has(RATE_LIMIT) || body.has(QUOTA);
        if (legacy && body.has(name(KeySpec.Attribute.ALLOWANCES))) {
            throw JsonRefusal.invalid("allowances", "give allowances, or rate_limit and quota, not both");
        }
        read(body, b, true);
        if (legacy) {
            List<Allowance> kept = new ArrayList<>();
            for (Allowance a : current.allowances()) {
                if (!(a instanceof RateLimit && body.has(RATE_LIMIT)) && !(a instanceof Quota && body.has(QUOTA))) {
                    kept.add(a);
                }
            }
            try {
                b.allowances(kept);
            } catch (IllegalArgumentException e) {
                throw JsonRefusal.invalid("allowances", jsonNames(e.getMessage()));
            }
            legacyAllowances(body, b);
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw JsonRefusal.invalid(null, "the body must change at least one of "
                    + String.join(", ", new TreeSet<>(members(false))));
        } catch (IllegalArgumentException e) {
            throw JsonRefusal.invalid(fieldOf(e.getMessage()), jsonNames(e.getMessage()));
        }
    }

    /** The members a create ({@code withTenant}) or an edit takes. */
    private static Set<String> members(boolean withTenant) {
        Set<String> known = new TreeSet<>();
        for (KeySpec.Attribute a : KeySpec.Attribute.values()) {
            if (withTenant || a != KeySpec.Attribute.TENANT_ID) {
                known.add(name(a));
            }
        }
        known.add(RATE_LIMIT);
        known.add(QUOTA);
        return known;
    }

    /** Sets every attribute the body holds; in a patch, {@code null} clears it. */
    private static <B extends KeySpec.Setters<B>> void read(JsonNode body, B b, boolean patch) {
        for (KeySpec.Attribute attribute : KeySpec.Attribute.values()) {
            String field = name(attribute);
            if (!body.has(field) || !patch && body.get(field).isNull()) {
                continue;
            }
            JsonNode n = body.get(field);
            try {
                switch (attribute) {
                    case NAME -> b.name(requiredText(body, field));
                    case TENANT_ID -> b.tenantId(text(body, field));
                    case SCOPES -> b.scopes(textList(n, field, true));
                    case EXPIRES_AT -> b.expiresAt(n.isNull() ? null : instant(field, text(body, field)));
                    case ENVIRONMENT -> b.environment(n.isNull() ? null : text(body, field));
                    case OWNER -> b.owner(n.isNull() ? null : text(body, field));
                    case ROTATE_BY -> b.rotateBy(n.isNull() ? null : instant(field, text(body, field)));
                    case METADATA -> b.metadata(metadata(n, field));
                    case ALLOWED_ADDRESSES -> b.allowedAddresses(textList(n, field, false));
                    case ALLOWED_COUNTRIES -> b.allowedCountries(textList(n, field, false));
                    case ALLOWANCES -> b.allowances(readAllowances(n, field));
                    default -> throw new AssertionError(attribute);
                }
            } catch (JsonRefusal e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw JsonRefusal.invalid(field, jsonNames(e.getMessage()));
            }
        }
        if (!patch) {
            legacyAllowances(body, b);
        }
    }

    /** {@code rate_limit} and {@code quota}, the one-of-each members of before allowances. */
    private static void legacyAllowances(JsonNode body, KeySpec.Setters<?> b) {
        try {
            if (present(body, RATE_LIMIT)) {
                b.allowance(legacyRateLimit(body.get(RATE_LIMIT)));
            }
            if (present(body, QUOTA)) {
                b.allowance(legacyQuota(body.get(QUOTA)));
            }
        } catch (JsonRefusal e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw JsonRefusal.invalid("allowances", jsonNames(e.getMessage()));
        }
    }

    /**
     * Reads allowances written by {@link #writeAllowances}.
     *
     * @param n     the array
     * @param field the member it came from, for refusals
     * @return the allowances
     * @throws JsonRefusal if an element breaks its rule
     */
    public static List<Allowance> readAllowances(JsonNode n, String field) {
        if (n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw JsonRefusal.invalid(field, field + " must be an array of allowance objects");
        }
        List<Allowance> out = new ArrayList<>();
        for (JsonNode e : n) {
            String kind = e.path("kind").asText("");
            boolean rate = kind.equals("rate");
            if (!e.isObject() || !(rate || kind.equals("quota"))) {
                throw JsonRefusal.invalid(field, field + " must hold objects of kind \"rate\" or \"quota\"");
            }
            Set<String> members = rate ? RATE_MEMBERS : QUOTA_MEMBERS;
            for (Iterator<String> it = e.fieldNames(); it.hasNext();) {
                String member = it.next();
                if (!members.contains(member)) {
                    throw JsonRefusal.invalid(field, field + ": a " + kind + " takes " + String.join(", ",
                            new TreeSet<>(members)) + ", not '" + cut(member) + "'");
                }
            }
            long limit = wholeNumber(e.get("limit"));
            Allowance a;
            try {
                if (rate) {
                    long seconds = wholeNumber(e.get("period_seconds"));
                    if (seconds < 1 || seconds > Duration.ofDays(1).toSeconds()) {
                        throw JsonRefusal.invalid(field, field + ": a rate needs period_seconds of 1 to 86400");
                    }
                    a = new RateLimit(limit, Duration.ofSeconds(seconds));
                } else {
                    String period = e.path("period").asText("");
                    if (!period.equals("day") && !period.equals("month")) {
                        throw JsonRefusal.invalid(field, field + ": a quota needs a period of \"day\" or \"month\"");
                    }
                    a = period.equals("day") ? Quota.perDay(limit) : Quota.perMonth(limit);
                }
                if (e.has("name")) {
                    if (!e.get("name").isTextual()) {
                        throw JsonRefusal.invalid(field, field + ": name must be a string");
                    }
                    a = a.named(e.get("name").textValue());
                }
            } catch (JsonRefusal x) {
                throw x;
            } catch (IllegalArgumentException x) {
                throw JsonRefusal.invalid(field, field + ": " + x.getMessage());
            }
            out.add(a);
        }
        return out;
    }

    /** A whole number that fits a long, or -1 (which every rule refuses): 2^64 + 1 must not read as 1. */
    private static long wholeNumber(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.longValue() : -1;
    }

    private static Quota legacyQuota(JsonNode n) {
        if (!n.isObject() || n.size() != 2 || !n.path("calls").isIntegralNumber() || !n.path("period").isTextual()
                || !(n.get("period").textValue().equals("day") || n.get("period").textValue().equals("month"))) {
            throw JsonRefusal.invalid(QUOTA, "quota must be {\"calls\": n, \"period\": \"day\" or \"month\"}");
        }
        long calls = wholeNumber(n.get("calls"));
        if (calls < 1 || calls > 1_000_000_000_000L) {
            throw JsonRefusal.invalid(QUOTA, "quota needs calls of 1 to 1000000000000");
        }
        return n.get("period").textValue().equals("day") ? Quota.perDay(calls) : Quota.perMonth(calls);
    }

    private static RateLimit legacyRateLimit(JsonNode n) {
        if (!n.isObject() || n.size() != 2 || !n.path("requests").isIntegralNumber()
                || !n.path("period_seconds").isIntegralNumber()) {
            throw JsonRefusal.invalid(RATE_LIMIT, "rate_limit must be {\"requests\": n, \"period_seconds\": s}");
        }
        long requests = wholeNumber(n.get("requests"));
        long seconds = wholeNumber(n.get("period_seconds"));
        if (requests < 1 || requests > 1_000_000_000L || seconds < 1 || seconds > Duration.ofDays(1).toSeconds()) {
            throw JsonRefusal.invalid(RATE_LIMIT,
                    "rate_limit needs requests of 1 to 1000000000 and period_seconds of 1 to 86400");
        }
        return new RateLimit(requests, Duration.ofSeconds(seconds));
    }

    /**
     * Reads a date ({@code 2027-01-01}, midnight UTC) or an instant ({@code 2027-01-01T00:00:00Z}).
     *
     * @param field the member, for the refusal
     * @param text  the text
     * @return the instant
     * @throws JsonRefusal if it is neither
     */
    public static Instant instant(String field, String text) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeException e) {
            throw JsonRefusal.invalid(field, field + " must be a date (2027-01-01) or an instant (2027-01-01T00:00:00Z)");
        }
    }

    private static Map<String, String> metadata(JsonNode n, String field) {
        if (n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw JsonRefusal.invalid(field, field + " must be an object of strings");
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw JsonRefusal.invalid(field, field + "." + cut(e.getKey()) + " must be a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw JsonRefusal.malformed("the body must be a JSON object");
        }
    }

    private static void onlyKnown(JsonNode body, Set<String> known) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!known.contains(field)) {
                throw JsonRefusal.invalid(null, "unknown field '" + cut(field) + "'; this endpoint takes "
                        + String.join(", ", known));
            }
        }
    }

    private static boolean present(JsonNode body, String field) {
        return body.has(field) && !body.get(field).isNull();
    }

    private static String requiredText(JsonNode body, String field) {
        if (!present(body, field)) {
            throw JsonRefusal.invalid(field, field + " is required");
        }
        return text(body, field);
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (!n.isTextual()) {
            throw JsonRefusal.invalid(field, field + " must be a string");
        }
        return n.textValue();
    }

    private static List<String> textList(JsonNode n, String field, boolean required) {
        if (n == null || n.isNull()) {
            if (required) {
                throw JsonRefusal.invalid(field, field + " is required");
            }
            return List.of();
        }
        if (!n.isArray()) {
            throw JsonRefusal.invalid(field, field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw JsonRefusal.invalid(field, field + " must be an array of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** The JSON name of the Java name a core message starts with, or {@code null}. */
    private static String fieldOf(String message) {
        String json = jsonNames(message);
        int end = 0;
        while (end < json.length() && (Character.isLetter(json.charAt(end)) || json.charAt(end) == '_')) {
            end++;
        }
        String first = json.substring(0, end);
        for (KeySpec.Attribute a : KeySpec.Attribute.values()) {
            if (name(a).equals(first)) {
                return first;
            }
        }
        return null;
    }

    private static String cut(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
