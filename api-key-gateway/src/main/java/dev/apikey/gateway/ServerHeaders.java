package dev.apikey.gateway;

import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A request's headers where Reactor Netty holds them, so that the key check edits them in place instead of rebuilding
 * the exchange on every request. Spring's request for a Reactor Netty server is a read-only view over the server's own
 * headers, read live: a header removed there is gone from the request every later filter sees, and the request and
 * the exchange stay the objects they were. Any other request (one a filter rebuilt, whose headers are a copy; a mock)
 * has none here, and {@link #without} rebuilds it.
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

    /**
     * {@return the exchange without the named headers}: the same exchange with them removed where the server holds
     * them, once they are checked gone from the request's view; else (a request some filter rebuilt, or that check
     * failing) an exchange whose request is rebuilt without them.
     *
     * @param exchange the exchange
     * @param names    the header names, any case
     */
    static ServerWebExchange without(ServerWebExchange exchange, List<String> names) {
        ServerHttpRequest request = exchange.getRequest();
        io.netty.handler.codec.http.HttpHeaders server = of(request);
        if (server != null) {
            names.forEach(server::remove);
            if (noneIn(request.getHeaders(), names)) {
                return exchange;
            }
        }
        ServerHttpRequest rebuilt = request.mutate().headers(h -> names.forEach(h::remove)).build();
        return exchange.mutate().request(rebuilt).build();
    }

    /**
     * {@return the address of the connection the request came on}: Reactor Netty's own, which no forwarded header
     * rewrites (Spring Boot's {@code server.forward-headers-strategy=native} or {@code framework}, the default of
     * {@code native} on a cloud platform it detects, rewrite the request's remote address from
     * {@code X-Forwarded-For}, a header the client writes); the request's remote address where there is none (a mock).
     *
     * @param request the exchange's request, rebuilt by a filter or not
     */
    static java.net.InetSocketAddress connectionPeer(ServerHttpRequest request) {
        Object server;
        try {
            server = org.springframework.http.server.reactive.ServerHttpRequestDecorator.getNativeRequest(request);
        } catch (IllegalArgumentException | IllegalStateException e) {
            server = null; // a request of no server (a mock's getNativeRequest throws)
        }
        return server instanceof HttpServerRequest r && r.connectionRemoteAddress() instanceof java.net
                .InetSocketAddress a ? a : request.getRemoteAddress();
    }

    private static boolean noneIn(HttpHeaders headers, List<String> names) {
        for (String name : names) {
            if (headers.containsHeader(name)) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> find(String name) {
        try {
            return Class.forName(name, false, ServerHttpRequest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
