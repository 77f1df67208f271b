package dev.apikey.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A refusal of the admin API, answered as an RFC 9457 problem: its status, a code from docs/ADMIN.md and a
 * detail that names the field and the rule. Carries no secret.
 */
final class AdminProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = AdminJson.MAPPER;

    final int status;
    final String code;
    final String title;
    /** The methods to name in {@code Allow} (405 only), or {@code null}. */
    final String allow;
    /** The request member at fault, as the JSON names it, or {@code null}. */
    final String field;
    /** The request header at fault, or {@code null}. */
    final String header;
    /** The scopes a {@code scope_not_grantable} or {@code scope_not_in_plan} names, or {@code null}. */
    final java.util.List<String> scopes;
    /** The seconds of {@code Retry-After}, or -1 for none. */
    final long retryAfterSeconds;

    AdminProblem(int status, String code, String title, String detail) {
        this(status, code, title, detail, null);
    }

    private AdminProblem(int status, String code, String title, String detail, String allow) {
        this(status, code, title, detail, allow, null);
    }

    private AdminProblem(int status, String code, String title, String detail, String allow, String field) {
        this(status, code, title, detail, allow, field, null, null);
    }

    private AdminProblem(int status, String code, String title, String detail, String allow, String field,
            String header, java.util.List<String> scopes) {
        this(status, code, title, detail, allow, field, header, scopes, -1);
    }

    private AdminProblem(int status, String code, String title, String detail, String allow, String field,
            String header, java.util.List<String> scopes, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.allow = allow;
        this.field = field;
        this.header = header;
        this.scopes = scopes;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * {@return the verify's own refusal of a caller's key, as the filter answers it}: its status, code, title and
     * detail, and {@code Retry-After} (whole seconds, at least 1) when the refusal has one
     */
    static AdminProblem refused(dev.apikey.model.Verification v) {
        dev.apikey.model.Failure failure = v.failure().orElseThrow();
        long retryAfter = v.retryAfter().map(AdminProblem::seconds).orElse(-1L);
        return new AdminProblem(failure.httpStatus(), failure.code(), failure.title(),
                v.detail().orElse(failure.detail()), null, null, null, null, retryAfter);
    }

    /** {@return a wait as {@code Retry-After} gives it: whole seconds, rounded up, at least 1} */
    static long seconds(java.time.Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /** {@return a 400 {@code malformed_request}: the request's key headers cannot be used, as the filter says} */
    static AdminProblem malformedKeyHeaders(dev.apikey.model.KeyHeaderFault fault) {
        dev.apikey.model.Failure failure = dev.apikey.model.Failure.MALFORMED_REQUEST;
        return new AdminProblem(failure.httpStatus(), failure.code(), failure.title(), fault.detail());
    }

    /** {@return a 403 {@code scope_not_grantable}: the scopes over the caller's ceiling, in {@code scopes}} */
    static AdminProblem notGrantable(java.util.List<String> scopes, String detail) {
        return new AdminProblem(403, "scope_not_grantable", "Scope not grantable", detail, null, "scopes", null,
                java.util.List.copyOf(scopes));
    }

    /** {@return a 403 {@code scope_not_in_plan}: the scopes beyond the tenant's plan, in {@code scopes}} */
    static AdminProblem notInPlan(java.util.List<String> scopes, String detail) {
        return new AdminProblem(403, "scope_not_in_plan", "Scope not in the tenant's plan", detail, null, "scopes",
                null, java.util.List.copyOf(scopes));
    }

    /** {@return a 403 naming the request member at fault in {@code field}} */
    static AdminProblem forbidden(String code, String title, String field, String detail) {
        return new AdminProblem(403, code, title, detail, null, field);
    }

    /** {@return a 400 naming the request header at fault in {@code header}} */
    static AdminProblem badHeader(String header, String detail) {
        return new AdminProblem(400, "malformed_request", "Malformed request", detail, null, null, header, null);
    }

    /** {@return the problem for a body the codec refused: 400 if it is not JSON within the limits, else 422} */
    static AdminProblem of(dev.apikey.json.JsonRefusal refusal) {
        return refusal.malformed() ? badRequest(refusal.getMessage())
                : new AdminProblem(422, "invalid_field", "Invalid field", refusal.getMessage(), null, refusal.field());
    }

    /**
     * Writes this problem as {@code application/problem+json}, with {@code Allow} on a 405.
     *
     * @param typeBase what the code is appended to for {@code type} ({@link dev.apikey.ProblemTypes})
     */
    void write(HttpServletResponse resp, String typeBase) throws IOException {
        if (allow != null) {
            resp.setHeader("Allow", allow);
        }
        if (retryAfterSeconds >= 0) {
            resp.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        ObjectNode body = JSON.createObjectNode();
        // The same type URIs as ApiKeyFilter's problems: the base and the code; the code is the stable identifier.
        body.put("type", typeBase + code);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        body.put("code", code);
        if (field != null) {
            body.put("field", field);
        }
        if (header != null) {
            body.put("header", header);
        }
        if (scopes != null) {
            scopes.forEach(body.putArray("scopes")::add);
        }
        resp.setStatus(status);
        resp.setContentType("application/problem+json");
        resp.setCharacterEncoding("UTF-8");
        JSON.writeValue(resp.getOutputStream(), body);
    }

    static AdminProblem methodNotAllowed(String method, String... allowed) {
        String list = String.join(", ", allowed);
        return new AdminProblem(405, "method_not_allowed", "Method not allowed",
                method + " is not allowed here; allowed: " + list, list);
    }

    static AdminProblem badRequest(String detail) {
        return new AdminProblem(400, "malformed_request", "Malformed request", detail);
    }

    static AdminProblem invalid(String detail) {
        return new AdminProblem(422, "invalid_field", "Invalid field", detail);
    }

    /** A 422 that names the member or query parameter at fault in {@code field}, for a client to show beside it. */
    static AdminProblem invalid(String field, String detail) {
        return new AdminProblem(422, "invalid_field", "Invalid field", detail, null, field);
    }

    static AdminProblem notFound(String keyId) {
        return new AdminProblem(404, "key_not_found", "Key not found", "no key " + keyId);
    }
}
