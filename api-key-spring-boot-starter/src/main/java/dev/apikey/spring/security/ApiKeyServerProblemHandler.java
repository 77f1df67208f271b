package dev.apikey.spring.security;

import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.Problem;
import dev.apikey.model.Verification;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reactive Spring Security's refusals answered as the servlet filter and the servlet chain answer them, from the
 * core's {@link Problem}: the same status, headers ({@code WWW-Authenticate}, {@code Allow}, {@code Retry-After},
 * {@code RateLimit}, {@code RateLimit-Policy}, {@code Cache-Control: no-store}) and RFC 9457 body. No key:
 * {@code missing_api_key}; a denied route scope or {@code hasAuthority("SCOPE_x")} (in a chain or in
 * {@code @PreAuthorize}): {@code insufficient_scope} naming {@code x}; a tenant rule: {@code tenant_mismatch}; a
 * request no route names: {@code not_found} or {@code method_not_allowed}; a path the firewall rejects:
 * {@code non_canonical_path}. The rules of {@link ApiKeyExchangeRules} leave their refusal in the exchange
 * attribute {@link #REFUSAL_ATTRIBUTE}, as reactive Spring Security passes on a bare {@code AccessDeniedException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiKeyServerProblemHandler
        implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler, ServerExchangeRejectedHandler {

    /** The exchange attribute a rule's refusal is left in: a {@link Verification} or an unrouted request's denial. */
    public static final String REFUSAL_ATTRIBUTE = "dev.apikey.refusal";

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyServerProblemHandler.class);
    /** The servlet path's content type, as Tomcat writes it. */
    private static final String CONTENT_TYPE = Problem.MEDIA_TYPE + ";charset=UTF-8";

    private final String realm;
    private final String problemTypeBase;

    /**
     * A handler naming this realm in {@code WWW-Authenticate}, each problem's {@code type} made from this base.
     *
     * @param realm           the realm, e.g. {@code api}
     * @param problemTypeBase the base of each problem's {@code type}, followed by its code
     * @throws IllegalArgumentException if the base breaks {@link dev.apikey.ProblemTypes#requireBase(String)}'s rule
     */
    public ApiKeyServerProblemHandler(String realm, String problemTypeBase) {
        this.realm = Objects.requireNonNull(realm, "realm");
        this.problemTypeBase = dev.apikey.ProblemTypes.requireBase(problemTypeBase);
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException e) {
        // Without a key, a route that does not exist is still 404 (or 405), as in the filter: not missing_api_key.
        if (exchange.getAttribute(REFUSAL_ATTRIBUTE) instanceof ApiKeyRouteRules.NoRoute noRoute) {
            return write(exchange, noRoute(noRoute));
        }
        return write(exchange, Problem.of(Failure.MISSING_API_KEY, Failure.MISSING_API_KEY.detail()));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException e) {
        Object left = exchange.getAttribute(REFUSAL_ATTRIBUTE);
        if (left instanceof ApiKeyRouteRules.NoRoute noRoute) {
            return write(exchange, noRoute(noRoute));
        }
        Verification refusal = left instanceof Verification v ? v : Denials.refusalOf(e,
                exchange.getAttribute(ApiKeyWebFilter.PRINCIPAL_ATTRIBUTE) instanceof ApiKeyPrincipal key ? key : null);
        return write(exchange, refusal != null ? Problem.of(refusal)
                : Problem.of(Failure.INSUFFICIENT_SCOPE, Failure.INSUFFICIENT_SCOPE.detail()));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException e) {
        return write(exchange, Problem.of(Failure.NON_CANONICAL_PATH, Failure.NON_CANONICAL_PATH.detail()));
    }

    private static Problem noRoute(ApiKeyRouteRules.NoRoute noRoute) {
        return noRoute.allowed().isEmpty() ? Problem.notFound() : Problem.methodNotAllowed(noRoute.allowed());
    }

    /**
     * Answers with a problem: status, content type, its headers and body, over whatever the response held.
     *
     * @param exchange the exchange
     * @param problem  the answer
     * @return completion of the write; nothing is written if the response is committed already (logged at warn)
     */
    public Mono<Void> write(ServerWebExchange exchange, Problem problem) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            LOG.warn("response already committed; cannot answer {}", problem.status());
            return Mono.empty();
        }
        response.setStatusCode(HttpStatusCode.valueOf(problem.status()));
        HttpHeaders headers = response.getHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE);
        problem.headers(realm).forEach(headers::set);
        byte[] body = problem.body(problemTypeBase);
        headers.setContentLength(body.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    /** {@return the realm named in {@code WWW-Authenticate}} */
    public String realm() {
        return realm;
    }

    /** {@return the base of each problem's {@code type}} */
    public String problemTypeBase() {
        return problemTypeBase;
    }

    @Override
    public String toString() {
        return "ApiKeyServerProblemHandler[" + realm + ", " + problemTypeBase + "]";
    }
}
