package dev.apikey.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.testkit.RawHttp;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** An adapter answering over HTTP/1.1 on 127.0.0.1: sends raw requests and reads problem bodies. */
abstract class HttpAdapter implements Adapter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRANTED_PREFIX = "ok ";

    /** {@return the port the server listens on, once started} */
    abstract int port();

    @Override
    public final Answer answer(Ask ask) throws IOException {
        RawHttp.Response r = RawHttp.send(port(), ask.method(), ask.target(), ask.headers());
        Map<String, Object> members = new LinkedHashMap<>();
        String contentType = String.valueOf(r.header("Content-Type"));
        if (contentType.startsWith("application/problem+json") || contentType.startsWith("application/json")) {
            JsonNode body = JSON.readTree(r.body());
            if (body != null && body.isObject()) {
                body.properties().forEach(e -> members.put(e.getKey(),
                        e.getValue().isNumber() ? (Object) e.getValue().numberValue() : e.getValue().asText()));
            }
        }
        String principal = r.status() == 200 && r.body().startsWith(GRANTED_PREFIX)
                ? r.body().substring(GRANTED_PREFIX.length()).strip() : null;
        return new Answer(r.status(), null, r.headers(), members, principal, r.body());
    }

    /** The resource behind every route: says who called, as {@code ok <key id>}. */
    static String granted(Object principal) {
        return GRANTED_PREFIX + (principal instanceof dev.apikey.model.ApiKeyPrincipal p ? p.keyId() : "anonymous");
    }
}
