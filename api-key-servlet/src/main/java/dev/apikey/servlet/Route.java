package dev.apikey.servlet;

import dev.apikey.model.VerifyRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One rule of an {@link ApiKeyFilter}: an HTTP method and a path template, and what a request matching them
 * needs: a scope, only a valid key, or nothing (public). A template segment {@code {tenantId}} captures the
 * tenant the key must belong to; any other {@code {name}} matches one segment. A route that needs a key may cost
 * more than one unit of the key's and its tenant's allowances ({@link #withCost(long)}, or {@code cost=N} at the end
 * of a rule line): a search that costs 10, a read 1 (the default).
 *
 * <p>Immutable and thread-safe. Matching is exact and case-sensitive, segment by segment: no wildcards
 * across segments, so a template cannot match more than it says.
 */
public final class Route {

    /** What a route asks of a request. */
    enum Access {
        /** No key needed. */
        PUBLIC,
        /** A valid key, any scope. */
        AUTHENTICATED,
        /** A valid key holding {@link #scope()}. */
        SCOPE
    }

    private static final String TENANT = "{tenantId}";
    /** What a rule line's cost starts with: {@code cost=10}. */
    private static final String COST = "cost=";

    private final String method;
    private final String template;
    private final String[] segments;
    private final int tenantSegment;
    private final Access access;
    private final String scope;
    private final long cost;

    private Route(String method, String template, Access access, String scope) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "path");
        if (!method.equals("*") && !method.matches("[A-Z]{3,10}")) {
            throw new IllegalArgumentException("method must be an upper-case HTTP method or *, was '" + method + "'");
        }
        if (!template.startsWith("/") || template.contains("//") || template.contains("..")
                || !template.matches("[A-Za-z0-9/._~{}-]+")) {
            throw new IllegalArgumentException("path must start with '/' and hold only [A-Za-z0-9/._~-] and "
                    + "{name} segments, without '//' or '..', was '" + template + "'");
        }
        this.method = method;
        this.template = template;
        this.segments = template.substring(1).split("/", -1);
        int tenant = -1;
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.contains("{") || s.contains("}")) {
                if (!s.matches("\\{[A-Za-z][A-Za-z0-9]*}")) {
                    throw new IllegalArgumentException("a path variable must be a whole segment like {name}, was '"
                            + s + "'");
                }
                if (s.equals(TENANT)) {
                    tenant = i;
                }
            }
        }
        this.tenantSegment = tenant;
        this.access = access;
        this.scope = scope;
        this.cost = 1;
    }

    /** This route at another cost; the template is checked already. */
    private Route(Route route, long cost) {
        this.method = route.method;
        this.template = route.template;
        this.segments = route.segments;
        this.tenantSegment = route.tenantSegment;
        this.access = route.access;
        this.scope = route.scope;
        this.cost = cost;
    }

    /**
     * {@return a route that needs a key holding {@code scope}}
     *
     * @param scope the scope the route needs
     * @param method an upper-case HTTP method, or {@code *} for any
     * @param path   a path template such as {@code /api/v1/tenants/{tenantId}/events}
     * @throws IllegalArgumentException if the method or template breaks its rule
     */
    public static Route scoped(String method, String path, String scope) {
        Objects.requireNonNull(scope, "scope");
        return new Route(method, path, Access.SCOPE, scope);
    }

    /**
     * {@return a route that needs a valid key, whatever its scopes (e.g. a who-am-I endpoint)}
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param path the path pattern, e.g. {@code /api/v1/whoami}
     */
    public static Route authenticated(String method, String path) {
        return new Route(method, path, Access.AUTHENTICATED, null);
    }

    /**
     * {@return a route anyone may call without a key}
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param path the path pattern, e.g. {@code /health}
     */
    public static Route open(String method, String path) {
        return new Route(method, path, Access.PUBLIC, null);
    }

    /**
     * {@return this route, each call of it costing {@code cost} units of every allowance of the key and its tenant
     * (a rate limit, a quota) instead of 1}: {@code Route.scoped("GET", "/api/v1/search", "events:read").withCost(10)}.
     * A call whose cost does not fit an allowance is refused ({@code rate_limited}, {@code quota_exceeded}) and
     * spends nothing.
     *
     * @param cost 1 to {@value VerifyRequest#MAX_COST}
     * @throws IllegalArgumentException if cost is out of range, or the route is public (no key, nothing to count)
     */
    public Route withCost(long cost) {
        if (access == Access.PUBLIC) {
            throw new IllegalArgumentException("cost must not be set on a public route, which verifies no key, was "
                    + cost);
        }
        return new Route(this, VerifyRequest.requireCost(cost, ""));
    }

    /**
     * Parses one rule line: {@code GET /api/v1/events -> events:read}, {@code GET /api/v1/whoami -> authenticated},
     * {@code GET /health -> public}; a rule that needs a key may end with its cost, {@code cost=N} (1 to
     * {@value VerifyRequest#MAX_COST}, default 1): {@code GET /api/v1/search -> events:read cost=10}.
     *
     * @param line the rule
     * @return the route
     * @throws IllegalArgumentException naming what is wrong with the line
     */
    public static Route parse(String line) {
        Objects.requireNonNull(line, "route");
        String rule = line.strip();
        for (int i = 0; i < rule.length(); i++) {
            char c = rule.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IllegalArgumentException("route must be one line without control characters");
            }
        }
        String[] parts = rule.split("[ \t]+");
        if (parts.length < 4 || parts.length > 5 || !parts[2].equals("->")
                || parts.length == 5 && !parts[4].startsWith(COST)) {
            throw new IllegalArgumentException("route must read 'METHOD /path -> scope|authenticated|public', "
                    + "optionally followed by 'cost=N', was '" + rule + "'");
        }
        String method = parts[0].toUpperCase(Locale.ROOT);
        Route route;
        switch (parts[3]) {
            case "public":
                route = open(method, parts[1]);
                break;
            case "authenticated":
                route = authenticated(method, parts[1]);
                break;
            default:
                route = scoped(method, parts[1], parts[3]);
        }
        if (parts.length == 4) {
            return route;
        }
        String number = parts[4].substring(COST.length());
        if (!number.matches("-?[0-9]{1,18}")) {
            throw new IllegalArgumentException("cost must be a whole number 1 to " + VerifyRequest.MAX_COST
                    + ", was '" + number + "' in '" + rule + "'");
        }
        try {
            return route.withCost(Long.parseLong(number));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in '" + rule + "'", e);
        }
    }

    /** Parses rule lines, skipping blank ones and {@code #} comments. */
    static List<Route> parseAll(String lines) {
        List<Route> routes = new ArrayList<>();
        for (String line : lines.split("\\R")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                routes.add(parse(trimmed));
            }
        }
        return routes;
    }

    /**
     * Whether this rule applies to the request: its method (a {@code GET} rule also answers {@code HEAD}) and
     * its path; fills {@code tenant[0]} with the {@code {tenantId}} segment, or {@code null}.
     */
    boolean matches(String requestMethod, String[] pathSegments, String[] tenant) {
        if (!allowsMethod(requestMethod) || !matchesPath(pathSegments)) {
            return false;
        }
        tenant[0] = tenantIn(pathSegments);
        return true;
    }

    /** The {@code {tenantId}} segment of a path this route matches, or {@code null} if the template has none. */
    String tenantIn(String[] pathSegments) {
        return tenantSegment >= 0 ? pathSegments[tenantSegment] : null;
    }

    boolean allowsMethod(String requestMethod) {
        return method.equals("*") || method.equals(requestMethod)
                || (method.equals("GET") && "HEAD".equals(requestMethod));
    }

    /** Whether the path alone matches, whatever the method. */
    boolean matchesPath(String[] pathSegments) {
        if (pathSegments.length != segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean variable = s.startsWith("{");
            if (variable ? pathSegments[i].isEmpty() : !s.equals(pathSegments[i])) {
                return false;
            }
        }
        return true;
    }

    /** The method of the rule, {@code *} for any. */
    /** {@return the HTTP method, e.g. {@code GET}} */
    public String method() {
        return method;
    }

    /** {@return the path template, e.g. {@code /api/v1/tenants/{tenantId}/events}} */
    public String path() {
        return template;
    }

    /** {@return whether the route passes without a key} */
    public boolean isPublic() {
        return access == Access.PUBLIC;
    }

    /** {@return whether the route names the resource's tenant: a {@code {tenantId}} segment the key must match} */
    public boolean checksTenant() {
        return tenantSegment >= 0;
    }

    Access access() {
        return access;
    }

    /** {@return the scope required, or {@code null} for public and authenticated routes} */
    public String scope() {
        return scope;
    }

    /**
     * {@return what a call of this route costs, in units of every allowance of the key and its tenant: 1 unless set
     * ({@link #withCost(long)}, {@code cost=N}); 1 for a public route, which counts nothing}
     */
    public long cost() {
        return cost;
    }

    /** The rule as {@link #parse} reads it, {@code cost=N} included unless the cost is 1. */
    @Override
    public String toString() {
        return method + " " + template + " -> " + (access == Access.SCOPE ? scope : access.name().toLowerCase(Locale.ROOT))
                + (cost == 1 ? "" : " cost=" + cost);
    }
}
