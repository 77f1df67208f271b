package dev.apikey.model;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An RFC 9457 {@code application/problem+json} answer to a refusal, as every HTTP adapter writes it (the servlet
 * filter, the Spring integration, Jakarta REST): the status, the headers ({@code Cache-Control}, {@code Allow},
 * {@code WWW-Authenticate}, {@code Retry-After}, {@code RateLimit}, {@code RateLimit-Policy}) and the body (type,
 * title, status, detail, code, resolution, missing scope, retry after). Written once here, so that adapters answer
 * byte for byte alike. Only text from the failure table (and host-declared scope and allowance names) goes in,
 * escaped; nothing from the request.
 *
 * <p>Immutable and thread-safe.
 */
public final class Problem {

    /** The media type of a problem body. */
    public static final String MEDIA_TYPE = "application/problem+json";

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

    /**
     * The answer to a refused verification: its failure, detail, missing scope, retry time and allowance.
     *
     * @param refused a refused verification
     * @return the problem
     * @throws java.util.NoSuchElementException if the verification was granted
     */
    public static Problem of(Verification refused) {
        Failure f = refused.failure().orElseThrow();
        return new Problem(f.httpStatus(), f.code(), f.title(), refused.detail().orElse(f.detail()), f.resolution(),
                refused.retryAfter().orElse(null), refused.allowance().orElse(null),
                refused.missingScope().orElse(null), null);
    }

    /**
     * The answer to a refusal decided without a verification (a malformed header, a key in the URL).
     *
     * @param failure the failure
     * @param detail  the detail to send
     * @return the problem
     */
    public static Problem of(Failure failure, String detail) {
        return new Problem(failure.httpStatus(), failure.code(), failure.title(), detail, failure.resolution(), null,
                null, null, null);
    }

    /** {@return the answer to a path no route names} */
    public static Problem notFound() {
        return new Problem(404, "not_found", "Not found", "No API route matches this method and path.",
                "Check the method and path against the API reference.", null, null, null, null);
    }

    /**
     * The answer to a path whose routes do not name the method.
     *
     * @param allowed the methods the path allows, for the {@code Allow} header
     * @return the problem
     */
    public static Problem methodNotAllowed(Collection<String> allowed) {
        return new Problem(405, "method_not_allowed", "Method not allowed",
                "This path exists, but not for this method.", "Use one of the methods in the Allow header.", null,
                null, null, String.join(", ", allowed));
    }

    /** {@return the HTTP status} */
    public int status() {
        return status;
    }

    /** {@return the failure code} */
    public String code() {
        return code;
    }

    /**
     * The answer's headers but the content type, in the order to set them.
     *
     * @param realm the realm of the {@code WWW-Authenticate} challenge of a 401
     * @return header name to value
     */
    public Map<String, String> headers(String realm) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        if (allow != null) {
            headers.put("Allow", allow);
        }
        if (status == 401) {
            String challenge = "Bearer realm=" + json(realm);
            if (!Failure.MISSING_API_KEY.code().equals(code)) {
                challenge += ", error=\"invalid_token\"";
            }
            headers.put("WWW-Authenticate", challenge);
        }
        if (retryAfter != null) {
            long seconds = retryAfterSeconds();
            headers.put("Retry-After", Long.toString(seconds));
            if (status == 429) {
                // The allowance that refused, by name (names are [a-z0-9-]: safe in a quoted header value).
                String name = allowance == null ? "default" : allowance.name();
                headers.put("RateLimit", "\"" + name + "\";r=0;t=" + seconds);
                if (allowance instanceof RateLimit rateLimit) {
                    headers.put("RateLimit-Policy", "\"" + name + "\";q=" + rateLimit.requests() + ";w="
                            + rateLimit.period().toSeconds());
                } else if (allowance instanceof Quota quota) {
                    // A calendar month has no one length: its window is left out (w is optional).
                    headers.put("RateLimit-Policy", "\"" + name + "\";q=" + quota.calls()
                            + (quota.period() == Quota.Period.DAY ? ";w=86400" : ""));
                }
            }
        }
        return headers;
    }

    /**
     * The body, UTF-8.
     *
     * @param typeBase what the {@code type} member starts with; the code follows
     * @return the bytes
     */
    public byte[] body(String typeBase) {
        String body = "{\"type\":" + json(typeBase + code) + ",\"title\":" + json(title)
                + ",\"status\":" + status + ",\"detail\":" + json(detail) + ",\"code\":" + json(code)
                + ",\"resolution\":" + json(resolution)
                + (missingScope == null ? "" : ",\"missing_scope\":" + json(missingScope))
                + (retryAfter == null ? "" : ",\"retry_after\":" + retryAfterSeconds()) + "}";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private long retryAfterSeconds() {
        return Math.max(1, retryAfter.toSeconds());
    }

    /**
     * A JSON string literal, escaped as the problem bodies are: quotes, backslashes, control characters and
     * {@code <>&} (so that a body is safe to embed in HTML); {@code null} becomes {@code null}. For adapters that
     * write a little JSON of their own beside the problems.
     *
     * @param s the text, or {@code null}
     * @return the literal
     */
    public static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                out.append("\\\"");
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029 || c == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @Override
    public String toString() {
        return "Problem[" + status + " " + code + "]";
    }
}
