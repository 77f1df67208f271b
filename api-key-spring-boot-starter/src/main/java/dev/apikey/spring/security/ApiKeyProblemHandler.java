package dev.apikey.spring.security;

import dev.apikey.Failure;
import dev.apikey.Verification;
import dev.apikey.servlet.ApiKeyProblems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Spring Security's refusals answered as {@code ApiKeyFilter} answers them: RFC 9457 problems with the same codes,
 * bodies and headers. No key: {@code missing_api_key} (401). A denied {@code hasAuthority("SCOPE_x")} (in a chain or
 * in {@code @PreAuthorize}): {@code insufficient_scope} naming {@code x} (403). A tenant rule of
 * {@link ApiKeyAuthorization}: {@code tenant_mismatch}. A request no rule of {@link ApiKeyRouteRules} names, with a
 * key or without: {@code not_found} (404) or {@code method_not_allowed} (405, with {@code Allow}). A request the
 * firewall rejects: {@code non_canonical_path}.
 */
public final class ApiKeyProblemHandler implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private static final Pattern SCOPE = Pattern.compile("SCOPE_([A-Za-z0-9:._*-]+)");

    // The filter's words, fixed text only (ProblemParityTest compares the two answers byte for byte).
    private static final String NOT_FOUND = "{\"type\":\"https://apikey.dev/problems/not_found\","
            + "\"title\":\"Not found\",\"status\":404,\"detail\":\"No API route matches this method and path.\","
            + "\"code\":\"not_found\",\"resolution\":\"Check the method and path against the API reference.\"}";
    private static final String METHOD_NOT_ALLOWED = "{\"type\":\"https://apikey.dev/problems/method_not_allowed\","
            + "\"title\":\"Method not allowed\",\"status\":405,"
            + "\"detail\":\"This path exists, but not for this method.\",\"code\":\"method_not_allowed\","
            + "\"resolution\":\"Use one of the methods in the Allow header.\"}";

    private final String realm;

    /**
     * A handler naming this realm in {@code WWW-Authenticate}.
     *
     * @param realm the realm, e.g. {@code api}
     */
    public ApiKeyProblemHandler(String realm) {
        this.realm = Objects.requireNonNull(realm, "realm");
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        // Without a key, a route that does not exist is still 404 (or 405), as in the filter: not missing_api_key.
        ApiKeyRouteRules.NoRoute noRoute = e.getCause() instanceof AccessDeniedException denied ? noRouteOf(denied)
                : null;
        if (noRoute != null) {
            sendNoRoute(response, noRoute);
            return;
        }
        ApiKeyProblems.send(response, Failure.MISSING_API_KEY, Failure.MISSING_API_KEY.detail(), realm);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        ApiKeyRouteRules.NoRoute noRoute = noRouteOf(e);
        if (noRoute != null) {
            sendNoRoute(response, noRoute);
            return;
        }
        Verification refusal = refusalOf(e);
        if (refusal == null) {
            // A rule that names no scope (a role, say): the failure's own text.
            ApiKeyProblems.send(response, Failure.INSUFFICIENT_SCOPE, Failure.INSUFFICIENT_SCOPE.detail(), realm);
        } else {
            ApiKeyProblems.send(response, refusal, realm);
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        ApiKeyProblems.send(response, Failure.NON_CANONICAL_PATH, Failure.NON_CANONICAL_PATH.detail(), realm);
    }

    private static ApiKeyRouteRules.NoRoute noRouteOf(AccessDeniedException e) {
        return e instanceof AuthorizationDeniedException denied
                && denied.getAuthorizationResult() instanceof ApiKeyRouteRules.NoRoute noRoute ? noRoute : null;
    }

    /** 404 {@code not_found} or 405 {@code method_not_allowed} with {@code Allow}, as {@code ApiKeyFilter} answers. */
    private static void sendNoRoute(HttpServletResponse response, ApiKeyRouteRules.NoRoute noRoute) throws IOException {
        boolean notFound = noRoute.allowed().isEmpty();
        int status = notFound ? 404 : 405;
        String body = notFound ? NOT_FOUND : METHOD_NOT_ALLOWED;
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if (!notFound) {
            response.setHeader("Allow", String.join(", ", noRoute.allowed()));
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The refusal an access denial stands for: the rule's own, the scope its authority names, or {@code null}. */
    static Verification refusalOf(AccessDeniedException e) {
        AuthorizationResult result = e instanceof AuthorizationDeniedException
                ? ((AuthorizationDeniedException) e).getAuthorizationResult() : null;
        if (result instanceof ApiKeyAuthorization.Refusal) {
            return ((ApiKeyAuthorization.Refusal) result).refusal();
        }
        String scope = null;
        if (result instanceof AuthorityAuthorizationDecision) {
            for (GrantedAuthority a : ((AuthorityAuthorizationDecision) result).getAuthorities()) {
                if (a.getAuthority() != null && a.getAuthority().startsWith("SCOPE_")) {
                    scope = a.getAuthority().substring("SCOPE_".length());
                    break;
                }
            }
        } else if (result instanceof ExpressionAuthorizationDecision) {
            Matcher m = SCOPE.matcher(((ExpressionAuthorizationDecision) result).getExpression().getExpressionString());
            if (m.find()) {
                scope = m.group(1);
            }
        }
        return scope != null ? Verification.insufficientScope(scope) : null;
    }

    @Override
    public String toString() {
        return "ApiKeyProblemHandler[" + realm + "]";
    }
}
