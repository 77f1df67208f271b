package dev.apikey.gateway;

import dev.apikey.model.Failure;
import dev.apikey.model.Problem;
import dev.apikey.model.Verification;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * The gateway's refusals: the core's {@link Problem} (status, headers, RFC 9457 body), which api-key-servlet's
 * {@code ApiKeyProblems} and the Jakarta REST filter write too, so that all answer byte for byte alike. Immutable.
 */
final class GatewayProblems {

    /** The content type, with the charset, as the servlet container writes the servlet filter's. */
    static final String CONTENT_TYPE = Problem.MEDIA_TYPE + ";charset=UTF-8";

    private final String realm;
    private final String typeBase;

    GatewayProblems(String realm, String typeBase) {
        this.realm = realm;
        this.typeBase = typeBase;
    }

    /** A refused verification, with its detail, missing scope and retry time. */
    Mono<Void> send(ServerHttpResponse response, Verification refused) {
        return write(response, Problem.of(refused));
    }

    /** A refusal decided before any verification (a malformed header, a key in the URL, overload). */
    Mono<Void> send(ServerHttpResponse response, Failure failure, String detail) {
        return write(response, Problem.of(failure, detail));
    }

    private Mono<Void> write(ServerHttpResponse response, Problem problem) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(HttpStatusCode.valueOf(problem.status()));
        problem.headers(realm).forEach(response.getHeaders()::set);
        byte[] body = problem.body(typeBase);
        response.getHeaders().set("Content-Type", CONTENT_TYPE);
        response.getHeaders().setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    @Override
    public String toString() {
        return "GatewayProblems[" + realm + ", " + typeBase + "]";
    }
}
