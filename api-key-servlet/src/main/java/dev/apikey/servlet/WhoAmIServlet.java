package dev.apikey.servlet;

import dev.apikey.ApiKeyPrincipal;
import dev.apikey.Failure;
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

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object attribute = request.getAttribute(ApiKeyFilter.PRINCIPAL_ATTRIBUTE);
        if (!(attribute instanceof ApiKeyPrincipal)) {
            Problem.of(Failure.MISSING_API_KEY, Failure.MISSING_API_KEY.detail()).send(response, "api");
            return;
        }
        ApiKeyPrincipal p = (ApiKeyPrincipal) attribute;
        // Field names from docs/JSON.md, shared with the CLI's --json and the problem answers.
        String body = "{\"key_id\":" + Json.quote(p.keyId()) + ",\"hint\":" + Json.quote(p.hint())
                + ",\"tenant_id\":" + Json.quote(p.tenantId().orElse(null)) + ",\"name\":" + Json.quote(p.name())
                + ",\"scopes\":" + Json.array(p.scopes()) + ",\"expires_at\":"
                + Json.quote(p.expiresAt().map(Object::toString).orElse(null)) + "}";
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
