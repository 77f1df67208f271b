package dev.apikey.spring.security;

import dev.apikey.Failure;
import dev.apikey.Verification;
import dev.apikey.servlet.ApiKeyProblems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
 * {@link ApiKeyAuthorization}: {@code tenant_mismatch}. A request the firewall rejects: {@code non_canonical_path}.
 */
public final class ApiKeyProblemHandler implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private static final Pattern SCOPE = Pattern.compile("SCOPE_([A-Za-z0-9:._*-]+)");

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
        ApiKeyProblems.send(response, Failure.MISSING_API_KEY, Failure.MISSING_API_KEY.detail(), realm);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
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
