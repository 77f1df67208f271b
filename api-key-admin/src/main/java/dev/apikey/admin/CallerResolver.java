package dev.apikey.admin;

import dev.apikey.ApiKeys;
import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.GrantCeiling;
import dev.apikey.model.KeyHeaderFault;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
     * read as {@code ApiKeyFilter} reads it ({@code X-Api-Key}, or {@code Authorization: Bearer}; each at most once,
     * the same key if both) and verified like any other, from the connection's address
     * ({@link HttpServletRequest#getRemoteAddr()}; behind proxies, use
     * {@link #apiKeyWithScope(ApiKeys, String, Function)}).
     *
     * <p>Headers that cannot be used are answered 400 {@code malformed_request}; a key that is throttled, rate
     * limited or over its quota is answered with the verify's 429 and {@code Retry-After}, and one that could not be
     * judged (a store outage) with its 503, as the filter answers them; any other refusal (no key, a wrong, revoked or
     * expired key, a key without the scope or from an address it does not allow) is 401 {@code unauthenticated}.
     *
     * @param apiKeys the keys that callers present (usually the same {@code ApiKeys} the API manages)
     * @param scope   the scope that allows managing keys, e.g. {@code keys:manage}; declared in the catalog
     * @return the resolver
     * @throws IllegalArgumentException if the scope is not declared
     */
    static CallerResolver apiKeyWithScope(ApiKeys apiKeys, String scope) {
        return apiKeyWithScope(apiKeys, scope, HttpServletRequest::getRemoteAddr);
    }

    /**
     * As {@link #apiKeyWithScope(ApiKeys, String)}, with the caller's address found by {@code clientAddress}: behind
     * a load balancer, the one the API's filter uses ({@code ClientAddress.behindProxies(...)::of} of
     * api-key-servlet), so that a key's allowed addresses and the wrong-secret throttle see the client, not the proxy
     * (with the proxy's address, anyone behind it could trip the throttle of a management key for everyone).
     *
     * @param apiKeys       the keys that callers present
     * @param scope         the scope that allows managing keys, declared in the catalog
     * @param clientAddress the request's client address as text, or {@code null} when unknown
     * @return the resolver
     * @throws IllegalArgumentException if the scope is not declared
     */
    static CallerResolver apiKeyWithScope(ApiKeys apiKeys, String scope,
            Function<HttpServletRequest, String> clientAddress) {
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(clientAddress, "clientAddress");
        if (apiKeys.scopes().find(scope).isEmpty()) {
            throw new IllegalArgumentException("scope '" + scope + "' is not declared in the scope catalog");
        }
        return request -> {
            Enumeration<String> apiKeyValues = request.getHeaders("X-Api-Key");
            Enumeration<String> authorizationValues = request.getHeaders("Authorization");
            String apiKey = next(apiKeyValues);
            String authorization = next(authorizationValues);
            KeyHeaderFault fault = KeyHeaderFault.of(apiKey, apiKey != null && apiKeyValues.hasMoreElements(),
                    authorization, authorization != null && authorizationValues.hasMoreElements());
            if (fault != null) {
                throw AdminProblem.malformedKeyHeaders(fault);
            }
            String header = apiKey != null ? apiKey : authorization;
            if (header == null) {
                return Optional.empty();
            }
            VerifyRequest asked = VerifyRequest.header(header).scope(scope);
            String address = clientAddress.apply(request);
            Verification v = apiKeys.verify(address == null ? asked : asked.remoteAddress(address));
            if (!v.isGranted()) {
                int status = v.failure().orElseThrow().httpStatus();
                if (status == 400 || status == 429 || status == 503) {
                    throw AdminProblem.refused(v);
                }
            }
            return v.principal().map(CallerResolver::keyCaller);
        };
    }

    /** {@return the first value, or {@code null} when there is none} */
    private static String next(Enumeration<String> values) {
        return values != null && values.hasMoreElements() ? values.nextElement() : null;
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
