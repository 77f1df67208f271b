package dev.apikey.servlet;

import dev.apikey.model.Failure;
import dev.apikey.model.Problem;
import dev.apikey.model.Verification;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of refusals, for {@link ApiKeyFilter} and other integrations (the Spring Security one) to answer
 * byte for byte alike: an RFC 9457 {@code application/problem+json} answer with the status, {@code WWW-Authenticate}
 * on 401, {@code Retry-After} (and {@code RateLimit}, {@code RateLimit-Policy} on 429), {@code Allow} on 405,
 * {@code Cache-Control: no-store}, and the problem body. Nothing from the request is echoed. A response already
 * committed is left as it is (logged at warn, without the request). What to refuse is {@link Screening}'s step.
 *
 * <p>A problem's {@code type} is a type base followed by its {@code code}, e.g.
 * {@code urn:apikey:problem:revoked_api_key}. The {@code code} member is the stable identifier; the base is the
 * host's to choose ({@link dev.apikey.ProblemTypes#requireBase(String)}), so that {@code type} can point at the
 * host's own error documentation. The default base, {@value #DEFAULT_TYPE_BASE}, claims no domain and is not meant
 * to be fetched.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiKeyProblems {

    /**
     * The type base used unless the host sets one: a URN, which names no host and no DNS domain, and which no
     * client will try to fetch. {@code docs/PROBLEMS.md} lists every code.
     */
    public static final String DEFAULT_TYPE_BASE = dev.apikey.ProblemTypes.DEFAULT_BASE;

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.servlet");

    private final String realm;
    private final String typeBase;

    private ApiKeyProblems(String realm, String typeBase) {
        this.realm = realm;
        this.typeBase = typeBase;
    }

    /**
     * {@return a writer naming this realm in {@code WWW-Authenticate}, each problem's {@code type} made from this
     * base}
     *
     * @param realm    the realm, e.g. {@code api}
     * @param typeBase the base of each problem's {@code type}, e.g. {@value #DEFAULT_TYPE_BASE}
     * @throws IllegalArgumentException naming the rule, if the base breaks
     *                                  {@link dev.apikey.ProblemTypes#requireBase(String)}'s
     */
    public static ApiKeyProblems of(String realm, String typeBase) {
        return new ApiKeyProblems(Objects.requireNonNull(realm, "realm"),
                dev.apikey.ProblemTypes.requireBase(typeBase));
    }

    /**
     * Answers a request {@link Screening} refused: {@code non_canonical_path}, {@code api_key_in_url},
     * {@code malformed_request}, {@code not_found} or {@code method_not_allowed}.
     *
     * @param response the response
     * @param refused  a refused screening
     * @throws IOException              if the response cannot be written
     * @throws IllegalArgumentException if the screening did not refuse the request
     */
    public void send(HttpServletResponse response, Screened refused) throws IOException {
        if (!refused.isRefused()) {
            throw new IllegalArgumentException("refused must be a refused screening, was " + refused.outcome());
        }
        write(response, refused.problem());
    }

    /**
     * Answers a refused verification with its failure, detail, {@code missing_scope} and retry time.
     *
     * @param response the response
     * @param refused  a refused verification
     * @throws IOException              if the response cannot be written
     * @throws IllegalArgumentException if the verification was granted
     */
    public void send(HttpServletResponse response, Verification refused) throws IOException {
        if (refused.isGranted()) {
            throw new IllegalArgumentException("refused must be a refused verification");
        }
        write(response, Problem.of(refused));
    }

    /**
     * Answers with a failure and its own detail (a refusal decided without a verification: no key on a route that
     * needs one, a rule that names no scope, a path the host's firewall rejected).
     *
     * @param response the response
     * @param failure  the failure
     * @throws IOException if the response cannot be written
     */
    public void send(HttpServletResponse response, Failure failure) throws IOException {
        write(response, Problem.of(failure, failure.detail()));
    }

    /**
     * Answers a request no route declares: {@code 404 not_found} if no route has its path, else
     * {@code 405 method_not_allowed} with {@code Allow} naming the methods the path's routes allow.
     *
     * @param response the response
     * @param allowed  the methods the path allows, in the order to name them; empty if no route has the path
     * @throws IOException if the response cannot be written
     */
    public void sendNoRoute(HttpServletResponse response, Collection<String> allowed) throws IOException {
        write(response, allowed.isEmpty() ? Screened.NOT_FOUND.problem() : Problem.methodNotAllowed(allowed));
    }

    private void write(HttpServletResponse response, Problem problem) throws IOException {
        if (response.isCommitted()) {
            LOG.warn("response already committed; cannot answer {}", problem.status());
            return;
        }
        write(response, problem, realm, typeBase);
    }

    /** Writes a problem: status, content type, headers and body, over whatever the response held. */
    static void write(HttpServletResponse response, Problem problem, String realm, String typeBase)
            throws IOException {
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
        return "ApiKeyProblems[" + realm + ", " + typeBase + "]";
    }
}
