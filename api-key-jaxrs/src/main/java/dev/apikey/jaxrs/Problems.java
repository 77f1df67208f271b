package dev.apikey.jaxrs;

import dev.apikey.model.Failure;
import dev.apikey.model.Problem;
import dev.apikey.model.Verification;
import jakarta.ws.rs.core.Response;

/**
 * The refusals of {@link ApiKeyRequestFilter} as Jakarta REST responses: the core's {@link Problem} (status,
 * headers, RFC 9457 body), which api-key-servlet's {@code ApiKeyProblems} writes too, so both answer byte for byte
 * alike. Immutable.
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
        return response(Problem.of(refused));
    }

    /** A refusal decided before any verification (a malformed header, a key in the URL). */
    Response of(Failure failure, String detail) {
        return response(Problem.of(failure, detail));
    }

    private Response response(Problem problem) {
        Response.ResponseBuilder r = Response.status(problem.status());
        problem.headers(realm).forEach(r::header);
        // Bytes with the charset in the type: no message body writer of the host's can re-encode or re-format it.
        return r.entity(problem.body(typeBase)).type(Problem.MEDIA_TYPE + ";charset=UTF-8").build();
    }

    @Override
    public String toString() {
        return "Problems[" + realm + ", " + typeBase + "]";
    }
}
