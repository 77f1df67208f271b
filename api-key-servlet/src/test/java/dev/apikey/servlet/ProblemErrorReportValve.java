package dev.apikey.servlet;

// README:tomcat-valve:imports:start
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
// README:tomcat-valve:imports:end

/** The Tomcat recipe of docs/SERVLET.md: Tomcat's own error answers (400, 404, 431, 500 ...) as RFC 9457 problem+json. */
// README:tomcat-valve:start
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable error) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return; // not an error, or the application already answered
        }
        String code = status == 431 ? "request_header_fields_too_large" : status < 500 ? "bad_request" : "server_error";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader("Cache-Control", "no-store");
            Writer out = response.getReporter();
            if (out != null) {
                // Never echo the request or the exception: they may carry a key.
                out.write("{\"type\":\"about:blank\",\"status\":" + status + ",\"code\":\"" + code + "\"}");
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response was committed meanwhile: nothing more to say
        }
    }
}
// README:tomcat-valve:end
