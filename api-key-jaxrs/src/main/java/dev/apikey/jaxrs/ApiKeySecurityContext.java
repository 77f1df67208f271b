package dev.apikey.jaxrs;

import dev.apikey.model.ApiKeyPrincipal;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The security context of a request the key was verified for: its principal, and its scopes as roles. */
final class ApiKeySecurityContext implements SecurityContext {

    private final ApiKeyPrincipal principal;
    private final boolean secure;

    ApiKeySecurityContext(ApiKeyPrincipal principal, boolean secure) {
        this.principal = principal;
        this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    /** A role is a scope, as in the servlet filter: {@code isUserInRole("events:read")}, super scopes applied. */
    @Override
    public boolean isUserInRole(String role) {
        return role != null && principal.hasScope(role);
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return ApiKeyRequestFilter.AUTHENTICATION_SCHEME;
    }

    @Override
    public String toString() {
        return "ApiKeySecurityContext[" + principal.keyId() + "]";
    }
}
