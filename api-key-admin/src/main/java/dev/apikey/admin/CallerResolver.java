package dev.apikey.admin;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The host's decision of who may manage which keys: maps a request to a {@link Caller}, or to none (the
 * request is answered 401). Two ship with the library; a host may write its own.
 */
@FunctionalInterface
public interface CallerResolver {

    /**
     * @param request the admin API request
     * @return who calls, or empty if the request carries no usable credential
     */
    Optional<Caller> resolve(HttpServletRequest request);

    /**
     * Callers that hold an API key with a management scope, so that customers can automate rotation: a key of
     * tenant 92 manages tenant 92's keys; a tenant-less key with the scope manages every tenant's. The key is
     * read from {@code Authorization: Bearer} or {@code X-Api-Key} and verified like any other, so revoked,
     * expired, throttled and rate-limited keys are refused.
     *
     * @param apiKeys the keys that callers present (usually the same {@code ApiKeys} the API manages)
     * @param scope   the scope that allows managing keys, e.g. {@code keys:manage}; declared in the catalog
     * @return the resolver
     * @throws IllegalArgumentException if the scope is not declared
     */
    static CallerResolver apiKeyWithScope(ApiKeys apiKeys, String scope) {
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(scope, "scope");
        if (apiKeys.scopes().find(scope).isEmpty()) {
            throw new IllegalArgumentException("scope '" + scope + "' is not declared in the scope catalog");
        }
        return request -> {
            String header = request.getHeader("Authorization");
            if (header == null) {
                header = request.getHeader("X-Api-Key");
            }
            if (header == null) {
                return Optional.empty();
            }
            Verification v = apiKeys.verify(VerifyRequest.header(header).scope(scope)
                    .remoteAddress(request.getRemoteAddr()));
            return v.principal().map(CallerResolver::keyCaller);
        };
    }

    private static Caller keyCaller(ApiKeyPrincipal key) {
        String actor = "key:" + key.hint();
        return key.tenantId().map(t -> Caller.ofTenants(actor, Set.of(t))).orElseGet(() -> Caller.ofAllTenants(actor));
    }

    /**
     * Users the container or framework already authenticated, in a role: they manage every tenant's keys.
     *
     * @param role the role, e.g. {@code apikey-admin}
     * @return the resolver
     */
    static CallerResolver containerUserInRole(String role) {
        Objects.requireNonNull(role, "role");
        return request -> request.getUserPrincipal() != null && request.isUserInRole(role)
                ? Optional.of(Caller.ofAllTenants("user:" + request.getUserPrincipal().getName()))
                : Optional.empty();
    }
}
