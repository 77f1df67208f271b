package dev.apikey.servlet;

import dev.apikey.model.ApiKeyPrincipal;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The seed API the tests protect: its routes, and servlets that say who called. */
final class SeedApi {

    static final List<String> ROUTES = List.of(
            "GET /api/v1/events -> events:read",
            "POST /api/v1/webhooks/subscriptions -> webhooks:write",
            "POST /api/v1/events/test -> admin",
            "GET /api/v1/integrations/clients/find -> integrations:read",
            "POST /api/v1/integrations/leads -> integrations:write",
            "GET /api/v1/tenants/{tenantId}/events -> events:read",
            "GET /api/v1/whoami -> authenticated",
            "GET /health -> public",
            "GET /public/forward -> public",
            "GET /public/async -> public",
            "GET /public/fail -> public");

    private SeedApi() {
    }

    /** Answers 200 "ok <key id> <isUserInRole(events:read)> <auth type>" for any method. */
    static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Object principal = req.getAttribute(ApiKeyFilter.PRINCIPAL_ATTRIBUTE);
            String who = principal instanceof ApiKeyPrincipal p ? p.keyId() : "anonymous";
            String body = "ok " + who + " " + req.isUserInRole("events:read") + " " + req.getAuthType() + " "
                    + (req.getUserPrincipal() == null ? "-" : req.getUserPrincipal().getName());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            resp.setStatus(200);
            resp.setContentType("text/plain");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }

    /** A public page that dispatches asynchronously to a protected one: the ASYNC dispatch must be checked. */
    static final class Async extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            req.startAsync().dispatch("/api/v1/events");
        }
    }

    /** A public page that fails; the container's error page for 500 is a protected route. */
    static final class Fail extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.sendError(500);
        }
    }

    /** A public page that forwards to a protected one: the filter must check the forward too. */
    static final class Forward extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            req.getRequestDispatcher("/api/v1/events").forward(req, resp);
        }
    }
}
