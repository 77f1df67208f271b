package dev.apikey.admin;

import dev.apikey.ApiKeys;
import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    /** A key grants what it holds, never edits itself, and gives no key a longer life than its own. */
    private static Caller keyCaller(ApiKeyPrincipal key) {
        Actor actor = Actor.of(key);
        Set<String> tenants = key.tenantId().map(Set::of).orElse(Set.of());
        return new Caller(actor.name(), tenants, key.tenantId().isEmpty(), actor.ceiling(), actor.keyId(),
                actor.notAfter());
    }

    /**
     * Users the container or framework already authenticated, in a role: they manage every tenant's keys and grant
     * every scope but the catalog's super scopes ({@link GrantCeiling#ordinaryScopes()}): the role was given to manage
     * keys, not to mint administrators; {@link #containerUserInRole(String, Map)} says per role what it grants.
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

    /**
     * Users the container or framework already authenticated, in {@code role}: they manage every tenant's keys and
     * grant the scopes of every role of {@code grantable} they are in, together (implications applied: a role that
     * may grant the super scope grants everything). A user in none of those roles grants nothing: it may still list,
     * revoke and disable keys.
     *
     * @param role      the role that opens the API, e.g. {@code apikey-admin}
     * @param grantable role to the scopes its users may grant, e.g. {@code support -> [events:read]}
     * @return the resolver
     */
    static CallerResolver containerUserInRole(String role, Map<String, ? extends Collection<String>> grantable) {
        Objects.requireNonNull(role, "role");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        grantable.forEach((r, scopes) -> copy.put(Objects.requireNonNull(r, "role"), List.copyOf(scopes)));
        return request -> {
            if (request.getUserPrincipal() == null || !request.isUserInRole(role)) {
                return Optional.empty();
            }
            Set<String> scopes = new LinkedHashSet<>();
            copy.forEach((r, granted) -> {
                if (request.isUserInRole(r)) {
                    scopes.addAll(granted);
                }
            });
            return Optional.of(Caller.ofAllTenants("user:" + request.getUserPrincipal().getName())
                    .withCeiling(GrantCeiling.scopes(scopes)));
        };
    }
}
