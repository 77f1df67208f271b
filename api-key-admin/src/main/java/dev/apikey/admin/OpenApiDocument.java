package dev.apikey.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The admin API's OpenAPI 3.1 document ({@code docs/openapi/admin-api.yaml}, on the class path beside this class),
 * answered at {@value #PATH} under the API's mount to anyone the host check lets through: it describes the API and
 * holds no data.
 */
final class OpenApiDocument {

    /** Where the document is answered, relative to the mount. */
    static final String PATH = "/openapi.yaml";
    private static final String RESOURCE = "admin-api.yaml";

    private OpenApiDocument() {
    }

    /** {@return whether the request asks for the document} */
    static boolean asked(HttpServletRequest req) {
        return PATH.equals(req.getPathInfo());
    }

    /** Answers the document to a GET or HEAD, 405 to anything else. */
    static void answer(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw AdminProblem.methodNotAllowed(method, "GET");
        }
        byte[] document = Holder.BYTES;
        resp.setStatus(200);
        resp.setContentType("application/yaml");
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(document.length);
        if (method.equals("GET")) {
            resp.getOutputStream().write(document);
        }
    }

    /** The document, read once on first use. */
    private static final class Holder {
        static final byte[] BYTES = read();

        private static byte[] read() {
            try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the class path of api-key-admin");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
