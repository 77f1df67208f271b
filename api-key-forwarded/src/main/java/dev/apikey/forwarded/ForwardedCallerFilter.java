package dev.apikey.forwarded;

import dev.apikey.ProblemTypes;
import dev.apikey.model.Failure;
import dev.apikey.model.Problem;
import dev.apikey.model.ScopeCatalog;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The upstream's side of a gateway that forwards its verified caller as signed headers ({@link SignedCaller}): a
 * Jakarta Servlet filter that believes the headers only if their signature is the shared secret's over this request
 * (method, path and query, signing time, values) and their signing time is within {@link SignedCaller#WINDOW} of now.
 *
 * <p>Believed: the request goes on with the {@link ForwardedCaller} as attribute {@link #CALLER_ATTRIBUTE}, as
 * {@code getUserPrincipal()} (its name is the key id, as with {@code ApiKeyFilter}), and its scopes as roles
 * ({@code isUserInRole}; with a {@link Builder#catalog catalog}, wildcards and super scopes applied). Refused with the
 * core's RFC 9457 problem, 401: {@code gateway_signature_missing} (no signed headers: the request did not come
 * through the gateway), {@code gateway_signature_invalid} (malformed, repeated, or a signature that does not match:
 * altered, or another secret), {@code gateway_signature_expired} (outside the window: a replay, or a wrong clock);
 * 403 {@code insufficient_scope} for a path whose {@link Builder#requireScope scope} the caller lacks.
 *
 * <p>Map it on every path that needs a caller, for every dispatcher type; paths it is not mapped on are public. A
 * forward, include, error or async dispatch of a request it checked keeps the caller (the path's scope is checked
 * again), as its URI is no longer the one the gateway signed; an include is checked for the scope of the path it
 * includes, and a refused include writes the problem where the content would have been (an include cannot set the
 * status). A dispatch by name has no path: it needs every scope of the rules, and only reaches this filter where it
 * is mapped by servlet name. Thread-safe.
 */
public final class ForwardedCallerFilter implements Filter {

    /**
     * The request attribute that holds the {@link ForwardedCaller}. Not api-key-servlet's {@code dev.apikey.principal}:
     * its value is an {@code ApiKeyPrincipal}, and code that casts it must not meet another type.
     */
    public static final String CALLER_ATTRIBUTE = "dev.apikey.forwarded.caller";

    /** No signed headers at all. */
    public static final Failure SIGNATURE_MISSING = Failure.of("gateway_signature_missing", 401,
            "Not through the gateway", "The request carries no gateway signature: it did not come through the "
                    + "API gateway.", "Send the request to the API gateway, not to this service directly.");
    /** Malformed or repeated headers, or a signature that does not match the request. */
    public static final Failure SIGNATURE_INVALID = Failure.of("gateway_signature_invalid", 401,
            "Gateway signature invalid", "The gateway's signed headers are malformed, or their signature does not "
                    + "match this request.", "Send the request through the API gateway; if it was, check that the "
                    + "gateway and this service share the same signing secret and header names.");
    /** A signing time outside the window. */
    public static final Failure SIGNATURE_EXPIRED = Failure.of("gateway_signature_expired", 401,
            "Gateway signature expired", "The gateway signed this request more than 5 minutes before or after now: "
                    + "it is a replay, or a clock is wrong.", "Send a new request through the gateway; if it fails "
                    + "too, synchronise the clocks of the gateway and this service.");

    private final SignedCaller signer;
    private final String realm;
    private final String typeBase;
    private final ScopeCatalog catalog;
    private final List<String[]> scopes;
    private final Clock clock;

    private ForwardedCallerFilter(Builder b) {
        this.signer = b.signer;
        this.realm = b.realm;
        this.typeBase = b.typeBase;
        this.catalog = b.catalog;
        this.scopes = Collections.unmodifiableList(new ArrayList<>(b.scopes));
        this.clock = b.clock;
    }

    /**
     * Starts a filter that checks with this signer (the gateway's secret and header names).
     *
     * @param signer the signer
     * @return a builder
     */
    public static Builder builder(SignedCaller signer) {
        return new Builder(signer);
    }

    /** Configures a {@link ForwardedCallerFilter}. Not thread-safe. */
    public static final class Builder {
        private final SignedCaller signer;
        private String realm = "api";
        private String typeBase = ProblemTypes.DEFAULT_BASE;
        private ScopeCatalog catalog;
        private final List<String[]> scopes = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder(SignedCaller signer) {
            this.signer = Objects.requireNonNull(signer, "signer");
        }

        /**
         * The realm named in {@code WWW-Authenticate}; default {@code api}.
         *
         * @param realm the realm
         * @return this builder
         * @throws IllegalArgumentException unless 1 to 64 of {@code [A-Za-z0-9 ._-]}
         */
        public Builder realm(String realm) {
            Objects.requireNonNull(realm, "realm");
            if (!realm.matches("[A-Za-z0-9 ._-]{1,64}")) {
                throw new IllegalArgumentException("realm must be 1 to 64 of [A-Za-z0-9 ._-]");
            }
            this.realm = realm;
            return this;
        }

        /**
         * The base of each problem's {@code type}; default {@link ProblemTypes#DEFAULT_BASE}.
         *
         * @param base the base
         * @return this builder
         * @throws IllegalArgumentException naming the rule ({@link ProblemTypes#requireBase(String)})
         */
        public Builder problemTypeBase(String base) {
            this.typeBase = ProblemTypes.requireBase(base);
            return this;
        }

        /**
         * The scope catalog, so that a held wildcard or super scope grants the scopes it implies; without one a scope
         * is held only as itself.
         *
         * @param catalog the gateway's catalog
         * @return this builder
         */
        public Builder catalog(ScopeCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /**
         * Requires a scope on a path and below it (segment by segment: {@code /admin} covers {@code /admin} and
         * {@code /admin/x}, not {@code /administrator}); the first added that matches applies.
         *
         * @param pathPrefix a path within the application, starting with {@code /}
         * @param scope      the scope the caller must hold
         * @return this builder
         * @throws IllegalArgumentException if the path does not start with {@code /}, or the scope is blank
         */
        public Builder requireScope(String pathPrefix, String scope) {
            Objects.requireNonNull(pathPrefix, "pathPrefix");
            Objects.requireNonNull(scope, "scope");
            if (!pathPrefix.startsWith("/")) {
                throw new IllegalArgumentException("pathPrefix must start with /");
            }
            if (scope.isBlank()) {
                throw new IllegalArgumentException("scope must not be blank");
            }
            String prefix = pathPrefix.length() > 1 && pathPrefix.endsWith("/")
                    ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
            scopes.add(new String[] {prefix, scope});
            return this;
        }

        /**
         * The clock the signing window is measured on; default the system's, in UTC.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @return the filter */
        public ForwardedCallerFilter build() {
            return new ForwardedCallerFilter(this);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        ForwardedCaller caller;
        if (request.getDispatcherType() != DispatcherType.REQUEST
                && request.getAttribute(CALLER_ATTRIBUTE) instanceof ForwardedCaller checkedBefore) {
            // A forward, include, error or async dispatch of a request checked as it came in: its URI is now the
            // dispatch's, which the gateway did not sign. Only this filter sets the attribute; a client cannot.
            caller = checkedBefore;
        } else {
            String query = request.getQueryString();
            String pathAndQuery = request.getRequestURI() + (query == null ? "" : "?" + query);
            SignedCaller.Checked checked = signer.check(request.getMethod(), pathAndQuery,
                    name -> headers(request, name), clock.instant());
            if (!checked.isGranted()) {
                refuse(response, switch (checked.fault()) {
                    case UNSIGNED -> SIGNATURE_MISSING;
                    case OUTSIDE_WINDOW -> SIGNATURE_EXPIRED;
                    case MALFORMED, BAD_SIGNATURE -> SIGNATURE_INVALID;
                });
                return;
            }
            caller = checked.caller();
        }
        if (!holdsScopeOf(request, caller)) {
            refuse(response, Failure.INSUFFICIENT_SCOPE);
            return;
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller);
        chain.doFilter(new ForwardedRequest(request, caller, this::holds), response);
    }

    /** A header's values; none where the container does not let the filter read it (it may answer null). */
    private static List<String> headers(HttpServletRequest request, String name) {
        java.util.Enumeration<String> values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    /** Whether the caller holds a scope: itself, or implied by a held one through the catalog. */
    private boolean holds(ForwardedCaller caller, String scope) {
        if (catalog == null) {
            return caller.scopes().contains(scope);
        }
        return catalog.beyond(caller.scopes(), List.of(scope)).isEmpty();
    }

    /**
     * Whether the caller holds what the rules require for the path being served. A dispatch by name
     * ({@code getNamedDispatcher}) has no path of its own (the request's path methods answer the dispatching request's,
     * and no {@code jakarta.servlet.include.*} or {@code forward.*} attribute is set): it needs every scope a rule
     * names, as the strictest path would.
     */
    private boolean holdsScopeOf(HttpServletRequest request, ForwardedCaller caller) {
        if (isByName(request)) {
            return scopes.stream().allMatch(rule -> holds(caller, rule[1]));
        }
        String needed = scopeOf(request);
        return needed == null || holds(caller, needed);
    }

    /** {@return whether the request is an include or forward by name: the container set none of its attributes} */
    private static boolean isByName(HttpServletRequest request) {
        return switch (request.getDispatcherType()) {
            case INCLUDE -> request.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI) == null;
            case FORWARD -> request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) == null;
            default -> false;
        };
    }

    /**
     * The scope the rules require for the path being served: the container's decoded path within the application,
     * or, on an include, the included path (the request's own path methods still answer the including request's).
     */
    private String scopeOf(HttpServletRequest request) {
        String path;
        if (request.getDispatcherType() == DispatcherType.INCLUDE
                && request.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH) instanceof String servletPath) {
            path = servletPath + (request.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO) instanceof String info
                    ? info : "");
        } else {
            path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        }
        for (String[] rule : scopes) {
            String prefix = rule[0];
            if (prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix + "/")) {
                return rule[1];
            }
        }
        return null;
    }

    private void refuse(HttpServletResponse response, Failure failure) throws IOException {
        Problem problem = Problem.of(failure, failure.detail());
        response.resetBuffer();
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        problem.headers(realm).forEach(response::setHeader);
        byte[] bytes = problem.body(typeBase);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    @Override
    public String toString() {
        return "ForwardedCallerFilter[" + signer + "]";
    }
}
