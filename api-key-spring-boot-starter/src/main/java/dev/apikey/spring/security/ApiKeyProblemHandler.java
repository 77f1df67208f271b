package dev.apikey.spring.security;

import dev.apikey.model.Failure;
import dev.apikey.model.Verification;
import dev.apikey.servlet.ApiKeyProblems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Spring Security's refusals answered as {@code ApiKeyFilter} answers them, by the filter's own writer
 * ({@link ApiKeyProblems}): RFC 9457 problems with the same codes, bodies and headers. No key:
 * {@code missing_api_key} (401). A denied {@code hasAuthority("SCOPE_x")} (in a chain or in {@code @PreAuthorize}):
 * {@code insufficient_scope} naming {@code x} (403). A tenant rule of
 * {@link ApiKeyAuthorization}: {@code tenant_mismatch}. A request no rule of {@link ApiKeyRouteRules} names, with a
 * key or without: {@code not_found} (404) or {@code method_not_allowed} (405, with {@code Allow}). A request the
 * firewall rejects: {@code non_canonical_path}.
 */
public final class ApiKeyProblemHandler implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private final String realm;
    private final String problemTypeBase;
    private final ApiKeyProblems problems;

    /**
     * A handler naming this realm in {@code WWW-Authenticate}, with the default problem type base.
     *
     * @param realm the realm, e.g. {@code api}
     */
    public ApiKeyProblemHandler(String realm) {
        this(realm, ApiKeyProblems.DEFAULT_TYPE_BASE);
    }

    /**
     * A handler naming this realm in {@code WWW-Authenticate}, each problem's {@code type} made from this base.
     *
     * @param realm           the realm, e.g. {@code api}
     * @param problemTypeBase the base of each problem's {@code type}, followed by its code (property
     *                        {@code apikey.problem-type-base})
     * @throws IllegalArgumentException if the base breaks {@link dev.apikey.ProblemTypes#requireBase(String)}'s rule
     */
    public ApiKeyProblemHandler(String realm, String problemTypeBase) {
        this.realm = Objects.requireNonNull(realm, "realm");
        this.problemTypeBase = dev.apikey.ProblemTypes.requireBase(problemTypeBase);
        this.problems = ApiKeyProblems.of(realm, this.problemTypeBase);
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        // Without a key, a route that does not exist is still 404 (or 405), as in the filter: not missing_api_key.
        ApiKeyRouteRules.NoRoute noRoute = e.getCause() instanceof AccessDeniedException denied ? noRouteOf(denied)
                : null;
        if (noRoute != null) {
            problems.sendNoRoute(response, noRoute.allowed());
            return;
        }
        problems.send(response, Failure.MISSING_API_KEY);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        ApiKeyRouteRules.NoRoute noRoute = noRouteOf(e);
        if (noRoute != null) {
            problems.sendNoRoute(response, noRoute.allowed());
            return;
        }
        Verification refusal = refusalOf(e);
        if (refusal == null) {
            // A rule that names no scope (a role, say): the failure's own text.
            problems.send(response, Failure.INSUFFICIENT_SCOPE);
        } else {
            problems.send(response, refusal);
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        problems.send(response, Failure.NON_CANONICAL_PATH);
    }

    private static ApiKeyRouteRules.NoRoute noRouteOf(AccessDeniedException e) {
        return e instanceof AuthorizationDeniedException denied
                && denied.getAuthorizationResult() instanceof ApiKeyRouteRules.NoRoute noRoute ? noRoute : null;
    }

    /** The refusal an access denial stands for: the rule's own, the scope its authority names, or {@code null}. */
    static Verification refusalOf(AccessDeniedException e) {
        // A key that holds the scope but whose tenant's plan does not include it: said as verify says it.
        org.springframework.security.core.Authentication auth =
                org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
        return Denials.refusalOf(e, auth instanceof ApiKeyAuthentication key ? key.getPrincipal() : null);
    }

    /** {@return the realm named in {@code WWW-Authenticate}} */
    String realm() {
        return realm;
    }

    /** {@return the base of each problem's {@code type}} */
    String problemTypeBase() {
        return problemTypeBase;
    }

    @Override
    public String toString() {
        return "ApiKeyProblemHandler[" + realm + ", " + problemTypeBase + "]";
    }
}
