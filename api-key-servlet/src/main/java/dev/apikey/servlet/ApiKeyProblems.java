package dev.apikey.servlet;

import dev.apikey.Failure;
import dev.apikey.KeyFormat;
import dev.apikey.Verification;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.Objects;

/**
 * What {@link ApiKeyFilter} does at the edges of a request, for other integrations (the Spring Security one) to
 * answer exactly as it does: screen the request (canonical path, no key in the URL), read the one key header, and
 * send a refusal as its RFC 9457 problem with the same headers and body.
 *
 * <p>A problem's {@code type} is a type base followed by its {@code code}, e.g.
 * {@code urn:apikey:problem:revoked_api_key}. The {@code code} member is the stable identifier; the base is the
 * host's to choose ({@link dev.apikey.ProblemTypes#requireBase(String)}), so that {@code type} can point at the host's own error
 * documentation. The default base, {@value #DEFAULT_TYPE_BASE}, claims no domain and is not meant to be fetched.
 *
 * <p>Stateless and thread-safe.
 */
public final class ApiKeyProblems {

    /**
     * The type base used unless the host sets one: a URN, which names no host and no DNS domain, and which no
     * client will try to fetch. {@code docs/PROBLEMS.md} lists every code.
     */
    public static final String DEFAULT_TYPE_BASE = dev.apikey.ProblemTypes.DEFAULT_BASE;


    private ApiKeyProblems() {
    }

    /**
     * The refusal a request earns before any key is read: a path that is not canonical, or a key in the query
     * string. Nothing from the request is logged.
     *
     * @param request the request
     * @param format  this environment's key format, to find keys in the query string
     * @return {@link Failure#NON_CANONICAL_PATH}, {@link Failure#API_KEY_IN_URL}, or {@code null} if neither
     */
    public static Failure screen(HttpServletRequest request, KeyFormat format) {
        if (!RequestPaths.isCanonical(request.getRequestURI(), pathOf(request))) {
            return Failure.NON_CANONICAL_PATH;
        }
        if (ApiKeyFilter.hasKeyInQuery(request.getQueryString(), format)) {
            return Failure.API_KEY_IN_URL;
        }
        return null;
    }

    /**
     * The one key header value: {@code X-Api-Key} with the bare key, or {@code Authorization: Bearer <key>}; each
     * at most once, and the same key if both are sent.
     *
     * @param request the request
     * @return the header value as sent, or {@code null} if there is none
     * @throws IllegalArgumentException with the reason ({@code malformed_request}'s detail) if the headers
     *                                  cannot be used
     */
    public static String keyHeader(HttpServletRequest request) {
        return ApiKeyFilter.keyHeader(request);
    }

    /**
     * Sends a refused verification as {@link ApiKeyFilter} does: status, {@code WWW-Authenticate} on 401,
     * {@code Retry-After} and the rate-limit headers on 429, {@code Cache-Control: no-store}, the problem body.
     *
     * @param response the response, not yet committed
     * @param refused  a refused verification
     * @param realm    the realm named in {@code WWW-Authenticate}
     * @throws IOException              if the response cannot be written
     * @throws IllegalArgumentException if the verification was granted
     */
    public static void send(HttpServletResponse response, Verification refused, String realm) throws IOException {
        send(response, refused, realm, DEFAULT_TYPE_BASE);
    }

    /**
     * As {@link #send(HttpServletResponse, Verification, String)}, with this type base.
     *
     * @param response the response, not yet committed
     * @param refused  a refused verification
     * @param realm    the realm named in {@code WWW-Authenticate}
     * @param typeBase a base {@link dev.apikey.ProblemTypes#requireBase(String)} accepted
     * @throws IOException              if the response cannot be written
     * @throws IllegalArgumentException if the verification was granted
     */
    public static void send(HttpServletResponse response, Verification refused, String realm, String typeBase)
            throws IOException {
        if (refused.isGranted()) {
            throw new IllegalArgumentException("refused must be a refused verification");
        }
        Problem.of(refused).send(response, Objects.requireNonNull(realm, "realm"),
                Objects.requireNonNull(typeBase, "typeBase"));
    }

    /**
     * Sends a failure with a detail as {@link ApiKeyFilter} does (for refusals before a verify: a missing key, a
     * bad header, a screened request).
     *
     * @param response the response, not yet committed
     * @param failure  the failure
     * @param detail   what is wrong, without anything from the request
     * @param realm    the realm named in {@code WWW-Authenticate}
     * @throws IOException if the response cannot be written
     */
    public static void send(HttpServletResponse response, Failure failure, String detail, String realm)
            throws IOException {
        send(response, failure, detail, realm, DEFAULT_TYPE_BASE);
    }

    /**
     * As {@link #send(HttpServletResponse, Failure, String, String)}, with this type base.
     *
     * @param response the response, not yet committed
     * @param failure  the failure
     * @param detail   what is wrong, without anything from the request
     * @param realm    the realm named in {@code WWW-Authenticate}
     * @param typeBase a base {@link dev.apikey.ProblemTypes#requireBase(String)} accepted
     * @throws IOException if the response cannot be written
     */
    public static void send(HttpServletResponse response, Failure failure, String detail, String realm,
            String typeBase) throws IOException {
        Problem.of(failure, Objects.requireNonNull(detail, "detail")).send(response,
                Objects.requireNonNull(realm, "realm"), Objects.requireNonNull(typeBase, "typeBase"));
    }

    /**
     * Answers a request no route declares as {@link ApiKeyFilter} does: {@code 404 not_found} if no route has its
     * path, else {@code 405 method_not_allowed} with {@code Allow} naming the methods the path's routes allow.
     *
     * @param response the response, not yet committed
     * @param allowed  the methods the path allows; empty if no route has the path
     * @param typeBase a base {@link dev.apikey.ProblemTypes#requireBase(String)} accepted
     * @throws IOException if the response cannot be written
     */
    public static void sendNoRoute(HttpServletResponse response, Collection<String> allowed, String typeBase)
            throws IOException {
        Problem problem = allowed.isEmpty() ? Problem.notFound() : Problem.methodNotAllowed(allowed);
        // The realm is named only on a 401, which this never is.
        problem.send(response, "api", Objects.requireNonNull(typeBase, "typeBase"));
    }

    /** The container's decoded, normalized path within the application. */
    static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }
}
