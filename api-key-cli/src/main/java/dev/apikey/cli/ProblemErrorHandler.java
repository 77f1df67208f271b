package dev.apikey.cli;

import dev.apikey.servlet.ApiKeyProblems;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a request it cannot parse: 400, 414, 431; anything that reaches the server's error
 * handler) as RFC 9457 problems like the filter's, instead of HTML pages. The body names the status only:
 * Jetty's message can quote the request, so it is never echoed.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    /** Requests too broken to become a {@link Request} (bad request line, header fields too large). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(body(status));
    }

    /** {@code {"type", "title", "status", "detail", "code"}} for a status, e.g. code {@code bad_request}. */
    static byte[] body(int status) {
        String title = HttpStatus.getMessage(status);
        String code = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
        String detail = status < 500 ? "The server could not accept this request as sent."
                : "The server failed to answer this request.";
        return ("{\"type\":\"" + ApiKeyProblems.DEFAULT_TYPE_BASE + code + "\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
