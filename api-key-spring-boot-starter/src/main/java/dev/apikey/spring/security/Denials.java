package dev.apikey.spring.security;

import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Verification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.core.GrantedAuthority;

/**
 * What a Spring Security denial says about the key, for the servlet and the reactive problem handlers alike: the
 * refusal of an {@link ApiKeyAuthorization} rule, or {@code insufficient_scope} for the {@code SCOPE_} authority a
 * denied {@code hasAuthority} (in a chain or in {@code @PreAuthorize}) names. Free of servlet types, so that a
 * reactive application without the servlet API loads it.
 */
final class Denials {

    private static final Pattern SCOPE = Pattern.compile("SCOPE_([A-Za-z0-9:._*-]+)");

    private Denials() {
    }

    /**
     * The refusal an access denial stands for: the rule's own, the scope its authority names, or {@code null}.
     *
     * @param e   the denial
     * @param key the request's granted key, or {@code null}: a scope it holds but its tenant's plan does not include
     *            is {@code scope_not_in_plan}, as verify says it
     */
    static Verification refusalOf(AccessDeniedException e, ApiKeyPrincipal key) {
        AuthorizationResult result = e instanceof AuthorizationDeniedException
                ? ((AuthorizationDeniedException) e).getAuthorizationResult() : null;
        return refusalOf(result, key);
    }

    /** The refusal a denying decision stands for, or {@code null}; {@code key} as above. */
    static Verification refusalOf(AuthorizationResult result, ApiKeyPrincipal key) {
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
        if (scope == null) {
            return null;
        }
        return key != null ? Verification.scopeRefusal(key, scope) : Verification.insufficientScope(scope);
    }
}
