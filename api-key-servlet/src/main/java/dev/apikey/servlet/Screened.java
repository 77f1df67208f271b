package dev.apikey.servlet;

import dev.apikey.model.Failure;
import dev.apikey.model.KeyHeaderFault;
import dev.apikey.model.Problem;
import dev.apikey.model.VerifyRequest;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link Screening#screen} found in a request, before any key is verified: a refusal to answer at once (a
 * path that is not canonical, a key in the query string, a malformed key header, no route), a public route to pass
 * without a key, or a key header to verify, with the route it is verified for and the tenant of the path.
 *
 * <p>Immutable and thread-safe. The outcomes that carry nothing of the request are shared constants; a result to
 * verify is made per request. {@link #toString()} leaves out the key header's value, which holds a secret.
 */
public final class Screened {

    /** What the caller does next. */
    public enum Outcome {
        /** Answer at once: {@link ApiKeyProblems#send(jakarta.servlet.http.HttpServletResponse, Screened)}. */
        REFUSED,
        /** The request matched a public route: it goes on without a key being read. */
        PUBLIC,
        /** Verify the key header ({@link #verifyRequest(String)}); it may be absent ({@code missing_api_key}). */
        VERIFY
    }

    static final String X_API_KEY = "X-Api-Key";
    static final String AUTHORIZATION = "Authorization";

    static final Screened NON_CANONICAL_PATH = refused(Problem.of(Failure.NON_CANONICAL_PATH,
            Failure.NON_CANONICAL_PATH.detail()));
    static final Screened API_KEY_IN_URL = refused(Problem.of(Failure.API_KEY_IN_URL, Failure.API_KEY_IN_URL.detail()));
    static final Screened NOT_FOUND = new Screened(Outcome.REFUSED, Problem.notFound(), Set.of(), null, null, null,
            null);
    static final Screened PUBLIC = new Screened(Outcome.PUBLIC, null, Set.of(), null, null, null, null);
    /** No key header, and no route looked at (a screening without routes). */
    static final Screened NO_KEY = new Screened(Outcome.VERIFY, null, Set.of(), null, null, null, null);
    /** The refusal of each fault of the key headers, made once, by ordinal. */
    private static final Screened[] FAULTS = new Screened[KeyHeaderFault.values().length];

    static {
        for (KeyHeaderFault fault : KeyHeaderFault.values()) {
            FAULTS[fault.ordinal()] = malformed(fault.detail());
        }
    }

    private final Outcome outcome;
    private final Problem problem;
    private final Set<String> allowedMethods;
    private final String keyHeaderName;
    private final String keyHeader;
    private final Route route;
    private final String tenantId;

    private Screened(Outcome outcome, Problem problem, Set<String> allowedMethods, String keyHeaderName,
            String keyHeader, Route route, String tenantId) {
        this.outcome = outcome;
        this.problem = problem;
        this.allowedMethods = allowedMethods;
        this.keyHeaderName = keyHeaderName;
        this.keyHeader = keyHeader;
        this.route = route;
        this.tenantId = tenantId;
    }

    private static Screened refused(Problem problem) {
        return new Screened(Outcome.REFUSED, problem, Set.of(), null, null, null, null);
    }

    /** {@return the refusal of key headers that cannot be used} */
    static Screened refused(KeyHeaderFault fault) {
        return FAULTS[fault.ordinal()];
    }

    private static Screened malformed(String detail) {
        return refused(Problem.of(Failure.MALFORMED_REQUEST, detail));
    }

    /** A path that routes declare for other methods only: 405 with {@code Allow}; 404 if {@code allowed} is empty. */
    static Screened noRoute(Set<String> allowed) {
        if (allowed.isEmpty()) {
            return NOT_FOUND;
        }
        Set<String> sorted = Collections.unmodifiableSet(new TreeSet<>(allowed));
        return new Screened(Outcome.REFUSED, Problem.methodNotAllowed(sorted), sorted, null, null, null, null);
    }

    /** A key header to verify ({@code name} and {@code value} both null when there is none) for a route, or none. */
    static Screened verify(String name, String value, Route route, String tenantId) {
        if (name == null && route == null) {
            return NO_KEY;
        }
        return new Screened(Outcome.VERIFY, null, Set.of(), name, value, route, tenantId);
    }

    /** {@return what the caller does next} */
    public Outcome outcome() {
        return outcome;
    }

    /** {@return whether the request is refused before any key is verified} */
    public boolean isRefused() {
        return outcome == Outcome.REFUSED;
    }

    /**
     * {@return the refusal's problem code ({@code non_canonical_path}, {@code api_key_in_url},
     * {@code malformed_request}, {@code not_found}, {@code method_not_allowed}), or {@code null} unless refused}
     */
    public String problemCode() {
        return problem == null ? null : problem.code();
    }

    /** {@return the methods the path's routes allow, sorted, for a {@code method_not_allowed} refusal; else empty} */
    public Set<String> allowedMethods() {
        return allowedMethods;
    }

    /**
     * {@return the header the key was read from, {@code X-Api-Key} (also when both carry the same key) or
     * {@code Authorization}; {@code null} when neither was sent or nothing was read}
     */
    public String keyHeaderName() {
        return keyHeaderName;
    }

    /** {@return the key header's value as sent (a secret: never log it), or {@code null} when there is none} */
    public String keyHeader() {
        return keyHeader;
    }

    /** {@return the route the request matched, or {@code null} (refused, or a screening without routes)} */
    public Route route() {
        return route;
    }

    /** {@return the path's {@code {tenantId}} segment under the matched route, or {@code null}} */
    public String tenantId() {
        return tenantId;
    }

    /**
     * {@return what to verify: the key header, the route's scope and cost ({@link Route#cost()}) and the path's
     * tenant, if any, and the caller's address}
     *
     * @param remoteAddress the caller's address ({@code getRemoteAddr()}), or {@code null} if unknown
     * @throws IllegalStateException unless the outcome is {@link Outcome#VERIFY}
     */
    public VerifyRequest verifyRequest(String remoteAddress) {
        if (outcome != Outcome.VERIFY) {
            throw new IllegalStateException("only a screened request to verify has a VerifyRequest, this one is "
                    + outcome);
        }
        VerifyRequest asked = VerifyRequest.header(keyHeader);
        if (route != null) {
            if (route.scope() != null) {
                asked = asked.scope(route.scope());
            }
            if (route.cost() != 1) {
                asked = asked.cost(route.cost());
            }
        }
        if (tenantId != null) {
            asked = asked.tenantId(tenantId);
        }
        return remoteAddress == null ? asked : asked.remoteAddress(remoteAddress);
    }

    /** The problem a refusal is answered with. */
    Problem problem() {
        return problem;
    }

    /** Leaves out the key header's value. */
    @Override
    public String toString() {
        return "Screened[" + outcome + (problem == null ? "" : ", " + problem.code())
                + (keyHeaderName == null ? "" : ", " + keyHeaderName)
                + (route == null ? "" : ", " + route) + (tenantId == null ? "" : ", tenant=" + tenantId) + "]";
    }
}
