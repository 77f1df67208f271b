package dev.apikey.gateway;

import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A request's headers where Reactor Netty holds them, so that the key check edits them in place instead of rebuilding
 * the exchange on every request. Spring's request for a Reactor Netty server is a read-only view over the server's own
 * headers, read live: a header removed there is gone from the request every later filter sees, and the request and
 * the exchange stay the objects they were. Any other request (one a filter rebuilt, whose headers are a copy; a mock)
 * has none here, and the caller rebuilds as before.
 *
 * <p>Thread-safe (stateless). Package-private.
 */
final class ServerHeaders {

    /** Spring's request class for Reactor Netty (package-private there), or {@code null} if it is not present. */
    private static final Class<?> REACTOR_REQUEST = find("org.springframework.http.server.reactive"
            + ".ReactorServerHttpRequest");

    private ServerHeaders() {
    }

    /**
     * {@return the headers the request reads live, or {@code null}}: only for the request Spring made for a Reactor
     * Netty server itself (its exact class), whose headers are those of the server's request.
     *
     * @param request the exchange's request
     */
    static io.netty.handler.codec.http.HttpHeaders of(ServerHttpRequest request) {
        if (REACTOR_REQUEST == null || request.getClass() != REACTOR_REQUEST) {
            return null;
        }
        Object server = ((AbstractServerHttpRequest) request).getNativeRequest();
        return server instanceof HttpServerRequest r ? r.requestHeaders() : null;
    }

    private static Class<?> find(String name) {
        try {
            return Class.forName(name, false, ServerHttpRequest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
