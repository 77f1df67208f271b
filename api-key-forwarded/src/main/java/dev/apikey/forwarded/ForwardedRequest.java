package dev.apikey.forwarded;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.function.BiPredicate;

/** A request whose caller is the one the gateway forwarded: its principal, and its scopes as roles. */
final class ForwardedRequest extends HttpServletRequestWrapper {

    /** What {@link #getAuthType()} answers, as api-key-servlet's filter does. */
    static final String AUTH_TYPE = "API_KEY";

    private final ForwardedCaller caller;
    private final BiPredicate<ForwardedCaller, String> holds;

    ForwardedRequest(HttpServletRequest request, ForwardedCaller caller, BiPredicate<ForwardedCaller, String> holds) {
        super(request);
        this.caller = caller;
        this.holds = holds;
    }

    @Override
    public Principal getUserPrincipal() {
        return caller;
    }

    @Override
    public String getRemoteUser() {
        return caller.getName();
    }

    /** A role is a scope: {@code isUserInRole("events:read")}. */
    @Override
    public boolean isUserInRole(String role) {
        return role != null && holds.test(caller, role);
    }

    @Override
    public String getAuthType() {
        return AUTH_TYPE;
    }
}
