package dev.apikey.spring.security;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import dev.apikey.servlet.ApiKeyFilter;
import dev.apikey.servlet.ApiKeyProblems;
import dev.apikey.servlet.Screened;
import dev.apikey.servlet.Screening;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its API key, for a Spring Security chain ({@link ApiKeyConfigurer} adds it). It
 * screens the request with {@code ApiKeyFilter}'s own {@link Screening} (canonical path, no key in the URL, the one
 * key header; routes are the chain's rules), answers a refusal with the filter's {@link ApiKeyProblems}, and
 * verifies the key with the caller's address: a refused key is answered at once with its problem
 * ({@code revoked_api_key}, {@code ip_not_allowed}, {@code rate_limited}, ...); a granted one becomes an
 * {@link ApiKeyAuthentication} for this request only, kept in a request attribute and never in a session (one that
 * something else saved it in loses it at the end of the request), and the principal is also the request attribute
 * {@link ApiKeyFilter#PRINCIPAL_ATTRIBUTE}. A request without a key goes on unauthenticated, for the chain's rules
 * to allow (public routes) or refuse ({@code missing_api_key}). Scopes and tenants are the chain's rules to check;
 * the key is verified at the cost of the chain's {@link ApiKeyRouteRules} rule matching the request (1 without them).
 */
public final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private final ApiKeys apiKeys;
    private final ApiKeyAuthentication.ScopeAuthorities authorities;
    private final Screening screening;
    private final ApiKeyProblems problems;
    private final ApiKeyObservations observations;
    /** What a request costs; {@code null}: 1 each. */
    private final ToLongFunction<HttpServletRequest> costs;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

    /**
     * A filter verifying keys with this instance.
     *
     * @param apiKeys the verifier
     * @param realm   the realm named in {@code WWW-Authenticate}
     */
    public ApiKeyAuthenticationFilter(ApiKeys apiKeys, String realm) {
        this(apiKeys, realm, ApiKeyProblems.DEFAULT_TYPE_BASE);
    }

    /**
     * A filter verifying keys with this instance, its problems' {@code type} made from this base.
     *
     * @param apiKeys         the verifier
     * @param realm           the realm named in {@code WWW-Authenticate}
     * @param problemTypeBase the base of each problem's {@code type}, followed by its code
     * @throws IllegalArgumentException if the base breaks {@link dev.apikey.ProblemTypes#requireBase(String)}'s rule
     */
    public ApiKeyAuthenticationFilter(ApiKeys apiKeys, String realm, String problemTypeBase) {
        this(apiKeys, realm, problemTypeBase, dev.apikey.servlet.ClientAddress.direct(), null);
    }

    /**
     * A filter verifying keys with this instance, finding the client's address and country as these say.
     *
     * @param apiKeys         the verifier
     * @param realm           the realm named in {@code WWW-Authenticate}
     * @param problemTypeBase the base of each problem's {@code type}, followed by its code
     * @param clientAddress   how the client's address is found
     * @param countries       where a request's country comes from, or {@code null} for nowhere
     * @throws IllegalArgumentException if the base breaks {@link dev.apikey.ProblemTypes#requireBase(String)}'s rule
     */
    public ApiKeyAuthenticationFilter(ApiKeys apiKeys, String realm, String problemTypeBase,
            dev.apikey.servlet.ClientAddress clientAddress, dev.apikey.servlet.CountryResolver countries) {
        this(apiKeys, realm, problemTypeBase, clientAddress, countries, ApiKeyObservations.NONE);
    }

    /** As above, reporting each authentication to {@code observations}. */
    ApiKeyAuthenticationFilter(ApiKeys apiKeys, String realm, String problemTypeBase,
            dev.apikey.servlet.ClientAddress clientAddress, dev.apikey.servlet.CountryResolver countries,
            ApiKeyObservations observations) {
        this(apiKeys, realm, problemTypeBase, clientAddress, countries, observations, null);
    }

    /** As above, each key verified at the cost {@code costs} says ({@code null}: 1). */
    ApiKeyAuthenticationFilter(ApiKeys apiKeys, String realm, String problemTypeBase,
            dev.apikey.servlet.ClientAddress clientAddress, dev.apikey.servlet.CountryResolver countries,
            ApiKeyObservations observations, ToLongFunction<HttpServletRequest> costs) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.authorities = new ApiKeyAuthentication.ScopeAuthorities(apiKeys.scopes());
        this.screening = Screening.withoutRoutes(apiKeys.keyFormat()).withClient(clientAddress, countries);
        this.problems = ApiKeyProblems.of(realm, problemTypeBase);
        this.observations = Objects.requireNonNull(observations, "observations");
        this.costs = costs;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Screened screened = screening.screen(request);
        if (screened.isRefused()) {
            observations.start().refused(screened.problemCode());
            problems.send(response, screened);
            return;
        }
        if (screened.keyHeader() == null) {
            // No key: no authentication to report; the chain's rules decide (public, or missing_api_key).
            chain.doFilter(request, response);
            return;
        }
        ApiKeyObservations.Authentication observed = observations.start();
        Verification v;
        try {
            VerifyRequest asked = screening.verifyRequest(screened, request);
            long cost = costs == null ? 1 : costs.applyAsLong(request);
            v = apiKeys.verify(cost == 1 ? asked : asked.cost(cost));
        } catch (RuntimeException e) {
            observed.refused(ApiKeyObservations.ERROR);
            throw e;
        }
        if (!v.isGranted()) {
            observed.refused(v.failure().orElseThrow().code());
            contexts.clearContext();
            problems.send(response, v);
            return;
        }
        ApiKeyPrincipal key = v.principal().orElseThrow();
        observed.granted(key);
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(authorities.of(key));
        contexts.setContext(context);
        repository.saveContext(context, request, response);
        request.setAttribute(ApiKeyFilter.PRINCIPAL_ATTRIBUTE, key);
        if (key.legacy()) {
            response.setHeader(ApiKeyFilter.NOTICE_HEADER, key.rotationNotice().orElseThrow());
        }
        try {
            chain.doFilter(request, response);
        } finally {
            contexts.clearContext();
            forgetInSession(request);
        }
    }

    /**
     * Takes the key's authentication out of a session something else saved it in (a host's filter, a chain's
     * session settings): a session cookie must never stand in for a key, least of all after the key is revoked.
     */
    private static void forgetInSession(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return;
        }
        try {
            Object saved = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
            if (saved instanceof SecurityContext c && c.getAuthentication() instanceof ApiKeyAuthentication) {
                session.removeAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
                if (session.isNew()) {
                    session.invalidate();
                }
            }
        } catch (IllegalStateException e) {
            // invalidated meanwhile: nothing left to forget
        }
    }
}
