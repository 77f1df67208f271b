package dev.apikey.spring.security;

import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Verification;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Authorization rules for API keys that Spring's own {@code hasAuthority} cannot express: the tenant check of
 * {@code /tenants/{tenantId}/...} routes. A denial carries the refusal, so the access-denied handler answers
 * {@code tenant_mismatch} or {@code insufficient_scope} exactly as {@code ApiKeyFilter} does.
 *
 * <pre>{@code
 * .requestMatchers("/api/v1/tenants/{tenantId}/**").access(ApiKeyAuthorization.tenantFromPath())
 * }</pre>
 */
public final class ApiKeyAuthorization {

    /** The path variable holding the tenant, as in {@code ApiKeyFilter}'s routes. */
    public static final String TENANT_VARIABLE = "tenantId";

    private ApiKeyAuthorization() {
    }

    /** {@return a rule granting API keys whose tenant is the path's {@code {tenantId}}} */
    public static AuthorizationManager<RequestAuthorizationContext> tenantFromPath() {
        return of(null, true);
    }

    /**
     * {@return a rule granting API keys that hold the scope and, if asked, belong to the path's tenant (checked
     * first, as the verifier does)}
     *
     * @param scope       the scope required, or {@code null} for none
     * @param checkTenant whether the path's {@code {tenantId}} must be the key's tenant
     */
    public static AuthorizationManager<RequestAuthorizationContext> of(String scope, boolean checkTenant) {
        return new AuthorizationManager<>() {
            @Override
            public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                    RequestAuthorizationContext context) {
                Authentication auth = authentication.get();
                if (!(auth instanceof ApiKeyAuthentication)) {
                    return new AuthorizationDecision(false);
                }
                return decide(((ApiKeyAuthentication) auth).getPrincipal(), scope, checkTenant,
                        context.getVariables().get(TENANT_VARIABLE));
            }

            @Override
            public String toString() {
                return "ApiKeyAuthorization[scope=" + scope + ", tenant=" + checkTenant + "]";
            }
        };
    }

    /**
     * The decision for a granted key, the servlet and the reactive rules alike: the tenant first (as the verifier
     * checks it), then the scope.
     */
    static AuthorizationDecision decide(ApiKeyPrincipal key, String scope, boolean checkTenant, String pathTenant) {
        if (checkTenant && (pathTenant == null || !pathTenant.equals(key.tenantId().orElse(null)))) {
            return new Refusal(Verification.tenantMismatch());
        }
        if (scope != null && !key.hasScope(scope)) {
            // A key that holds the scope but whose tenant's plan does not include it: said as verify says it.
            return new Refusal(Verification.scopeRefusal(key, scope));
        }
        return new AuthorizationDecision(true);
    }

    /** A denial that says which check refused the key, for the problem answer. */
    public static final class Refusal extends AuthorizationDecision {
        private final transient Verification refusal;

        Refusal(Verification refusal) {
            super(false);
            this.refusal = refusal;
        }

        /** {@return the refusal to answer with} */
        public Verification refusal() {
            return refusal;
        }

        @Override
        public String toString() {
            return "Refusal[" + refusal.failure().map(Object::toString).orElse("") + "]";
        }
    }
}
