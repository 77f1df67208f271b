package dev.apikey.servlet;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.Problem;
import dev.apikey.model.Quota;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The connectivity check integrators call first ({@code GET /api/v1/whoami}, declared as an
 * {@code authenticated} route): the calling key's hint, tenant, name, scopes and expiry, as JSON. Never the
 * secret.
 */
public final class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** A servlet with no settings; mount it at the path of an {@code authenticated} route. */
    public WhoAmIServlet() {
        super();
    }

    /**
     * The key's quota and the calls left, when the context holds the {@link ApiKeys} (attribute
     * {@link ApiKeyFilter#API_KEYS_ATTRIBUTE}) and the key has a quota: one store read per call.
     */
    private String quota(ApiKeyPrincipal p) {
        Object apiKeys = getServletContext().getAttribute(ApiKeyFilter.API_KEYS_ATTRIBUTE);
        if (!(apiKeys instanceof ApiKeys)) {
            return "";
        }
        return ((ApiKeys) apiKeys).get(p.keyId()).filter(k -> k.attributes().quota().isPresent()).map(k -> {
            Quota q = k.attributes().quota().orElseThrow();
            return ",\"quota\":{\"calls\":" + q.calls() + ",\"period\":"
                    + Json.quote(q.period().name().toLowerCase(java.util.Locale.ROOT)) + "},\"quota_remaining\":"
                    + (k.quotaRemaining().isPresent() ? Long.toString(k.quotaRemaining().getAsLong()) : "null");
        }).orElse("");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object attribute = request.getAttribute(ApiKeyFilter.PRINCIPAL_ATTRIBUTE);
        if (!(attribute instanceof ApiKeyPrincipal)) {
            ApiKeyProblems.write(response, Problem.of(Failure.MISSING_API_KEY, Failure.MISSING_API_KEY.detail()), "api",
                    ApiKeyProblems.DEFAULT_TYPE_BASE);
            return;
        }
        ApiKeyPrincipal p = (ApiKeyPrincipal) attribute;
        // Field names from docs/JSON.md, shared with the CLI's --json and the problem answers.
        String body = "{\"key_id\":" + Json.quote(p.keyId()) + ",\"hint\":" + Json.quote(p.hint())
                + ",\"tenant_id\":" + Json.quote(p.tenantId().orElse(null)) + ",\"name\":" + Json.quote(p.name())
                + ",\"scopes\":" + Json.array(p.scopes()) + ",\"expires_at\":"
                + Json.quote(p.expiresAt().map(Object::toString).orElse(null)) + quota(p) + "}";
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
