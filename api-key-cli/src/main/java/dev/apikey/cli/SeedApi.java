package dev.apikey.cli;

import dev.apikey.model.ScopeCatalog;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The seed API: the scopes the command knows, the demo's routes, and the servlet that answers them. */
final class SeedApi {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder()
            .scope("events:read", "Read events")
            .scope("webhooks:write", "Manage webhook subscriptions")
            .scope("integrations:read", "Find integration clients")
            .scope("integrations:write", "Push leads")
            .scope("keys:manage", "Manage this tenant's API keys (the console at /admin/)")
            .superScope("admin", "Everything, including test events")
            .build();

    static final List<String> ROUTES = List.of(
            "GET /api/v1/events -> events:read",
            "POST /api/v1/webhooks/subscriptions -> webhooks:write",
            "POST /api/v1/events/test -> admin",
            "GET /api/v1/integrations/clients/find -> integrations:read",
            "POST /api/v1/integrations/leads -> integrations:write",
            "GET /api/v1/whoami -> authenticated",
            "GET /health -> public");

    private SeedApi() {
    }

    /** Answers every seed route with a small JSON document. */
    static final class Endpoints extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
            String body;
            switch (path) {
                case "/health":
                    body = "{\"status\":\"up\"}";
                    break;
                case "/api/v1/events":
                    body = "{\"events\":[{\"id\":\"evt_1\",\"type\":\"lead.created\"}]}";
                    break;
                case "/api/v1/integrations/clients/find":
                    body = "{\"clients\":[]}";
                    break;
                default:
                    body = "{\"accepted\":true}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            resp.setStatus(req.getMethod().equals("POST") ? 202 : 200);
            resp.setContentType("application/json");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }
}
