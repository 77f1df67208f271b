package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.ApiKeys;
import dev.apikey.IssuedKey;
import dev.apikey.KeyManager;
import dev.apikey.json.KeyJson;
import dev.apikey.model.ApiKeyException;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.ExpiryBeyondCallerException;
import dev.apikey.model.KeyAlreadyRotatedException;
import dev.apikey.model.KeyChangedException;
import dev.apikey.model.KeyLimitReachedException;
import dev.apikey.model.KeyNotActiveException;
import dev.apikey.model.KeyNotFoundException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.OwnKeyException;
import dev.apikey.model.Scope;
import dev.apikey.model.ScopeNotGrantableException;
import dev.apikey.model.StaleVersionException;
import dev.apikey.model.TooManyCreatesException;
import dev.apikey.model.UnknownScopeException;
import dev.apikey.spi.KeyStoreException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API: a servlet a host mounts under a path of its choice (e.g. {@code /admin/api-keys/*}) to let
 * tenants' admins manage their keys. JSON in and out, RFC 9457 problems for every refusal, {@code Cache-Control:
 * no-store} on every answer. Who may manage which keys is the host's {@link CallerResolver}; without one every
 * call is refused with 403. A key of a tenant the caller may not manage is answered 404, as if it did not exist.
 *
 * <pre>{@code
 * AdminApi api = AdminApi.builder(apiKeys)
 *         .callers(CallerResolver.containerUserInRole("apikey-admin"))
 *         .origins("https://admin.example.com").build();
 * ServletHolder holder = new ServletHolder(api);
 * holder.setAsyncSupported(true);   // bodies read under their deadline without holding a thread
 * context.addServlet(holder, "/admin/api-keys/*");
 * }</pre>
 *
 * <p>Endpoints, relative to the mount (docs/ADMIN.md has them with curl examples): {@code GET /scopes},
 * {@code GET /me} (the caller's actor, tenants and the scopes it may grant), {@code GET /keys} (sorted, filtered and paged by the store), {@code POST /keys}, {@code GET /keys/{id}}, {@code PATCH /keys/{id}},
 * {@code POST /keys/{id}/rotate}, {@code POST /keys/{id}/revoke}, {@code POST /keys/{id}/disable},
 * {@code POST /keys/{id}/enable}, {@code POST /imports} (keys from JSON lines or CSV, {@link ImportEndpoint}),
 * {@code GET /keys/{id}/events} and {@code GET /events} (the history of a key, and of
 * the caller's tenants' keys: {@link EventListing}), {@code GET /keys/{id}/usage} and {@code GET /usage} (verify
 * counts, {@link UsageEndpoints}), {@code GET /anomalies} and {@code GET /keys/{id}/anomalies} (open anomalies,
 * {@link AnomalyEndpoints}), {@code GET /tenants/{id}}, {@code PUT /tenants/{id}}, {@code POST /tenants/{id}/suspend}
 * and {@code POST /tenants/{id}/resume} (a tenant's record, {@link TenantEndpoint}: read by its
 * admins, changed only by a caller that manages every tenant), {@code GET} and {@code POST /tenants/{id}/webhooks} and
 * {@code DELETE /tenants/{id}/webhooks/{webhookId}} (a tenant's webhook endpoints, {@link WebhookEndpoints}), and
 * {@code GET /openapi.yaml} (this API's OpenAPI 3.1
 * document, {@code docs/openapi/admin-api.yaml}, to anyone). The plaintext of a key is in the answer to its
 * create or rotate only. A request that changes something must be {@code application/json} (a cross-site form
 * cannot send that without the browser asking first, which this API never allows) and, if it names an
 * {@code Origin}, come from the API's own origin: one of {@link Builder#origins} if configured (then a request
 * naming another {@code Host} is refused with 421), else the request's own. Bodies are parsed by {@link KeyJson}
 * and read under {@link BodyLimits}; at most {@link Builder#maxConcurrentStoreCalls} store calls run at once; a
 * list page is filtered, sorted and cut by the store ({@link ApiKeys#listPage}).
 *
 * <p>Thread-safe.
 */
public final class AdminApi extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("dev.apikey.admin.audit");
    private static final ObjectMapper JSON = AdminJson.MAPPER;

    /** Largest request body read. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** The state changes that take an empty body: {@code POST /keys/{id}/<switch>}. */
    private static final java.util.Set<String> SWITCHES = java.util.Set.of("revoke", "disable", "enable");

    private final transient ApiKeys apiKeys;
    private final transient CallerResolver callers;
    private final transient Origins origins;
    private final transient BodyReader bodies;
    private final transient String problemTypeBase;
    /** The bulkhead: store calls this API makes at once, so that management never takes what verification needs. */
    private final transient Semaphore storeCalls;
    private final transient int maxStoreCalls;
    /** Tenants' webhook endpoints, or {@code null} if the host enabled none. */
    private final transient dev.apikey.webhooks.TenantWebhooks webhooks;

    private AdminApi(Builder b) {
        this.apiKeys = b.apiKeys;
        this.callers = b.callers;
        this.origins = b.origins;
        this.problemTypeBase = b.problemTypeBase;
        this.bodies = new BodyReader(b.bodyLimits, b.problemTypeBase);
        this.maxStoreCalls = b.maxStoreCalls;
        this.webhooks = b.webhooks;
        this.storeCalls = new Semaphore(b.maxStoreCalls);
        if (callers == null) {
            LOG.warn("admin API without a CallerResolver: every call is refused with 403; configure one with "
                    + "AdminApi.builder(apiKeys).callers(CallerResolver.containerUserInRole(\"apikey-admin\")) or "
                    + "CallerResolver.apiKeyWithScope(apiKeys, \"keys:manage\")");
        }
    }

    /**
     * {@return a builder for the API over these keys}
     *
     * @param apiKeys the keys to manage
     */
    public static Builder builder(ApiKeys apiKeys) {
        return new Builder(apiKeys);
    }

    /** Configures an {@link AdminApi}. Not thread-safe. */
    public static final class Builder {
        private final ApiKeys apiKeys;
        private CallerResolver callers;
        private Origins origins = Origins.FROM_REQUEST;
        private BodyLimits bodyLimits = BodyLimits.defaults();
        private String problemTypeBase = dev.apikey.ProblemTypes.DEFAULT_BASE;
        private int maxStoreCalls = 4;
        private dev.apikey.webhooks.TenantWebhooks webhooks;

        private Builder(ApiKeys apiKeys) {
            this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        }

        /**
         * Who may manage which keys.
         *
         * @param resolver maps a request to a caller
         * @return this builder
         */
        public Builder callers(CallerResolver resolver) {
            this.callers = Objects.requireNonNull(resolver, "callers");
            return this;
        }

        /**
         * The base of every problem's {@code type}, followed by its code, e.g. {@code https://docs.example.com/errors/}
         * to point clients at the host's own error pages; default {@value dev.apikey.ProblemTypes#DEFAULT_BASE}. The
         * {@code code} member is the stable identifier either way.
         *
         * @param base the base ({@link dev.apikey.ProblemTypes#requireBase})
         * @return this builder
         * @throws IllegalArgumentException naming the rule the base breaks
         */
        public Builder problemTypeBase(String base) {
            this.problemTypeBase = dev.apikey.ProblemTypes.requireBase(base);
            return this;
        }

        /**
         * The origins the API is served at, e.g. {@code https://admin.example.com}: a request whose {@code Host}
         * header names none of them is refused with 421 {@code host_not_allowed}, and a change whose {@code Origin}
         * is none of them with 403 {@code cross_origin}. Without this, the API's own origin is the request's scheme,
         * {@code Host} and port as the container reports them (no defence against DNS rebinding); set it wherever the
         * API is reachable by a name.
         *
         * @param origins one or more of {@code http} or {@code https}{@code ://host[:port]}, no path
         * @return this builder
         * @throws IllegalArgumentException naming the first origin that breaks that rule, or if there are none
         */
        public Builder origins(String... origins) {
            this.origins = Origins.of(List.of(Objects.requireNonNull(origins, "origins")));
            return this;
        }

        /**
         * How long and how slowly a client may send a body, and how many may send at once; default
         * {@link BodyLimits#defaults()}.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder bodyLimits(BodyLimits limits) {
            this.bodyLimits = Objects.requireNonNull(limits, "bodyLimits");
            return this;
        }

        /**
         * The most calls into the key store this API makes at once (default 4): past it a call is answered 503
         * {@code admin_busy} with {@code Retry-After}, so that management never holds the connections verification
         * needs. Keep it well under the store's pool size.
         *
         * @param calls 1 to 64
         * @return this builder
         * @throws IllegalArgumentException if calls is out of that range
         */
        public Builder maxConcurrentStoreCalls(int calls) {
            if (calls < 1 || calls > 64) {
                throw new IllegalArgumentException("maxConcurrentStoreCalls must be 1 to 64, was " + calls);
            }
            this.maxStoreCalls = calls;
            return this;
        }

        /**
         * Lets tenants' admins register webhook endpoints for their tenant's key events ({@code GET}, {@code POST
         * /tenants/{id}/webhooks}, {@code DELETE /tenants/{id}/webhooks/{webhookId}}); without it those answer 404.
         *
         * @param registry the tenants' endpoints, the same one the host's {@code WebhookChannel} delivers to
         * @return this builder
         */
        public Builder webhooks(dev.apikey.webhooks.TenantWebhooks registry) {
            this.webhooks = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** {@return the API servlet} */
        public AdminApi build() {
            return new AdminApi(this);
        }
    }

    /** Stops the timer that answers bodies past their deadline. */
    @Override
    public void destroy() {
        bodies.close();
        super.destroy();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        Caller[] caller = new Caller[1];
        guarded(resp, () -> {
            origins.requireHost(req);
            if (OpenApiDocument.asked(req)) {
                OpenApiDocument.answer(req, resp);
            } else {
                caller[0] = caller(req);
            }
        });
        if (caller[0] == null) {
            return;
        }
        String method = req.getMethod();
        if (method.equals("POST") || method.equals("PATCH") || method.equals("PUT")) {
            // Read under the body limits before anything else: a slow sender holds no store call and no thread.
            bodies.read(req, resp, ImportEndpoint.asked(req) ? ImportEndpoint.MAX_BYTES : MAX_BODY_BYTES,
                    body -> answer(req, resp, caller[0], body));
        } else {
            answer(req, resp, caller[0], null);
        }
    }

    /** Routes a request whose body (if any) is read, within the bulkhead. */
    private void answer(HttpServletRequest req, HttpServletResponse resp, Caller caller, byte[] body)
            throws IOException {
        if (!storeCalls.tryAcquire()) {
            resp.setHeader("Retry-After", "1");
            problem(resp, new AdminProblem(503, "admin_busy", "Admin API busy", "more than " + maxStoreCalls
                    + " admin calls are in progress; try again shortly"));
            return;
        }
        try {
            guarded(resp, () -> route(req, resp, caller, body));
        } finally {
            storeCalls.release();
        }
    }

    /** A step of answering a request. */
    private interface Step {
        void run() throws IOException;
    }

    /** Runs a step, answering each refusal and failure as its problem. */
    private void guarded(HttpServletResponse resp, Step step) throws IOException {
        try {
            step.run();
        } catch (AdminProblem p) {
            problem(resp, p);
        } catch (KeyNotFoundException e) {
            problem(resp, AdminProblem.notFound(e.keyId()));
        } catch (UnknownScopeException e) {
            problem(resp, new AdminProblem(422, "unknown_scope", "Unknown scope", e.getMessage()));
        } catch (UnsupportedOperationException e) {
            problem(resp, new AdminProblem(501, "not_supported", "Not supported by this store", e.getMessage()));
        } catch (ScopeNotGrantableException e) {
            problem(resp, AdminProblem.notGrantable(e.scopes(), e.getMessage()));
        } catch (dev.apikey.model.ScopeNotInPlanException e) {
            problem(resp, AdminProblem.notInPlan(e.scopes(), e.getMessage()));
        } catch (ExpiryBeyondCallerException e) {
            problem(resp, AdminProblem.forbidden("expiry_beyond_caller", "Expiry beyond the caller's", "expires_at",
                    e.getMessage()));
        } catch (OwnKeyException e) {
            problem(resp, new AdminProblem(403, "own_key", "Own key", e.getMessage()));
        } catch (StaleVersionException e) {
            problem(resp, new AdminProblem(412, "precondition_failed", "Key changed since it was read",
                    e.getMessage() + " (If-Match \"" + e.expected() + "\", ETag now \"" + e.actual() + "\")"));
        } catch (KeyLimitReachedException e) {
            problem(resp, new AdminProblem(409, "key_limit_reached", "Key limit reached", e.getMessage()));
        } catch (TooManyCreatesException e) {
            resp.setHeader("Retry-After", Long.toString(AdminProblem.seconds(e.retryAfter())));
            problem(resp, new AdminProblem(429, "too_many_creates", "Too many creates", e.getMessage()));
        } catch (KeyChangedException e) {
            problem(resp, new AdminProblem(409, "key_changed", "Key changed meanwhile", e.getMessage()));
        } catch (KeyNotActiveException | KeyAlreadyRotatedException e) {
            problem(resp, new AdminProblem(409, "key_not_active", "Key not active", e.getMessage()));
        } catch (dev.apikey.json.JsonRefusal e) {
            problem(resp, AdminProblem.of(e));
        } catch (IllegalArgumentException | IllegalStateException e) {
            problem(resp, AdminProblem.invalid(KeyRequests.jsonNames(e.getMessage())));
        } catch (KeyStoreException e) {
            LOG.warn("admin API: key store failed: {}", e.toString());
            resp.setHeader("Retry-After", "5");
            problem(resp, new AdminProblem(503, "store_unavailable", "Key store unavailable",
                    "the key store did not answer; try again shortly"));
        } catch (ApiKeyException e) {
            problem(resp, AdminProblem.invalid(e.getMessage()));
        }
    }

    private Caller caller(HttpServletRequest req) {
        if (callers == null) {
            throw new AdminProblem(403, "no_caller_resolver", "Admin API not configured",
                    "the host configured no CallerResolver, so no one may manage keys");
        }
        return callers.resolve(req).orElseThrow(() -> new AdminProblem(401, "unauthenticated", "Not authenticated",
                "the admin API needs a caller the host recognises"));
    }

    private void route(HttpServletRequest req, HttpServletResponse resp, Caller caller, byte[] bytes)
            throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        String method = req.getMethod();
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length == 1 && parts[0].equals("scopes")) {
            allow(method, "GET");
            json(resp, 200, scopes());
        } else if (parts.length == 1 && parts[0].equals("me")) {
            allow(method, "GET");
            json(resp, 200, me(caller));
        } else if (parts.length == 1 && parts[0].equals("keys")) {
            if (allow(method, "GET", "POST").equals("GET")) {
                json(resp, 200, KeyListing.list(apiKeys, req, caller));
            } else {
                create(req, resp, caller, bytes);
            }
        } else if (parts.length == 2 && parts[0].equals("keys")) {
            ApiKeyInfo key = manageable(parts[1], caller);
            if (allow(method, "GET", "PATCH").equals("GET")) {
                Preconditions.etag(resp, key);
                json(resp, 200, KeyJson.write(key));
            } else {
                edit(req, resp, caller, key, bytes);
            }
        } else if (parts.length == 3 && parts[0].equals("keys") && parts[2].equals("rotate")) {
            ApiKeyInfo key = manageable(parts[1], caller);
            allow(method, "POST");
            rotate(req, resp, caller, key, bytes);
        } else if (parts.length == 3 && parts[0].equals("keys") && SWITCHES.contains(parts[2])) {
            ApiKeyInfo key = manageable(parts[1], caller);
            allow(method, "POST");
            KeyRequests.noFields(body(req, bytes), parts[2]);
            dev.apikey.KeyManager manager = Preconditions.manager(apiKeys, caller, req);
            ApiKeyInfo after = switch (parts[2]) {
                case "revoke" -> manager.revoke(key.keyId());
                case "disable" -> manager.disable(key.keyId());
                default -> manager.enable(key.keyId());
            };
            audit(caller, parts[2], after);
            Preconditions.etag(resp, after);
            json(resp, 200, KeyJson.write(after));
        } else if (parts.length == 3 && parts[0].equals("keys") && parts[2].equals("events")) {
            ApiKeyInfo key = manageable(parts[1], caller);
            allow(method, "GET");
            json(resp, 200, EventListing.ofKey(apiKeys, req, key));
        } else if (parts.length == 1 && parts[0].equals("imports")) {
            allow(method, "POST");
            requireOwnOrigin(req);
            json(resp, 200, ImportEndpoint.answer(apiKeys, caller, req, bytes));
        } else if (parts.length == 1 && parts[0].equals("events")) {
            allow(method, "GET");
            json(resp, 200, EventListing.list(apiKeys, req, caller));
        } else if (parts.length == 3 && parts[0].equals("keys") && parts[2].equals("usage")) {
            ApiKeyInfo key = manageable(parts[1], caller);
            allow(method, "GET");
            json(resp, 200, UsageEndpoints.key(apiKeys, key, req));
        } else if (parts.length == 1 && parts[0].equals("usage")) {
            allow(method, "GET");
            json(resp, 200, UsageEndpoints.overview(apiKeys, caller, req));
        } else if (parts.length == 3 && parts[0].equals("keys") && parts[2].equals("anomalies")) {
            ApiKeyInfo key = manageable(parts[1], caller);
            allow(method, "GET");
            json(resp, 200, AnomalyEndpoints.key(apiKeys, key, req));
        } else if (parts.length == 1 && parts[0].equals("anomalies")) {
            allow(method, "GET");
            json(resp, 200, AnomalyEndpoints.list(apiKeys, caller, req));
        } else if (parts.length == 2 && parts[0].equals("tenants")) {
            json(resp, 200, new TenantEndpoint(apiKeys).record(method, caller, parts[1], () -> body(req, bytes)));
        } else if ((parts.length == 3 || parts.length == 4) && parts[0].equals("tenants")
                && parts[2].equals("webhooks")) {
            WebhookEndpoints.Answer a = new WebhookEndpoints(webhooks).handle(method, caller, parts[1],
                    parts.length == 4 ? parts[3] : null, () -> body(req, bytes));
            if (a.body() == null) {
                resp.setStatus(a.status());
            } else {
                json(resp, a.status(), a.body());
            }
        } else if (parts.length == 3 && parts[0].equals("tenants") && TenantEndpoint.ACTIONS.contains(parts[2])) {
            json(resp, 200, new TenantEndpoint(apiKeys).action(method, caller, parts[1], parts[2],
                    () -> body(req, bytes)));
        } else {
            throw new AdminProblem(404, "not_found", "Not found", "no admin API endpoint at " + path);
        }
    }

    /** {@code GET /me}: who the host says is calling and which tenants they manage, for the console to show. */
    private JsonNode me(Caller caller) {
        ObjectNode out = JSON.createObjectNode();
        out.put("actor", caller.actor());
        out.put("all_tenants", caller.allTenants());
        ArrayNode tenants = out.putArray("tenants");
        new java.util.TreeSet<>(caller.tenants()).forEach(tenants::add);
        // What the console's scope picker offers; the rest it greys, saying why.
        caller.ceiling().grantable(apiKeys.scopes()).forEach(out.putArray("grantable_scopes")::add);
        if (caller.keyId() != null) {
            out.put("key_id", caller.keyId());
        }
        return out;
    }

    /** The key, if it exists and the caller may manage its tenant; 404 otherwise, whichever it is. */
    private ApiKeyInfo manageable(String keyId, Caller caller) {
        if (!keyId.matches("[0-9A-Za-z]{8}")) {
            throw AdminProblem.notFound(keyId.length() > 16 ? keyId.substring(0, 16) + "..." : keyId);
        }
        return apiKeys.get(keyId).filter(k -> caller.mayManage(k.attributes().tenantId().orElse(null)))
                .orElseThrow(() -> AdminProblem.notFound(keyId));
    }

    static String allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return a;
            }
        }
        throw AdminProblem.methodNotAllowed(method, allowed);
    }

    private JsonNode scopes() {
        ArrayNode list = JSON.createArrayNode();
        for (Scope s : apiKeys.scopes().scopes()) {
            list.addObject().put("name", s.name()).put("description", s.description())
                    .put("kind", s.kind().name().toLowerCase(Locale.ROOT));
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("scopes", list);
        return out;
    }

    private void create(HttpServletRequest req, HttpServletResponse resp, Caller caller, byte[] bytes)
            throws IOException {
        KeySpec spec = KeyJson.readSpec(body(req, bytes));
        String tenant = spec.tenantId().orElse(null);
        if (!caller.mayManage(tenant)) {
            throw new AdminProblem(403, "tenant_not_managed", "Tenant not managed",
                    tenant == null ? "tenant_id is required: this caller manages only its own tenants' keys"
                            : "this caller may not manage keys of tenant " + tenant);
        }
        IssuedKey issued = Preconditions.manager(apiKeys, caller, req).create(spec);
        audit(caller, "create", issued.info());
        json(resp, 201, issuedAnswer(issued));
    }

    private void rotate(HttpServletRequest req, HttpServletResponse resp, Caller caller, ApiKeyInfo key,
            byte[] bytes) throws IOException {
        Duration overlap = KeyRequests.overlap(body(req, bytes));
        IssuedKey issued = Preconditions.manager(apiKeys, caller, req).rotate(key.keyId(), overlap);
        audit(caller, "rotate", key);
        ObjectNode out = issuedAnswer(issued);
        out.put("replaces", key.keyId());
        json(resp, 201, out);
    }

    private void edit(HttpServletRequest req, HttpServletResponse resp, Caller caller, ApiKeyInfo key,
            byte[] bytes) throws IOException {
        JsonNode body = body(req, bytes);
        KeyUpdate update = KeyJson.readUpdate(body, key.attributes());
        KeyManager manager = Preconditions.manager(apiKeys, caller, req);
        ApiKeyInfo after;
        String ifMatch = req.getHeader("If-Match");
        if ((body.has("rate_limit") || body.has("quota")) && (ifMatch == null || ifMatch.strip().equals("*"))) {
            // The new allowance list keeps the other kind's allowances as they were read: written only over that
            // read, else 409 (a concurrent edit of the allowances is never silently undone).
            try {
                after = manager.ifVersion(key.version()).update(key.keyId(), update);
            } catch (StaleVersionException e) {
                throw new KeyChangedException(key.keyId(), "edited");
            }
        } else {
            after = manager.update(key.keyId(), update);
        }
        audit(caller, "edit", after);
        Preconditions.etag(resp, after);
        json(resp, 200, KeyJson.write(after));
    }

    private static ObjectNode issuedAnswer(IssuedKey issued) {
        ObjectNode out = JSON.createObjectNode();
        // The one answer that carries the plaintext; it is never retrievable again.
        out.put("api_key", issued.plaintext());
        out.set("key", KeyJson.write(issued.info()));
        return out;
    }

    /**
     * The JSON body of a request that changes something, read already: its content type and origin checked first.
     * An empty body reads as {@code {}}.
     */
    private JsonNode body(HttpServletRequest req, byte[] bytes) {
        requireOwnOrigin(req);
        String type = req.getContentType();
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new AdminProblem(415, "unsupported_media_type", "Unsupported media type",
                    "the body must be application/json");
        }
        if (bytes == null || bytes.length == 0) {
            return JSON.createObjectNode();
        }
        JsonNode node = AdminJson.parse(bytes, "a JSON object");
        if (!node.isObject()) {
            throw AdminProblem.badRequest("the body must be a JSON object");
        }
        return node;
    }

    /** Changes come from this API's own origin only. */
    private void requireOwnOrigin(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        if (origin != null && !origins.isOwn(origin, req)) {
            throw new AdminProblem(403, "cross_origin", "Cross-origin request refused",
                    "requests that change keys must come from this API's own origin");
        }
    }

    static Instant instant(String field, String text) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeException e) {
            throw AdminProblem.invalid(field + " must be a date (2027-01-01) or an instant (2027-01-01T00:00:00Z)");
        }
    }

    private static void audit(Caller caller, String action, ApiKeyInfo key) {
        AUDIT.info("event=admin_{} actor=\"{}\" key={} tenant={}", action, caller.actor(), key.hint(),
                key.attributes().tenantId().orElse(null));
    }

    private static void json(HttpServletResponse resp, int status, JsonNode body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        JSON.writeValue(resp.getOutputStream(), body);
    }

    private void problem(HttpServletResponse resp, AdminProblem p) throws IOException {
        p.write(resp, problemTypeBase);
    }
}
