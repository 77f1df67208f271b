package dev.apikey.servlet;

import dev.apikey.model.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/** A request whose caller is the verified key: its principal, and its scopes as roles. */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    /** What {@link #getAuthType()} answers. */
    static final String AUTH_TYPE = "API_KEY";

    private final ApiKeyPrincipal principal;

    AuthenticatedRequest(HttpServletRequest request, ApiKeyPrincipal principal) {
        super(request);
        this.principal = principal;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    /** A role is a scope: {@code isUserInRole("events:read")}, wildcards and super scopes applied. */
    @Override
    public boolean isUserInRole(String role) {
        return principal.hasScope(role);
    }

    @Override
    public String getAuthType() {
        return AUTH_TYPE;
    }
}
