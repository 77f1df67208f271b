package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikey.model.KeyFormat;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The checksum check for TruffleHog's custom detector ({@code apikey scanner-rules --verify-url}): TruffleHog posts
 * each candidate as {@code {"<detector>": {"<regex name>": ["<match>"]}}} and counts it verified on a 200. This
 * answers 200 when every match is a well-formed key of this prefix with a valid checksum, and 403 otherwise, so
 * look-alikes (a changed character, a made-up example) are dropped.
 *
 * <p>It never looks a key up: the checksum rule is public, so the endpoint tells nobody whether a key exists or
 * works, and it can be exposed wherever TruffleHog runs. Matches are never logged. Bodies are read under {@link BodyLimits} (408 past the deadline, 503 past
 * the concurrent readers); bodies over 64 KiB get 413; a body that is not JSON within
 * {@link AdminJson}'s limits (nesting, lengths, no duplicate members) gets a 400 problem.
 *
 * <p>Thread-safe. Fields are {@code transient}: a container never serializes it usefully.
 */
public final class ScannerVerifyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final transient String problemTypeBase;
    private final transient KeyFormat format;
    private final transient BodyReader bodies;

    /**
     * A verifier for the keys of one prefix, reading bodies under {@link BodyLimits#defaults()}.
     *
     * @param format the key format, e.g. {@code apiKeys.keyFormat()}
     */
    public ScannerVerifyServlet(KeyFormat format) {
        this(format, BodyLimits.defaults());
    }

    /**
     * A verifier for the keys of one prefix.
     *
     * @param format the key format, e.g. {@code apiKeys.keyFormat()}
     * @param limits how long and how slowly a body may arrive, and how many at once
     */
    public ScannerVerifyServlet(KeyFormat format, BodyLimits limits) {
        this(format, limits, dev.apikey.ProblemTypes.DEFAULT_BASE);
    }

    /**
     * A verifier for the keys of one prefix whose refusals name their problem type under the host's base.
     *
     * @param format          the key format, e.g. {@code apiKeys.keyFormat()}
     * @param limits          how long and how slowly a body may arrive, and how many at once
     * @param problemTypeBase the base of each problem's {@code type} ({@link dev.apikey.ProblemTypes#requireBase})
     * @throws IllegalArgumentException if the base breaks its rule
     */
    public ScannerVerifyServlet(KeyFormat format, BodyLimits limits, String problemTypeBase) {
        this.format = Objects.requireNonNull(format, "format");
        this.problemTypeBase = dev.apikey.ProblemTypes.requireBase(problemTypeBase);
        this.bodies = new BodyReader(Objects.requireNonNull(limits, "limits"), this.problemTypeBase);
    }

    /** Stops the timer that answers bodies past their deadline. */
    @Override
    public void destroy() {
        bodies.close();
        super.destroy();
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        bodies.read(req, resp, MAX_BODY_BYTES, body -> answer(body, resp));
    }

    private void answer(byte[] body, HttpServletResponse resp) throws IOException {
        List<String> matches = new ArrayList<>();
        try {
            collect(AdminJson.parse(body, "a JSON object of candidates"), matches, 0);
        } catch (AdminProblem p) {
            p.write(resp, problemTypeBase);
            return;
        }
        boolean verified = !matches.isEmpty() && matches.stream().allMatch(m -> format.parse(m).isPresent());
        resp.setStatus(verified ? 200 : 403);
        resp.setContentType("application/json");
        resp.getWriter().write(verified ? "{\"verified\":true}" : "{\"verified\":false}");
    }

    /** Every string in the nested objects and arrays, at most 4 levels deep. */
    private static void collect(JsonNode node, List<String> into, int depth) {
        if (node == null || depth > 4) {
            return;
        }
        if (node.isTextual()) {
            into.add(node.asText());
        }
        for (JsonNode child : node) {
            collect(child, into, depth + 1);
        }
    }
}
