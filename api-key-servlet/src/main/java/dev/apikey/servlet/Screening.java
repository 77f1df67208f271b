package dev.apikey.servlet;

import dev.apikey.model.RequestPaths;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeyHeaderFault;
import dev.apikey.model.VerifyRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one screening step of a request, before any key is verified, for {@link ApiKeyFilter} and for other
 * integrations (the Spring Security one) to screen exactly as it does. In order, the first that applies decides:
 * a raw path that is not canonical ({@code non_canonical_path}); a key in the query string ({@code api_key_in_url},
 * never read further); with routes, the first route matching the method and path (none: {@code not_found}, or
 * {@code method_not_allowed} with the methods the path has), a public one passing without its headers read; then
 * the one key header ({@code X-Api-Key} with the bare key or {@code Authorization: Bearer <key>}, each at most once,
 * the same key if both are sent; else {@code malformed_request}). Nothing from the request is logged.
 *
 * <p>It also says who is asking, for the verify that follows ({@link #verifyRequest}): the client's address as
 * {@link ClientAddress} defines it (the connection's unless trusted proxies are configured) and, only if a
 * {@link CountryResolver} is configured, a country source the core asks only for a key restricted to countries.
 *
 * <p>Immutable and thread-safe. The answer to a refusal is {@link ApiKeyProblems}'s to write.
 */
public final class Screening {

    private final KeyFormat format;
    /** {@code null}: routes are the integration's own (Spring Security's rules). */
    private final List<Route> routes;
    private final ClientAddress client;
    /** {@code null}: no resolver, every country unknown. */
    private final CountryResolver countries;

    private Screening(KeyFormat format, List<Route> routes, ClientAddress client, CountryResolver countries) {
        this.format = Objects.requireNonNull(format, "format");
        this.routes = routes;
        this.client = Objects.requireNonNull(client, "clientAddress");
        this.countries = countries;
    }

    /**
     * {@return a screening of the path, the query string and the key header, for an integration that matches
     * routes itself (Spring Security's rules): every request it does not refuse is to {@link Screened.Outcome#VERIFY},
     * without a route}
     *
     * @param format this environment's key format, to find keys in the query string
     */
    public static Screening withoutRoutes(KeyFormat format) {
        return new Screening(format, null, ClientAddress.direct(), null);
    }

    /**
     * {@return this screening, with the client's address and country taken as these say}
     *
     * @param clientAddress how the client's address is found; {@link ClientAddress#direct()} by default
     * @param countries     where the country comes from, or {@code null} for nowhere (every country unknown)
     */
    public Screening withClient(ClientAddress clientAddress, CountryResolver countries) {
        return new Screening(format, routes, clientAddress, countries);
    }

    /** {@return how the client's address is found} */
    public ClientAddress clientAddress() {
        return client;
    }

    /**
     * {@return what to verify for a screened request: its key header, route scope and path tenant
     * ({@link Screened#verifyRequest(String)}), the client's address ({@link ClientAddress#of}) and, with a
     * {@link CountryResolver}, where its country comes from (asked only for a key restricted to countries)}
     *
     * @param screened what {@link #screen} found, to {@link Screened.Outcome#VERIFY}
     * @param request  the request
     * @throws IllegalStateException unless the outcome is {@link Screened.Outcome#VERIFY}
     */
    public VerifyRequest verifyRequest(Screened screened, HttpServletRequest request) {
        String address = client.of(request);
        VerifyRequest asked = screened.verifyRequest(address);
        CountryResolver resolver = countries;
        return resolver == null ? asked : asked.country(() -> resolver.country(request, address));
    }

    /** The filter's screening: the path, the query string, these routes (the first that matches), the key header. */
    static Screening withRoutes(KeyFormat format, List<Route> routes) {
        return new Screening(format, List.copyOf(routes), ClientAddress.direct(), null);
    }

    /**
     * Screens a request.
     *
     * @param request the request
     * @return what to do next: refuse, pass (a public route) or verify
     */
    public Screened screen(HttpServletRequest request) {
        String path = pathOf(request);
        if (!RequestPaths.isCanonical(request.getRequestURI(), path)) {
            return Screened.NON_CANONICAL_PATH;
        }
        if (format.inQuery(request.getQueryString())) {
            return Screened.API_KEY_IN_URL;
        }
        if (routes == null) {
            return keyHeader(request, null, null);
        }
        String[] segments = path.substring(1).split("/", -1);
        String method = request.getMethod();
        for (Route route : routes) {
            if (route.allowsMethod(method) && route.matchesPath(segments)) {
                return route.isPublic() ? Screened.PUBLIC : keyHeader(request, route, route.tenantIn(segments));
            }
        }
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (route.matchesPath(segments)) {
                allowed.add(route.method());
                if (route.method().equals("GET")) {
                    allowed.add("HEAD");
                }
            }
        }
        return Screened.noRoute(allowed);
    }

    /** The one key header, or the refusal of headers that cannot be used; checked in this order. */
    private static Screened keyHeader(HttpServletRequest request, Route route, String tenant) {
        Enumeration<String> apiKeys = request.getHeaders(Screened.X_API_KEY);
        String apiKey = first(apiKeys);
        Enumeration<String> authorizations = request.getHeaders(Screened.AUTHORIZATION);
        String authorization = first(authorizations);
        KeyHeaderFault fault = KeyHeaderFault.of(apiKey, apiKey != null && apiKeys.hasMoreElements(), authorization,
                authorization != null && authorizations.hasMoreElements());
        if (fault != null) {
            return Screened.refused(fault);
        }
        if (apiKey != null) {
            return Screened.verify(Screened.X_API_KEY, apiKey, route, tenant);
        }
        return Screened.verify(authorization == null ? null : Screened.AUTHORIZATION, authorization, route, tenant);
    }

    private static String first(Enumeration<String> values) {
        return values == null || !values.hasMoreElements() ? null : values.nextElement();
    }

    /**
     * The container's decoded, normalized path within the application; without a new string when one part is
     * empty (the usual case: a servlet at {@code /*}, or Spring's dispatcher at {@code /}).
     */
    static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path;
        if (servletPath == null || servletPath.isEmpty()) {
            path = pathInfo == null ? "" : pathInfo;
        } else if (pathInfo == null || pathInfo.isEmpty()) {
            path = servletPath;
        } else {
            path = servletPath + pathInfo;
        }
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public String toString() {
        return "Screening" + (routes == null ? "[without routes]" : routes) + ", " + client
                + (countries == null ? "" : ", " + countries);
    }
}
