package dev.apikey.servlet;

import dev.apikey.model.Allowance;
import dev.apikey.model.Failure;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Verification;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An RFC 9457 {@code application/problem+json} answer: type, title, status, detail, code, resolution. Only
 * text from the failure table (and host-declared scope names) goes in, escaped; nothing from the request. The
 * {@code type} is the host's type base followed by the code ({@link ApiKeyProblems#DEFAULT_TYPE_BASE} unless the
 * host chose one).
 */
final class Problem {

    private final int status;
    private final String code;
    private final String title;
    private final String detail;
    private final String resolution;
    private final Duration retryAfter;
    private final Allowance allowance;
    private final String missingScope;
    /** For 405: the methods the path allows, for the {@code Allow} header. */
    private final String allow;

    Problem(int status, String code, String title, String detail, String resolution, Duration retryAfter,
            Allowance allowance, String missingScope) {
        this(status, code, title, detail, resolution, retryAfter, allowance, missingScope, null);
    }

    private Problem(int status, String code, String title, String detail, String resolution, Duration retryAfter,
            Allowance allowance, String missingScope, String allow) {
        this.status = status;
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.resolution = resolution;
        this.retryAfter = retryAfter;
        this.allowance = allowance;
        this.missingScope = missingScope;
        this.allow = allow;
    }

    static Problem of(Verification v) {
        Failure f = v.failure().orElseThrow();
        return new Problem(f.httpStatus(), f.code(), f.title(), v.detail().orElse(f.detail()), f.resolution(),
                v.retryAfter().orElse(null), v.allowance().orElse(null), v.missingScope().orElse(null));
    }

    static Problem of(Failure f, String detail) {
        return new Problem(f.httpStatus(), f.code(), f.title(), detail, f.resolution(), null, null, null);
    }

    static Problem notFound() {
        return new Problem(404, "not_found", "Not found", "No API route matches this method and path.",
                "Check the method and path against the API reference.", null, null, null);
    }

    static Problem methodNotAllowed(java.util.Collection<String> allowed) {
        return new Problem(405, "method_not_allowed", "Method not allowed",
                "This path exists, but not for this method.", "Use one of the methods in the Allow header.", null,
                null, null, String.join(", ", allowed));
    }

    void send(HttpServletResponse response, String realm, String typeBase) throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if (allow != null) {
            response.setHeader("Allow", allow);
        }
        if (status == 401) {
            String challenge = "Bearer realm=" + Json.quote(realm);
            if (!Failure.MISSING_API_KEY.code().equals(code)) {
                challenge += ", error=\"invalid_token\"";
            }
            response.setHeader("WWW-Authenticate", challenge);
        }
        if (retryAfter != null) {
            long seconds = Math.max(1, retryAfter.toSeconds());
            response.setHeader("Retry-After", Long.toString(seconds));
            if (status == 429) {
                // The allowance that refused, by name (names are [a-z0-9-]: safe in a quoted header value).
                String name = allowance == null ? "default" : allowance.name();
                response.setHeader("RateLimit", "\"" + name + "\";r=0;t=" + seconds);
                if (allowance instanceof RateLimit rateLimit) {
                    response.setHeader("RateLimit-Policy", "\"" + name + "\";q=" + rateLimit.requests() + ";w="
                            + rateLimit.period().toSeconds());
                }
            }
        }
        String body = "{\"type\":" + Json.quote(typeBase + code) + ",\"title\":" + Json.quote(title)
                + ",\"status\":" + status + ",\"detail\":" + Json.quote(detail) + ",\"code\":" + Json.quote(code)
                + ",\"resolution\":" + Json.quote(resolution)
                + (missingScope == null ? "" : ",\"missing_scope\":" + Json.quote(missingScope))
                + (retryAfter == null ? "" : ",\"retry_after\":" + Math.max(1, retryAfter.toSeconds())) + "}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
