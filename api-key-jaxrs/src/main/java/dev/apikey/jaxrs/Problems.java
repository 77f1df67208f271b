package dev.apikey.jaxrs;

import dev.apikey.model.Allowance;
import dev.apikey.model.Failure;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Verification;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The refusals of {@link ApiKeyRequestFilter}, answered as api-key-servlet's {@code ApiKeyProblems} answers them
 * (same status, headers and body, member by member): RFC 9457 {@code application/problem+json}, {@code
 * WWW-Authenticate} on 401, {@code Retry-After} (and {@code RateLimit}, {@code RateLimit-Policy} on 429),
 * {@code Cache-Control: no-store}. Only text from the failure table and declared scope names go in; nothing from
 * the request. Immutable.
 */
final class Problems {

    private final String realm;
    private final String typeBase;

    Problems(String realm, String typeBase) {
        this.realm = realm;
        this.typeBase = typeBase;
    }

    /** A refused verification, with its detail, missing scope and retry time. */
    Response of(Verification refused) {
        Failure f = refused.failure().orElseThrow();
        return build(f, refused.detail().orElse(f.detail()), refused.retryAfter().orElse(null),
                refused.allowance().orElse(null), refused.missingScope().orElse(null));
    }

    /** A refusal decided before any verification (a malformed header, a key in the URL). */
    Response of(Failure failure, String detail) {
        return build(failure, detail, null, null, null);
    }

    private Response build(Failure f, String detail, Duration retryAfter, Allowance allowance, String missingScope) {
        int status = f.httpStatus();
        String code = f.code();
        Response.ResponseBuilder r = Response.status(status).header("Cache-Control", "no-store");
        if (status == 401) {
            String challenge = "Bearer realm=" + Json.quote(realm);
            if (!Failure.MISSING_API_KEY.code().equals(code)) {
                challenge += ", error=\"invalid_token\"";
            }
            r.header("WWW-Authenticate", challenge);
        }
        Long seconds = retryAfter == null ? null : Math.max(1, retryAfter.toSeconds());
        if (seconds != null) {
            r.header("Retry-After", Long.toString(seconds));
            if (status == 429) {
                // The allowance that refused, by name (names are [a-z0-9-]: safe in a quoted header value).
                String name = allowance == null ? "default" : allowance.name();
                r.header("RateLimit", "\"" + name + "\";r=0;t=" + seconds);
                if (allowance instanceof RateLimit rateLimit) {
                    r.header("RateLimit-Policy", "\"" + name + "\";q=" + rateLimit.requests() + ";w="
                            + rateLimit.period().toSeconds());
                }
            }
        }
        String body = "{\"type\":" + Json.quote(typeBase + code) + ",\"title\":" + Json.quote(f.title())
                + ",\"status\":" + status + ",\"detail\":" + Json.quote(detail) + ",\"code\":" + Json.quote(code)
                + ",\"resolution\":" + Json.quote(f.resolution())
                + (missingScope == null ? "" : ",\"missing_scope\":" + Json.quote(missingScope))
                + (seconds == null ? "" : ",\"retry_after\":" + seconds) + "}";
        // Bytes with the charset in the type: no message body writer of the host's can re-encode or re-format it.
        return r.entity(body.getBytes(StandardCharsets.UTF_8)).type("application/problem+json;charset=UTF-8")
                .build();
    }

    @Override
    public String toString() {
        return "Problems[" + realm + ", " + typeBase + "]";
    }
}
